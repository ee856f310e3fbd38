#!/usr/bin/env bash
# Runs every test file on its own, as `python -m pytest tests/test_x.py` would be run by hand
# (SQLite, the settings pytest's own configuration gives), and lists any file that fails
# alone: a test that passes only after another file's tests have run is a defect.
#   bash scripts/each_test_file.sh [more pytest arguments]
# Uses .venv (bash scripts/setup_venv.sh makes it). Prints one line a file and a summary.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
count=0
for file in tests/test_*.py; do
  count=$((count + 1))
  start=$(date +%s)
  if env -u DATABASE_URL .venv/bin/python -m pytest "$file" -q -p no:cacheprovider "$@" \
    >/tmp/each_test_file.log 2>&1; then
    result=ok
  else
    status=$?
    # 5: nothing collected (a file of PostgreSQL-only tests skips them all; that is not it).
    if [ "$status" = 5 ]; then result="no tests"; else result="FAILED"; failed+=("$file"); fi
  fi
  echo "$result $(( $(date +%s) - start ))s $file $(tail -1 /tmp/each_test_file.log)"
  if [ "$result" = FAILED ]; then
    grep -E "^(FAILED|ERROR) |^E  " /tmp/each_test_file.log | head -20 | sed 's/^/    /'
  fi
done
echo "$count files run alone; ${#failed[@]} failed${failed:+: ${failed[*]}}"
[ "${#failed[@]}" = 0 ]
