"""Alembic environment: runs on the connection ``admin.db.Database.migrate`` hands over.

Every ``admin/models*.py`` module is imported so that its tables are on ``Base.metadata``
(later areas put theirs in ``admin/models_<area>.py``).
"""

import importlib
import pkgutil

from alembic import context

import admin
from admin.models import Base

for module in pkgutil.iter_modules(admin.__path__):
    if module.name.startswith("models"):
        importlib.import_module(f"admin.{module.name}")

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
