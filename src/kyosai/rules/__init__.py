"""The statutes of both schemes as pure Python.

No Django, no I/O beyond reading the parameter files next to this package, no clock: every date
comes in as an argument. Every calculation returns its amount together with a `Trace`.
"""
