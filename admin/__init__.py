"""Storykiosk's web admin: a Flask app for museum staff (see ``admin.app``)."""


def create_app(test_config: dict | None = None):
    """Build the admin app (imported lazily so ``python -m admin.<module>`` stays clean)."""
    from admin.app import create_app as factory

    return factory(test_config)


__all__ = ["create_app"]
