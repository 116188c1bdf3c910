"""The benchmark commands still run: `make bench-billing`, `make bench-certificates` and
`make bench-web` at a toy size, so a change to the schema or the pages cannot break them
unnoticed (the figures at full size are for the issue notes, not for the suite). They need the PostgreSQL server they drive, and run in
the PostgreSQL pass of `make test`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(
    os.environ.get("KYOSAI_DB") != "postgres", reason="the benchmarks drive PostgreSQL"
)


def bench(database: str, *args: str) -> str:
    # Each benchmark sets its own settings; none of the suite's may leak in. Its database is
    # named for the smoke run, so a full-size database being measured is left alone.
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KYOSAI_", "DJANGO_"))}
    clean["KYOSAI_BENCH_DATABASE"] = database
    done = subprocess.run(  # noqa: S603 - our own interpreter running our own tools
        [sys.executable, *args], cwd=REPO, env=clean, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_bench_billing_bills_and_imports_a_small_book() -> None:
    out = bench("kyosai_smoke_billing", "tools/bench_billing.py", "--contracts", "2000")
    assert "(a) bills and 全銀 files:" in out and "(b) result import:" in out


def test_bench_reports_times_every_report_on_a_small_book() -> None:
    out = bench(
        "kyosai_smoke_reports",
        "tools/bench_reports.py",
        "--contracts",
        "2000",
        "--procedures",
        "20000",
    )
    assert "scorecard tallies, full rebuild:" in out
    timed = out.split("target ≤ 2 s)\n", 1)[1].splitlines()
    # Every report answered 200 (the times at this size say nothing about the target).
    assert len(timed) == 16 and all(line.endswith(("OK", "over")) for line in timed), out


def test_bench_certificates_issues_a_small_book() -> None:
    out = bench("kyosai_smoke_certificates", "tools/bench_certificates.py", "--members", "200")
    assert "(a) PDF" in out and "(b) signed XML" in out
    assert "200 certificates, PDF and XML each" in out and "; 4 with ****)" in out


def test_bench_web_drives_the_portal_without_errors() -> None:
    out = bench(
        "kyosai_smoke_web",
        "tools/bench_web.py",
        "--users",
        "4",
        "--seconds",
        "3",
        "--warmup",
        "1",
        "--workers",
        "2",
    )
    [overall] = [line.split() for line in out.splitlines() if line.startswith("overall")]
    requests, errors = int(overall[1]), int(overall[2])
    assert requests > 0 and errors == 0, out
