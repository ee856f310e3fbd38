#!/usr/bin/env bash
# Quick start 3: a new council. Runs the app with no demonstration data and one administrator,
# whose first page links to the set-up workbook.
#   bash scripts/start_empty.sh      (then open the printed address and sign in)
# Environment: PORT (default 8000), HOST (default 127.0.0.1), ADMIN_USERNAME (default admin),
# EMPTY_DATABASE_URL (default a SQLite file council.sqlite3, kept between runs), and the first
# values of the council's names: COUNCIL_NAME, SERVICE_NAME, COMMITTEE_NAME.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh --runtime

export DEBUG=1
export DATABASE_URL="${EMPTY_DATABASE_URL:-sqlite:///$PWD/council.sqlite3}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py create_administrator --username "${ADMIN_USERNAME:-admin}"
echo
echo "The scorecard is at http://$HOST:$PORT/  (Ctrl+C stops it)"
echo "Sign in as the administrator above: the first page links to the set-up template."
exec .venv/bin/python manage.py runserver "$HOST:$PORT" --noreload
