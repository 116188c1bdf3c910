#!/usr/bin/env bash
# IPAexGothic, the TrueType font kyosai.documents embeds in PDFs as a CIDFontType2 subset
# (fonts-noto-cjk cannot replace it: its outlines are CFF, another kind of embedded font), and
# poppler-utils, with which the PDF tests read the documents back.
exec bash "$(dirname "$0")/ensure_apt.sh" ensure_fonts \
  /usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf=fonts-ipaexfont-gothic \
  /usr/bin/pdftotext=poppler-utils
