"""Exit 0 when PostgreSQL answers at 127.0.0.1:5432 (used by `make test-postgres`)."""

import socket
import sys

try:
    socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
except OSError:
    sys.exit(1)
