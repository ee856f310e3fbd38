#!/usr/bin/env bash
# Quick start 2: install what is needed and run every test against a real PostgreSQL server
# started here in a temporary directory (and stopped afterwards), with real-browser tests in
# Debian's chromium.    bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh

# Browser: Debian's chromium (Playwright cannot download its own browser on council networks).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the browser tests (apt-get)..."
  log=$(mktemp)
  if ! { apt-get update -qq && apt-get install -y -qq chromium; } >"$log" 2>&1; then
    tail -5 "$log" >&2
  fi
  rm -f "$log"
fi
if [ -x /usr/bin/chromium ]; then
  browser="$(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
elif [ "${CI:-}" = "true" ]; then
  echo "chromium is not installed and could not be installed: in CI the browser tests must run." >&2
  exit 1
else
  export SCORECARD_SKIP_BROWSER=1
  browser="none: chromium not found, browser tests will be skipped (apt-get install chromium)"
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

pg_dir=$(mktemp -d /tmp/scorecard-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: run it as an unprivileged system user.
  id -u scorecard-pg >/dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin scorecard-pg
  chown scorecard-pg "$pg_dir"
  as_pg=(runuser -u scorecard-pg --)
fi
port=$(.venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_postgres() {
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_postgres EXIT INT TERM

"${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --encoding=UTF8 \
  --locale=C >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
  -o "-k $pg_dir -c listen_addresses=127.0.0.1 -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$pg_dir/server.log" >&2; exit 1; }

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/scorecard"
export DJANGO_SETTINGS_MODULE=tests.settings
export DJANGO_ALLOW_ASYNC_UNSAFE=true
unset DEBUG
echo "Database: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (temporary, $pg_dir)"
echo "Browser:  $browser"

.venv/bin/ruff check .
.venv/bin/ruff format --check .

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" = 5 ]; then
  echo "pytest collected no tests: that is a failure." >&2
  exit 1
fi
exit "$status"
