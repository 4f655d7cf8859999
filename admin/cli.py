"""``flask --app admin init-db | create-user | set-password | serve``."""

from __future__ import annotations

import secrets

import click
from flask import Flask
from sqlalchemy import func, select

from admin import audit
from admin.db import database
from admin.models import Role, User, utcnow
from admin.passwords import PasswordRejected, check_policy, hash_password
from admin.ratelimit import clear_account
from admin.sessions import end_all_for_user

FIRST_ADMIN = "admin"


def create_user(app: Flask, username: str, password: str, role: Role | str,
                display_name: str = "", languages: str = "", actor: str = "command line",
                check: bool = True) -> User:
    """Create an account (policy-checked unless check=False) and audit it."""
    username = username.strip().lower()
    if check:
        check_policy(password, app.config["PASSWORD_MIN_LENGTH"], username)
    with database(app).session() as db:
        if db.scalar(select(User).where(User.username == username)):
            raise click.ClickException(f"the user name {username!r} is taken")
        user = User(username=username, password_hash=hash_password(password),
                    role=Role(role).value, display_name=display_name,
                    languages=languages if Role(role) == Role.TRANSLATOR else "")
        db.add(user)
        db.flush()
        audit.record(db, None, "user.create", f"user:{user.id}", None, user.snapshot(),
                     actor_name=actor)
        db.commit()
        return user


def ensure_first_admin(app: Flask) -> str | None:
    """Create the administrator 'admin' when no account exists; return its new password."""
    with database(app).session() as db:
        if db.scalar(select(func.count()).select_from(User)):
            return None
    password = secrets.token_urlsafe(15)  # 20 characters, ~120 bits
    create_user(app, FIRST_ADMIN, password, Role.ADMINISTRATOR, "Administrator",
                actor="first start", check=False)
    return password


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
        except PasswordRejected as e:
            raise click.ClickException(str(e)) from None
        click.echo(f"created {user.username} ({user.role})")

    @app.cli.command("set-password")
    @click.argument("username")
    def set_password_command(username):
        """Set a staff account's password; its open sessions end."""
        username = username.strip().lower()
        password = _read_password("New password")
        try:
            check_policy(password, app.config["PASSWORD_MIN_LENGTH"], username)
        except PasswordRejected as e:
            raise click.ClickException(str(e)) from None
        with database(app).session() as db:
            user = db.scalar(select(User).where(User.username == username))
            if user is None:
                raise click.ClickException(f"no user named {username!r}")
            user.password_hash = hash_password(password)
            user.password_changed_at = utcnow()
            end_all_for_user(db, user.id)
            clear_account(db, username)
            audit.record(db, None, "user.set_password", f"user:{user.id}",
                         actor_name="command line")
            db.commit()
        click.echo(f"password set for {username}")

    @app.cli.command("serve")
    def serve_command():
        """Migrate, create the first administrator if needed, serve with gunicorn."""
        from admin.serve import serve

        serve(app)
