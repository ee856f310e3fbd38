#!/usr/bin/env bash
# Quick start 4: the production shape on loopback (issue 24). PostgreSQL (a throwaway server
# started here, or the one DATABASE_URL names), Debian's redis-server on a port of its own,
# migrate and the demonstration data, two gunicorn app servers on two ports sharing the
# database, the cache and MEDIA_ROOT, and one task worker printing packs and sending emails.
# Ctrl+C (or any of them stopping) stops them all and removes what was started here.
#   bash scripts/serve.sh        (then open either printed address: both are one site)
# Environment: PORT_A (8001), PORT_B (8002), WORKERS (gunicorn workers per server, 2),
# DEMO (1: load the demonstration data; 0: an empty database and one administrator),
# DATABASE_URL (a PostgreSQL database to use instead of a throwaway server; it is migrated).
# One address in front of both servers is the reverse proxy's job: docs/operations.md,
# "The production shape on one machine", has the nginx configuration.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup_venv.sh --runtime

install_debian_package() {  # command, package, what for
  if ! command -v "$1" >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $2 for $3 (apt-get)..."
    { apt-get update -qq && apt-get install -y -qq "$2"; } >/dev/null 2>&1 || true
  fi
}
install_debian_package redis-server redis-server "the shared cache"
command -v redis-server >/dev/null ||
  { echo "redis-server is not installed: apt-get install redis-server" >&2; exit 1; }
install_debian_package "${SCORECARD_CHROMIUM:-/usr/bin/chromium}" chromium "the PDF pack"

free_port() {
  .venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Everything started here is recorded, and stopped by the EXIT trap however the script ends.
run_dir=$(mktemp -d /tmp/scorecard-serve.XXXXXX)
chmod 755 "$run_dir"
pids=()
pg_bin=""
as_pg=()
stop_everything() {
  trap - EXIT INT TERM HUP
  echo
  echo "Stopping the app servers, the task worker, Redis and PostgreSQL..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_bin" ] && [ -f "$run_dir/pg/data/postmaster.pid" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$run_dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$run_dir"
}
trap stop_everything EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# PostgreSQL: the one DATABASE_URL names, or a throwaway server as scripts/test.sh starts it.
if [ -z "${DATABASE_URL:-}" ]; then
  for dir in "$(pg_config --bindir 2>/dev/null || true)" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -Vr); do
    if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then pg_bin=$dir; break; fi
  done
  [ -n "$pg_bin" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql-15), or set DATABASE_URL." >&2; exit 1; }
  mkdir "$run_dir/pg"
  if [ "$(id -u)" = 0 ]; then  # PostgreSQL refuses to run as root
    id -u scorecard-pg >/dev/null 2>&1 ||
      useradd --system --no-create-home --shell /usr/sbin/nologin scorecard-pg
    chown scorecard-pg "$run_dir/pg"
    as_pg=(runuser -u scorecard-pg --)
  fi
  pg_port=$(free_port)
  "${as_pg[@]}" "$pg_bin/initdb" -D "$run_dir/pg/data" -U postgres -A trust --encoding=UTF8 \
    --locale=C >"$run_dir/pg/initdb.log" 2>&1 || { cat "$run_dir/pg/initdb.log" >&2; exit 1; }
  "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$run_dir/pg/data" -l "$run_dir/pg/server.log" -w -t 60 start \
    -o "-k $run_dir/pg -c listen_addresses=127.0.0.1 -p $pg_port" >/dev/null ||
    { cat "$run_dir/pg/server.log" >&2; exit 1; }
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres scorecard
  export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/scorecard"
fi

# Redis: nothing written to disk; it holds only what can be worked out again.
redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
  --dir "$run_dir" --logfile "$run_dir/redis.log" &
pids+=($!)

# Production settings (DEBUG off), on plain HTTP on loopback as behind a TLS-ending proxy.
PORT_A="${PORT_A:-8001}"
PORT_B="${PORT_B:-8002}"
unset DEBUG
export DJANGO_SETTINGS_MODULE=scorecard.settings
export SECRET_KEY="${SECRET_KEY:-$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export SCORECARD_SIMPLE_STATIC=1 TASK_BACKEND=database
export REDIS_URL="redis://127.0.0.1:$redis_port/0"
export MEDIA_ROOT="$run_dir/media"
export SITE_URL="http://127.0.0.1:$PORT_A"

.venv/bin/python manage.py migrate --noinput -v 0
if [ "${DEMO:-1}" = 1 ]; then
  .venv/bin/python manage.py load_demo
else
  .venv/bin/python manage.py create_administrator
fi

# --no-control-socket: gunicorn 27's control socket is one path per user, which two servers on
# one machine would both claim.
for port in "$PORT_A" "$PORT_B"; do
  .venv/bin/gunicorn scorecard.wsgi --bind "127.0.0.1:$port" --workers "${WORKERS:-2}" \
    --timeout 90 --no-control-socket --access-logfile - --error-logfile - > >(sed -u "s/^/[app :$port] /") 2>&1 &
  pids+=($!)
done
.venv/bin/python manage.py task_worker --no-reload > >(sed -u 's/^/[task worker] /') 2>&1 &
pids+=($!)

echo
echo "Database:     ${DATABASE_URL%%\?*}"
echo "Redis:        $REDIS_URL"
echo "App server A: http://127.0.0.1:$PORT_A/"
echo "App server B: http://127.0.0.1:$PORT_B/   (the same site: sign in on one, use either)"
echo "Task worker:  manage.py task_worker (packs and emails); printed packs in $MEDIA_ROOT"
echo "Ctrl+C stops everything."
# Until Ctrl+C, or until any of them stops (then the rest are stopped too).
wait -n "${pids[@]}" || true
echo "A process stopped: stopping the rest." >&2
exit 1
