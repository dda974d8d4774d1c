"""CLI command modules. Each module defines ``commands``, a list of click commands added to ``flask --app wsgi``."""
