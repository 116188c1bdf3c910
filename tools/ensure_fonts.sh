#!/usr/bin/env bash
# Make sure the Japanese TrueType font embedded in PDF documents is installed.
#
# kyosai.documents (the 共済契約締結証書) embeds IPAexGothic from Debian's fonts-ipaexfont-gothic.
# fonts-noto-cjk cannot replace it: its CFF outlines are not readable by reportlab.
# The PDF tests also read the documents back with poppler-utils (pdftotext, pdftoppm).
#
# Idempotent: when everything is already present this prints one line and exits at once.
# Otherwise it runs `apt-get update` once and installs the packages (root, or sudo when available).
set -euo pipefail

FONT=/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf
PDFTOTEXT=/usr/bin/pdftotext
PACKAGES=(fonts-ipaexfont-gothic poppler-utils)

have_everything() {
  [[ -f "$FONT" && -x "$PDFTOTEXT" ]]
}

if have_everything; then
  echo "ensure_fonts: $FONT and poppler-utils already installed"
  exit 0
fi

fail() {
  echo "ensure_fonts: ERROR: $*" >&2
  echo "ensure_fonts: PDF documents need Debian's fonts-ipaexfont-gothic (and the tests" \
    "poppler-utils); install them with: apt-get update && apt-get install -y" \
    "--no-install-recommends ${PACKAGES[*]}" >&2
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

echo "ensure_fonts: installing ${PACKAGES[*]} with apt-get"
"${as_root[@]}" apt-get update || fail "apt-get update failed"
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y --no-install-recommends "${PACKAGES[@]}" \
  || fail "apt-get install ${PACKAGES[*]} failed"

have_everything || fail "installed, but $FONT or $PDFTOTEXT is still missing"
echo "ensure_fonts: installed fonts-ipaexfont-gothic" \
  "$(dpkg-query -W -f='${Version}' fonts-ipaexfont-gothic 2>/dev/null || true)"
