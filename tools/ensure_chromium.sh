#!/usr/bin/env bash
# Make sure Debian's Chromium and the Japanese fonts are installed for the browser tests.
#
# The browser tests drive /usr/bin/chromium through Playwright; Playwright's own browser
# download (`playwright install`) is never used. Screenshots of Japanese pages need
# fonts-noto-cjk, or every character renders as a box.
#
# Idempotent: when both are already present this prints one line and exits at once.
# Otherwise it runs `apt-get update` once and installs them (root, or sudo when available).
set -euo pipefail

CHROMIUM=/usr/bin/chromium
CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

have_everything() {
  [[ -x "$CHROMIUM" && -f "$CJK_FONT" ]]
}

if have_everything; then
  echo "ensure_chromium: $CHROMIUM and fonts-noto-cjk already installed"
  exit 0
fi

fail() {
  echo "ensure_chromium: ERROR: $*" >&2
  echo "ensure_chromium: the browser tests need Debian's chromium and fonts-noto-cjk;" \
    "install them with: apt-get update && apt-get install -y --no-install-recommends" \
    "chromium fonts-noto-cjk (never 'playwright install')" >&2
  exit 1
}

if ! command -v apt-get >/dev/null 2>&1; then
  fail "apt-get not found: this script only knows how to install on Debian"
fi

if [[ "$(id -u)" -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "not running as root and passwordless sudo is not available"
fi

echo "ensure_chromium: installing chromium and fonts-noto-cjk with apt-get"
"${as_root[@]}" apt-get update || fail "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
  || fail "apt-get install chromium fonts-noto-cjk failed"

have_everything || fail "installed, but $CHROMIUM or $CJK_FONT is still missing"
echo "ensure_chromium: installed chromium $(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)"
