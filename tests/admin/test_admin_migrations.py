"""The migrations build exactly the models' schema (a model change without a migration fails)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from admin.db import database
from admin.models import Base


def test_models_and_migrations_agree(app):
    import importlib
    import pkgutil

    import admin

    for module in pkgutil.iter_modules(admin.__path__):  # as admin/migrations/env.py does
        if module.name.startswith("models"):
            importlib.import_module(f"admin.{module.name}")
    with database(app).engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"write a migration for: {diff}"


def test_every_migration_goes_down_and_up_again(app):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import inspect

    from admin.db import MIGRATIONS

    db = database(app)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    db.migrate()
    assert "audit_log" in inspect(db.engine).get_table_names()
