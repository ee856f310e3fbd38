# Sourced by the quick-start scripts: sets PYTHON to a Python 3.12+ interpreter.
# Django 6.1 needs 3.12; Debian 12's python3 is 3.11, on which pip would quietly install an
# older Django, so we look further (pyenv and /usr/local builds) before giving up.
find_python() {
  local candidate
  for candidate in python3.14 python3.13 python3.12 \
    "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 \
    /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      PYTHON=$(command -v "$candidate")
      return 0
    fi
  done
  echo "Python 3.12 or newer is required (Django 6.1). Install it, e.g. with pyenv" \
    "('pyenv install 3.12'), and run this again." >&2
  return 1
}
