#!/usr/bin/env bash
# Quick start 1: install what is needed and run the app with demonstration data on SQLite.
#   bash scripts/demo.sh            (then open the printed address)
# Environment: PORT (default 8000), HOST (default 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh --runtime

# The committee pack is printed by Debian's chromium; without it the app runs and says so.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the PDF committee pack (apt-get)..."
  { apt-get update -qq && apt-get install -y -qq chromium; } >/dev/null 2>&1 ||
    echo "chromium could not be installed: the PDF pack will say so; everything else works."
fi

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
