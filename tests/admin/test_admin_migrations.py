"""The migrations build exactly the models' schema (a model change without a migration fails)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from admin.db import database
from admin.models import Base


def test_models_and_migrations_agree(app):
    with database(app).engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == [], f"write a migration for: {diff}"
