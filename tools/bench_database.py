"""The benchmarks' own PostgreSQL database at 127.0.0.1:5432: dropped, created and migrated."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def recreate_database(name: str) -> None:
    """Drop and create `name`, then migrate it (KYOSAI_DB/KYOSAI_PG_NAME already point at it)."""
    import psycopg

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name}")
        db.execute(f"CREATE DATABASE {name}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True
    )
