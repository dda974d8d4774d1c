#!/usr/bin/env bash
# Regenerate the single initial migration from the models, against an empty SQLite database.
# Only for use before the first release: once a council runs the portal, add new revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f migrations/versions/*.py
DATABASE_URL="sqlite:///$tmp/empty.db" APP_ENV=development PORTAL_INSTANCE_PATH="$tmp" \
  .venv/bin/flask --app wsgi db migrate -m "initial schema" --rev-id 0001 >/dev/null
.venv/bin/ruff format -q migrations/versions
.venv/bin/ruff check -q --fix migrations/versions || true
echo "migrations/versions regenerated:"
ls migrations/versions
