"""Reference data of Japan the system checks input against: postal codes, banks, prefectures.

Pure Python over data bundled in packages or beside this module; no Django.
"""
