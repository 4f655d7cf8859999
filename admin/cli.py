"""``flask --app admin init-db | create-user | set-password | serve``."""

from __future__ import annotations

import click
from flask import Flask

from admin.accounts import AccountError, create_user, set_password
from admin.db import database
from admin.models import Role
from admin.passwords import PasswordRejected
from admin.serve import serve


def _read_password(prompt: str) -> str:
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


def init_app(app: Flask) -> None:
    """Register the commands on the app's command line."""

    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (Alembic migrations)."""
        database(app).migrate()
        click.echo(f"database ready: {database(app).engine.url.render_as_string()}")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
    @click.option("--name", "display_name", default="", help="Full name shown in the admin.")
    @click.option("--languages", default="", help="Translators: codes, e.g. sv,it.")
    def create_user_command(username, role, display_name, languages):
        """Create a staff account; asks for the password twice (or reads stdin)."""
        database(app).migrate()
        password = _read_password("Password")
        try:
            user = create_user(app, username, password, role, display_name, languages)
        except (PasswordRejected, AccountError) as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"created {user.username} ({user.role})")

    @app.cli.command("set-password")
    @click.argument("username")
    def set_password_command(username):
        """Set a staff account's password; its open sessions end."""
        password = _read_password("New password")
        try:
            set_password(app, username, password)
        except (PasswordRejected, AccountError) as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"password set for {username.strip().lower()}")

    @app.cli.command("serve")
    def serve_command():
        """Migrate, create the first administrator if needed, serve with gunicorn."""
        serve(app)
