#!/usr/bin/env bash
# Create .venv with Python 3.12+ and install the pinned requirements (quick when up to date).
#   bash scripts/setup_venv.sh            test requirements (requirements-test.txt)
#   bash scripts/setup_venv.sh --runtime  the app's requirements only (requirements.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/find_python.sh

requirements=requirements-test.txt
[ "${1:-}" = "--runtime" ] && requirements=requirements.txt

if [ ! -x .venv/bin/python ] ||
  ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  find_python
  echo "Creating .venv with $PYTHON ($("$PYTHON" --version))"
  rm -rf .venv
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.installed-$(cat "$requirements" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing $requirements into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements" \
    2> >(grep -v "^WARNING: Location" >&2)
  touch "$stamp"
fi
