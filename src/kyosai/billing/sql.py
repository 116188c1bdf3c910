"""The few SQL spellings that differ between PostgreSQL and SQLite, so the billing statements are
written once (ARCHITECTURE.md: the same code path serves both)."""

from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from django.db import connection, models

FAR_MONTH = 10**6  # a month index after any real month: "no end"


def postgres() -> bool:
    return connection.vendor == "postgresql"


def month_index(column: str) -> str:
    """SQL for rules.calendar.month_index of a DATE column."""
    if postgres():
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    # SQLite keeps dates as ISO text.
    return f"(CAST(substr({column}, 1, 4) AS INTEGER) * 12 + CAST(substr({column}, 6, 2) AS INTEGER) - 1)"


def least(*terms: str) -> str:
    return f"{'LEAST' if postgres() else 'MIN'}({', '.join(terms)})"


def greatest(*terms: str) -> str:
    return f"{'GREATEST' if postgres() else 'MAX'}({', '.join(terms)})"


Params = Mapping[str, Any] | Sequence[Any]  # named (%(name)s) or positional (%s)


def execute(statement: str, params: Params) -> int:
    """Run one statement with named parameters; the number of rows it touched."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return int(cursor.rowcount)


def rows(statement: str, params: Params) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall())


def insert_new(objects: Sequence[models.Model]) -> None:
    """INSERT the unsaved `objects` of one model in one batch, a row whose unique key is taken
    skipped (ON CONFLICT DO NOTHING).

    On PostgreSQL the values travel apart from the statement (server-side binding): Django's
    cursor writes them into the SQL text, a bytea as hex twice its size for the server to parse,
    which made storing the yearly certificates three times slower (2,000 of 25 KB: 1.5 s, here
    0.5 s; make bench-certificates)."""
    if not objects:
        return
    meta = objects[0]._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    statement = (
        f"INSERT INTO {meta.db_table} ({', '.join(field.column for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) ON CONFLICT DO NOTHING"
    )
    values = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in fields]
        for obj in objects
    ]
    if postgres():
        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.executemany(statement, values)
    else:
        with connection.cursor() as cursor:
            cursor.executemany(statement, values)


def bulk_settings() -> None:
    """Inside a transaction: settings for statements over hundreds of thousands of rows.

    - No JIT: compiling the plan took 1.7 s of a 3.8 s statement, again for every chunk.
    - Sorts and hashes in memory: with the default 4 MB they spill to disk.
    """
    if postgres():
        execute("SET LOCAL jit = off", {})
        execute("SET LOCAL work_mem = '256MB'", {})


def hash_joins_only(on: bool) -> None:
    """Inside a transaction: whether the next statements may join by nested loops.

    Off for the statements over every contract of a chunk: PostgreSQL's row estimates for their
    CTEs (the latest mandate per contract, the grouped premiums) come out as 1, which picks
    nested loops that rescan a CTE once per contract (24 s instead of 0.2 s for 14,400
    contracts). On for a few rows found by an index and then looked up by key, which hash joins
    would instead find by reading the whole bill table."""
    if postgres():
        execute(f"SET LOCAL enable_nestloop = {'off' if on else 'on'}", {})
