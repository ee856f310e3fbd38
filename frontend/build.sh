#!/usr/bin/env bash
# Rebuild static/govuk/ from the pinned govuk-frontend (see package.json / package-lock.json):
#   bash frontend/build.sh          (from the repo root, or ./build.sh from frontend/)
# Output, kept in git: static/govuk/govuk-frontend.min.css (Arial, no @font-face),
# static/govuk/govuk-frontend.min.js, static/govuk/assets/images/govuk-crest.svg.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --ignore-scripts --no-audit --no-fund

GOVUK=node_modules/govuk-frontend/dist/govuk
OUT=../static/govuk
rm -rf "$OUT"
mkdir -p "$OUT/assets/images"

npx sass --pkg-importer=node --load-path=node_modules --quiet-deps \
  --style=compressed --no-source-map \
  scorecard.scss "$OUT/govuk-frontend.min.css"

# ES module bundle; static/js/init-govuk.js imports initAll from it. Its source map is
# left out (devtools only; Django does not follow a mid-line sourceMappingURL comment).
cp "$GOVUK/govuk-frontend.min.js" "$OUT/"

# Only the images the compiled CSS refers to (today: the footer crest). No fonts (Arial),
# no favicons, app icons, opengraph image or manifest (GOV.UK branding, not ours).
# Copy every one: ManifestStaticFilesStorage (collectstatic with DEBUG off) fails on a
# url() in the CSS whose file is missing.
grep -o 'url("[^"]*")' "$OUT/govuk-frontend.min.css" | sed 's/^url("//; s/")$//' | sort -u |
while read -r url; do
  case "$url" in
    /static/govuk/assets/images/*) cp "$GOVUK/assets/images/${url##*/}" "$OUT/assets/images/" ;;
    *) echo "unexpected url() in compiled CSS: $url" >&2; exit 1 ;;
  esac
done

if grep -qi 'GDS Transport\|@font-face' "$OUT/govuk-frontend.min.css"; then
  echo "compiled CSS still mentions GDS Transport / @font-face" >&2; exit 1
fi
ls -l "$OUT" "$OUT/assets/images"
