"""Printable documents rendered as PDF bytes: pure functions of plain facts, no Django, no database.

`kyosai.documents.certificate` renders the 共済契約締結証書 (contract certificate) for both schemes.
The fonts they need come from Debian packages (`tools/ensure_fonts.sh`).
"""
