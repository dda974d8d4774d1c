"""Staff account commands: create the first account, and (development only) print a current two-factor code."""

from __future__ import annotations

import sys

import click
import pyotp
from flask import current_app
from flask.cli import with_appcontext

from portal.domain import DomainError
from portal.domain.enums import ROLE_LABELS, Role
from portal.extensions import db
from portal.models import Team


@click.command("create-user")
@click.option("--email", required=True, help="The person's work email address (they sign in with it).")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="What the account may do.",
)
@click.option("--name", "full_name", default=None, help="Full name (defaults to the part of the email before @).")
@click.option("--team", "team_names", multiple=True, help="A team name (repeat for several). Created if missing.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@with_appcontext
def create_user_command(
    email: str, role: str, full_name: str | None, team_names: tuple[str, ...], password_stdin: bool
):  # type: ignore[no-untyped-def]
    """Create a staff account (the first complaints manager or administrator, for example)."""
    import sqlalchemy as sa

    from portal.services.uow import unit_of_work
    from portal.services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    name = full_name or email.split("@", 1)[0].replace(".", " ").title()
    try:
        with unit_of_work():  # the new teams and the account are saved together, or neither
            teams = []
            for team_name in team_names:
                team = db.session.scalar(sa.select(Team).where(Team.name == team_name))
                if team is None:
                    team = Team(name=team_name)
                    db.session.add(team)
                    db.session.flush()
                teams.append(team)
            user = create_user(email=email, full_name=name, role=role, password=password, teams=teams)
    except DomainError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Created {ROLE_LABELS[user.role].lower()} account {user.email} (id {user.id}).")
    click.echo(
        "At their first sign-in (/staff/sign-in) they will scan a QR code with an authenticator app "
        "and be shown recovery codes to keep somewhere safe."
    )


@click.command("totp-code")
@click.option("--email", required=True, help="The staff account whose current code to print.")
@with_appcontext
def totp_code_command(email: str) -> None:
    """Development only: print the current two-factor code of an account (for the demo account)."""
    from portal.services.users import find_by_email

    if current_app.config.get("APP_ENV") == "production":
        click.echo("Error: totp-code is for development only and is refused when APP_ENV=production.", err=True)
        sys.exit(1)
    user = find_by_email(email)
    if user is None or not user.totp_secret:
        click.echo("Error: no account with that email has two-factor authentication set up.", err=True)
        sys.exit(1)
    click.echo(pyotp.TOTP(user.totp_secret).now())


commands = [create_user_command, totp_code_command]
