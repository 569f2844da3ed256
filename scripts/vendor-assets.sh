#!/usr/bin/env bash
# Refresh the vendored front-end assets from the npm registry at pinned versions.
# Not needed at install: the files are committed under src/meldroute/static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
VENDOR=src/meldroute/static/vendor
HTMX=2.0.11
UTRECHT=9.0.4
TOKENS=7.4.1
AXE=4.14.1
mkdir -p "$VENDOR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
npm pack --silent --pack-destination "$TMP" \
  "htmx.org@$HTMX" "axe-core@$AXE" \
  "@utrecht/component-library-css@$UTRECHT" \
  "@nl-design-system-unstable/voorbeeld-design-tokens@$TOKENS" >/dev/null
x() { tar xzf "$TMP/$1" -O "package/$2" > "$VENDOR/$3"; }
x "htmx.org-$HTMX.tgz" dist/htmx.min.js htmx.min.js
x "axe-core-$AXE.tgz" axe.min.js axe.min.js
x "utrecht-component-library-css-$UTRECHT.tgz" dist/index.css utrecht-component-library.css
x "nl-design-system-unstable-voorbeeld-design-tokens-$TOKENS.tgz" dist/theme.css voorbeeld-theme.css
cat > "$VENDOR/VERSIONS.txt" <<TXT
htmx.org@$HTMX (0BSD)
axe-core@$AXE (MPL-2.0, used by the accessibility tests only)
@utrecht/component-library-css@$UTRECHT (EUPL-1.2)
@nl-design-system-unstable/voorbeeld-design-tokens@$TOKENS (EUPL-1.2)
TXT
echo "vendored into $VENDOR"
