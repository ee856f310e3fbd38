#!/usr/bin/env bash
# Quick start 1: install what is needed and run the app with demonstration data on SQLite.
#   bash scripts/demo.sh            (then open the printed address)
# Environment: PORT (default 8000), HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh --runtime

export DEBUG=1
export DATABASE_URL="${DEMO_DATABASE_URL:-sqlite:///$PWD/db.sqlite3}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py load_demo
echo
echo "The scorecard is at http://$HOST:$PORT/  (Ctrl+C stops it)"
echo "Sign in with one of the demonstration users above."
exec .venv/bin/python manage.py runserver "$HOST:$PORT" --noreload
