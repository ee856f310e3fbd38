#!/usr/bin/env bash
# Quick start 2: install what is needed and run every test against a real PostgreSQL server
# started here in a temporary directory (and stopped afterwards), with real-browser tests in
# Debian's chromium.    bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh

# Browser: Debian's chromium (Playwright cannot download its own browser on council networks).
# SCORECARD_CHROMIUM (default /usr/bin/chromium) is the same setting the PDF renderer reads.
chromium="${SCORECARD_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (apt-get; log in a temporary file)..."
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq chromium; } >"$log" 2>&1; then
    echo "apt-get could not install chromium; the end of its log:" >&2
    tail -5 "$log" >&2
  fi
  rm -f "$log"
fi
if [ -x "$chromium" ]; then
  browser="$("$chromium" --version 2>/dev/null || echo chromium) ($chromium)"
elif [ "${CI:-}" = "true" ]; then
  echo "chromium is not installed at $chromium and could not be installed:" \
    "in CI the browser tests must run." >&2
  exit 1
else
  export SCORECARD_SKIP_BROWSER=1
  echo "chromium not found: browser tests will be skipped (apt-get install chromium)"
  browser="none: chromium not found, browser tests skipped"
fi

# Redis: the shared-cache tests start their own redis-server on a free port (tests/support/
# redis_server.py); Debian's package is installed here when it is missing.
if ! command -v redis-server >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's redis-server for the shared-cache tests (apt-get)..."
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq redis-server; } >"$log" 2>&1; then
    echo "apt-get could not install redis-server; the end of its log:" >&2
    tail -5 "$log" >&2
  fi
  rm -f "$log"
fi
if command -v redis-server >/dev/null; then
  # The package's own service is not needed: each test starts and stops its own server.
  redis="$(redis-server --version | cut -d' ' -f3)"
elif [ "${CI:-}" = "true" ]; then
  echo "redis-server is not installed and could not be installed: in CI the shared-cache" \
    "tests must run." >&2
  exit 1
else
  redis="none: redis-server not found, shared-cache tests skipped"
fi

# PostgreSQL: a throwaway server in a temporary directory, on loopback only.
pg_bin=""
for dir in "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
  if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then pg_bin=$dir; break; fi
done
if [ -z "$pg_bin" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
  pg_bin=$(dirname "$(command -v initdb)")
fi
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found: install them" \
    "(apt-get install postgresql-15) and run this again." >&2
  exit 1
fi

# Under /tmp, not $TMPDIR: the server's unix socket goes in here and socket paths are short.
pg_dir=$(mktemp -d /tmp/scorecard-pg.XXXXXX)
as_pg=()
stop_postgres() {
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$pg_dir"
}
# The EXIT trap always stops the server and removes the directory; an interrupt or a kill ends
# the script (rather than carrying on with the next step) and so goes through it too.
trap stop_postgres EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: run it as an unprivileged system user.
  id -u scorecard-pg >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin scorecard-pg
  chown scorecard-pg "$pg_dir"
  as_pg=(runuser -u scorecard-pg --)
fi
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --encoding=UTF8 \
  --locale=C >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
  -o "-k $pg_dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }
# The database DATABASE_URL names (pytest-django creates its own test_scorecard beside it).
if [ -x "$pg_bin/createdb" ]; then
  "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres scorecard
else
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'CREATE DATABASE scorecard'
fi

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/scorecard"
export DJANGO_SETTINGS_MODULE=tests.settings
export SECRET_KEY=test-only-not-secret
unset DEBUG
pg_user=$([ "$(id -u)" = 0 ] && echo scorecard-pg || id -un)
database="PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port as $pg_user (temporary, $pg_dir)"
echo "Database: $database"
echo "Browser:  $browser"
echo "Redis:    $redis"

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy

# SCORECARD_TEST_WORKERS=auto runs pytest on every CPU (pytest-xdist), each worker with its own
# test database (test_scorecard_gw0, ...), live server and browser. One process by default until
# two full runs on a quiet machine have shown it holds (see the README).
set +e
.venv/bin/python -m pytest -n "${SCORECARD_TEST_WORKERS:-0}" "$@"
status=$?
set -e
echo "Tested against $database; browser: $browser"
if [ "$status" = 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$status"
