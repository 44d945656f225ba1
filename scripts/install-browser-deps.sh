#!/usr/bin/env bash
# Front-end and browser-test dependencies, installed from registries (nothing third-party is committed):
#   - htmx, swagger-ui-dist (/docs) and chart.js (/reports): `npm ci` against the pinned package-lock.json into
#     node_modules/ (the app serves them itself);
#   - Debian's chromium for the Playwright tests (apt-get, only when missing and we are root or have sudo).
# Idempotent and quick when everything is present: no network unless something is missing or the lock changed.
#
# usage: scripts/install-browser-deps.sh [--no-browser]   (--no-browser: htmx only, e.g. for `make run`)
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install-browser-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

CHROMIUM="${TRIAGE_CHROMIUM:-/usr/bin/chromium}"
say() { echo "install-browser-deps: $*" >&2; }
warn() { echo "install-browser-deps: WARNING: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}

apt_updated=0
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ "$apt_updated" -eq 0 ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- htmx from npm ---------------------------------------------------------------------------------------------
lock_sum="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.triage-lock.sha256"
if [ -f node_modules/htmx.org/dist/htmx.min.js ] && [ -f node_modules/swagger-ui-dist/swagger-ui-bundle.js ] \
  && [ -f node_modules/chart.js/dist/chart.umd.min.js ] && [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ]; then
  say "npm packages already installed (node_modules matches package-lock.json)"
else
  if ! command -v npm >/dev/null 2>&1; then
    say "npm is missing; installing Debian's npm"
    apt_install npm || warn "cannot install npm (not root, or no apt-get): the console works without htmx, but live updates and the browser tests need it. Install Node.js/npm and re-run."
  fi
  if command -v npm >/dev/null 2>&1; then
    say "npm ci (htmx, swagger-ui-dist, chart.js; pinned by package-lock.json)"
    npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2
    echo "$lock_sum" > "$stamp"
  fi
fi

# --- Chromium for the browser tests ---------------------------------------------------------------------------
if [ "$want_browser" -eq 1 ]; then
  if [ -x "$CHROMIUM" ]; then
    say "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  else
    say "chromium missing; installing Debian's chromium"
    if apt_install chromium; then
      say "installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
    else
      warn "could not install chromium (needs root or passwordless sudo, and apt-get)."
      warn "THE BROWSER TESTS WILL BE SKIPPED. CI runs as root and must run them."
    fi
  fi
fi
