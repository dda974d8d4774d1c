"""Housekeeping for the public site."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from portal.services import drafts


@click.command("purge-drafts")
@with_appcontext
def purge_drafts() -> None:
    """Delete unfinished public forms (drafts) that have expired. Run it daily."""
    count = drafts.purge_expired()
    click.echo(f"Deleted {count} expired drafts.")


commands = [purge_drafts]
