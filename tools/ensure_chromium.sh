#!/usr/bin/env bash
# Debian's Chromium for the browser tests (driven by Playwright; its own browser download,
# `playwright install`, is never used), and fonts-noto-cjk so Japanese pages render in
# screenshots instead of boxes.
exec bash "$(dirname "$0")/ensure_apt.sh" ensure_chromium \
  /usr/bin/chromium=chromium \
  /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk
