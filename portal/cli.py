"""Register every command module under portal/commands with the Flask CLI."""

from __future__ import annotations

import importlib
import pkgutil

from flask import Flask

from portal import commands as _commands


def init_app(app: Flask) -> None:
    for module_info in pkgutil.iter_modules(_commands.__path__):
        module = importlib.import_module(f"portal.commands.{module_info.name}")
        for command in getattr(module, "commands", []):
            app.cli.add_command(command)
