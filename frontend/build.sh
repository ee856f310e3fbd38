#!/usr/bin/env bash
# Rebuild static/govuk/ and static/plotly/ from the pinned npm packages (package.json and
# package-lock.json):
#   bash frontend/build.sh          (from the repo root, or ./build.sh from frontend/)
# Output, kept in git (compiled once here, never fetched at run time or from a CDN):
# static/govuk/govuk-frontend.min.css (Arial, no @font-face), static/govuk/govuk-frontend.min.js,
# the images that CSS refers to, and static/plotly/plotly-basic.min.js with its licence.
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

# Plotly: the partial "basic" bundle (bar, pie, scatter traces) instead of the full plotly.js
# that the Python package ships (1.2 MB against 4.7 MB). Its version must be the one the
# pinned plotly.py writes figures for; tests/test_static_bundle.py checks both, and that
# every trace type our figure builders produce is registered in it. Should a builder need a
# trace type the basic bundle lacks (box, histogram, heatmap), pin plotly.js-cartesian-dist-min
# instead and change PLOTLY_PACKAGE and PLOTLY_FILE here and in scorecard/settings.py.
PLOTLY_PACKAGE=plotly.js-basic-dist-min
PLOTLY_FILE=plotly-basic.min.js
PLOTLY_OUT=../static/plotly
rm -rf "$PLOTLY_OUT"
mkdir -p "$PLOTLY_OUT"
cp "node_modules/$PLOTLY_PACKAGE/$PLOTLY_FILE" "node_modules/$PLOTLY_PACKAGE/LICENSE" "$PLOTLY_OUT/"
python_plotly_js=$(
  ../.venv/bin/python -c 'import plotly.offline; print(plotly.offline.get_plotlyjs_version())' \
    2>/dev/null || echo unknown
)
bundle_version=$(node -p "require('./node_modules/$PLOTLY_PACKAGE/package.json').version")
if [ "$python_plotly_js" != unknown ] && [ "$python_plotly_js" != "$bundle_version" ]; then
  echo "plotly.py writes figures for plotly.js $python_plotly_js but $PLOTLY_PACKAGE is" \
    "$bundle_version: pin $PLOTLY_PACKAGE@$python_plotly_js in package.json" >&2
  exit 1
fi

ls -l "$OUT" "$OUT/assets/images" "$PLOTLY_OUT"
