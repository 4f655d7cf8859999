"""Storykiosk's web admin: a Flask app for museum staff (see ``admin.app``)."""

from admin.app import create_app

__all__ = ["create_app"]
