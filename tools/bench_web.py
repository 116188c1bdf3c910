"""`make bench-web`: the member portal under load, on PostgreSQL behind gunicorn, over loopback.

1. Drops and recreates the database `kyosai_bench` at 127.0.0.1:5432, migrates it, loads the
   demo book and adds the simulated members (one precomputed password hash, one bulk insert).
2. Starts gunicorn on a free 127.0.0.1 port with DEBUG off and waits until it answers.
3. Logs every simulated member in (not measured: a real PBKDF2 login costs ~0.5 s of CPU), then
   runs them concurrently for --warmup seconds (not measured) and --seconds (measured). Each
   member loops: マイページ, the enrollment form, the form posted to its confirmation, the
   confirmation submitted, the procedure page, pausing --think seconds (±50%) between requests.
   Each member alternates the schemes; the first submission in each scheme becomes a contract,
   later ones are full submissions that land as 'checking' (duplicate: one live contract per
   scheme), which is what the STP path costs plus the duplicate check.
4. Prints p50/p95/p99 and throughput for page views (GET) and submissions (POST), per step and
   overall, with whether p95 is under the target; stops gunicorn (also on Ctrl-C or an error).

Bounded: the run stops at --seconds or --max-requests, every request has a timeout, gunicorn is
killed with its whole process group. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django_otp.oath import TOTP

ROOT = Path(__file__).resolve().parents[1]
# Another name keeps a smoke run (tests/test_benches.py) off a database being measured.
DB_NAME = os.environ.get("KYOSAI_BENCH_DATABASE", "kyosai_bench")
PASSWORD = "bench-member-2026"  # noqa: S105  # a throwaway database's simulated members
TARGET_P95_MS = 150.0
REQUEST_TIMEOUT = 30.0
LOGIN_TIMEOUT = 180.0
ENV = {
    "KYOSAI_DB": "postgres",
    "KYOSAI_PG_NAME": DB_NAME,
    "KYOSAI_DEBUG": "0",
    "KYOSAI_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
    "KYOSAI_ALLOWED_HOSTS": "127.0.0.1",
    # With DEBUG off the signing key must be named: the demo book's certificates are signed with
    # the repository's throw-away test pair (a benchmark database, never a member's).
    "KYOSAI_CERT_SIGNING_KEY": str(ROOT / "tests" / "certificates" / "test_signing_key.pem"),
    "KYOSAI_CERT_SIGNING_CERT": str(ROOT / "tests" / "certificates" / "test_signing_cert.pem"),
}
PAGE_VIEW, SUBMISSION, LOGIN = "page view", "submission", "login"
STEPS = {  # step → category
    "GET /portal/": PAGE_VIEW,
    "GET /portal/enroll/<scheme>/": PAGE_VIEW,
    "POST /portal/enroll/<scheme>/": SUBMISSION,
    "POST /portal/enroll/<scheme>/submit/": SUBMISSION,
    "GET /portal/procedures/<pk>/": PAGE_VIEW,
}
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([0-9a-f]+)"')
PROCEDURE_RE = re.compile(r"^(?:http://[^/]+)?(/portal/procedures/\d+/)$")

# The valid enrollment of tests/web/test_portal.py, typed the way people type it.
FORM = {
    "kind": "corporation",
    "organisation": "company",
    "name": "株式会社さくら製作所",
    "name_kana": "かぶしきがいしゃさくらせいさくしょ",
    "representative_name": "桜 太郎",
    "postal_code": "１０５－００１１",
    "address": "芝公園１－１－１",
    "phone": "０３－１２３４－５６７８",
    "industry": "manufacturing",
    "industry_detail": "",
    "employees": "12",
    "capital_yen": "１０，０００，０００",
    "business_started": "2015-04",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "12345",
    "holder_kana": "さくらせいさくしょ",
}
MONTHLY = {"tosan": ["10000", "20000", "50000", "100000"], "shokibo": ["5000", "10000", "30000"]}


def totp_key(index: int) -> str:
    """Each simulated member's authenticator key (hex), known to the client that plays them."""
    return hashlib.sha1(f"bench:{index}".encode(), usedforsecurity=False).hexdigest()


def email(index: int) -> str:
    return f"bench-{index:03d}@example.jp"


def form_for(index: int, scheme: str, rng: random.Random) -> dict[str, str]:
    """Even members are companies (each its own 法人番号), odd ones sole proprietors."""
    from kyosai.formats.identifiers import corporate_check_digit

    data = {**FORM, "monthly_yen": rng.choice(MONTHLY[scheme])}
    if index % 2 == 0:
        base = f"{700_000_000_000 + index:012d}"
        data["corporate_number"] = f"{corporate_check_digit(base)}{base}"
        data["name"] = f"株式会社さくら製作所{index}"
        position = "company_officer"
    else:
        data.update(
            kind="individual",
            organisation="",
            corporate_number="",
            capital_yen="",
            name=f"桜 花子{index}",
            name_kana="さくら はなこ",
            industry="retail",
            employees="3",
        )
        position = "sole_proprietor"
    if scheme == "shokibo":
        data["position"] = position
    return data


# --- results -----------------------------------------------------------------------------------


@dataclass
class Results:
    started: float = 0.0  # measured window [started, ended)
    ended: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    requests: int = 0  # every request sent, warm-up included (the --max-requests bound)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, began: float, seconds: float, error: str | None) -> None:
        with self.lock:
            if not self.started <= began < self.ended:
                return
            self.latencies[step].append(seconds * 1000)
            if error:
                self.errors[step] += 1
                if len(self.error_samples) < 10:
                    self.error_samples.append(f"{step}: {error}")


class RunOverError(Exception):
    """The run is over (time, request bound or Ctrl-C): the member stops."""


# --- the simulated member ----------------------------------------------------------------------


class Member:
    """One browser: a keep-alive connection, its cookies, and the CSRF token of the last page."""

    def __init__(self, index: int, port: int, results: Results, args: argparse.Namespace):
        self.index, self.port, self.results, self.args = index, port, results, args
        self.rng = random.Random(index)  # noqa: S311  # load shape, not security
        self.cookies: dict[str, str] = {}
        self.csrf = ""
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body); raises OSError/HTTPException on a transport failure."""
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "kyosai-bench"}
        if self.args.https:  # what a TLS-terminating proxy in front of gunicorn adds
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"{'https' if self.args.https else 'http'}://127.0.0.1:{self.port}"
        for attempt in (1, 2):  # a keep-alive connection the server closed is reopened once
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, REQUEST_TIMEOUT)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if match := CSRF_RE.search(text):
            self.csrf = match.group(1)
        return response.status, response.getheader("Location") or "", text

    def step(
        self, step: str, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        stop = self.args.stop
        if stop.is_set():
            raise RunOverError
        with self.results.lock:
            self.results.requests += 1
            if self.results.requests > self.args.max_requests:
                stop.set()
                raise RunOverError
        began = time.perf_counter()
        try:
            status, location, text = self.request(method, path, form)
        except (OSError, http.client.HTTPException) as exc:
            self.results.add(step, began, time.perf_counter() - began, repr(exc))
            if stop.is_set():
                raise RunOverError from exc
            raise ValueError(repr(exc)) from exc
        elapsed = time.perf_counter() - began
        error = None if 200 <= status < 400 else f"HTTP {status} {path}"
        self.results.add(step, began, elapsed, error)
        if error:
            raise ValueError(error)
        return status, location, text

    def think(self) -> None:
        if self.args.think > 0:
            self.args.stop.wait(self.args.think * self.rng.uniform(0.5, 1.5))

    def login(self) -> None:
        self.request("GET", "/login/")
        status, location, _ = self.request(
            "POST", "/login/", {"username": email(self.index), "password": PASSWORD}
        )
        if status != 302:
            raise RuntimeError(f"login of {email(self.index)} failed: HTTP {status} {location}")
        # The second factor, as the member's authenticator app would answer it.
        self.request("GET", "/2fa/verify/?next=/portal/")
        code = f"{TOTP(bytes.fromhex(totp_key(self.index))).token():06d}"
        status, location, _ = self.request(
            "POST", "/2fa/verify/", {"code": code, "next": "/portal/"}
        )
        if status != 302 or location != "/portal/":
            raise RuntimeError(f"second factor of {email(self.index)} failed: HTTP {status}")

    def run(self) -> None:
        schemes = ["tosan", "shokibo"] if self.index % 2 == 0 else ["shokibo", "tosan"]
        n = 0
        with contextlib.suppress(RunOverError):
            while not self.args.stop.is_set():
                scheme = schemes[n % 2]
                n += 1
                try:
                    self.cycle(scheme)
                except ValueError:
                    # Counted already; start the next cycle after a pause, from マイページ.
                    self.think()

    def cycle(self, scheme: str) -> None:
        enroll = f"/portal/enroll/{scheme}/"
        self.step("GET /portal/", "GET", "/portal/")
        self.think()
        self.step("GET /portal/enroll/<scheme>/", "GET", enroll)
        self.think()
        _, _, page = self.step(
            "POST /portal/enroll/<scheme>/", "POST", enroll, form_for(self.index, scheme, self.rng)
        )
        token = TOKEN_RE.search(page)
        if token is None:
            self.fail("POST /portal/enroll/<scheme>/", "no confirmation token (form refused)")
        self.think()
        _, location, _ = self.step(
            "POST /portal/enroll/<scheme>/submit/",
            "POST",
            f"{enroll}submit/",
            {"token": token.group(1)},  # type: ignore[union-attr]  # fail() raised
        )
        target = PROCEDURE_RE.match(location)
        if target is None:
            self.fail("POST /portal/enroll/<scheme>/submit/", f"redirected to {location!r}")
        self.think()
        self.step("GET /portal/procedures/<pk>/", "GET", target.group(1))  # type: ignore[union-attr]
        self.think()

    def fail(self, step: str, why: str) -> None:
        """A 2xx/3xx answer that is still wrong: count it as an error of its step."""
        with self.results.lock:
            self.results.errors[step] += 1
            if len(self.results.error_samples) < 10:
                self.results.error_samples.append(f"{step}: {why}")
        raise ValueError(why)


# --- setup and the server ----------------------------------------------------------------------


def prepare_database(users: int) -> None:
    """A fresh `kyosai_bench`: migrated, the demo book, and the simulated members."""
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(ENV)
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from kyosai.demo import load_demo

    call_command("migrate", verbosity=0, interactive=False)
    summary = load_demo(today=timezone.localdate())
    hashed = make_password(PASSWORD)
    members = User.objects.bulk_create(
        User(username=email(i), email=email(i), password=hashed) for i in range(users)
    )
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=member, name="bench", key=totp_key(i), confirmed=True)
        for i, member in enumerate(members)
    )
    connections.close_all()
    print(
        f"database {DB_NAME}: demo book {summary.members:,} members, "
        f"{summary.contracts:,} contracts; {users} simulated members"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_gunicorn(args: argparse.Namespace, port: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "kyosai.config.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--worker-class={'gthread' if args.threads > 1 else 'sync'}",
        f"--threads={args.threads}",
        "--preload",  # load the app (and its warmed caches) once, before forking the workers
        "--keep-alive=5",
        "--timeout=30",
        "--graceful-timeout=5",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    return subprocess.Popen(  # noqa: S603  # our own interpreter and fixed arguments
        command,
        cwd=ROOT,
        env={**os.environ, **ENV},
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: killed as a whole, never by Ctrl-C
    )


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, sig)
        try:
            server.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        break
    with contextlib.suppress(ProcessLookupError):  # stray workers of the group, if any
        os.killpg(server.pid, signal.SIGKILL)


def wait_until_ready(
    server: subprocess.Popen[bytes], port: int, log: Path, args: argparse.Namespace
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            headers = {"Host": f"127.0.0.1:{port}"}
            if args.https:
                headers["X-Forwarded-Proto"] = "https"
            conn.request("GET", "/login/", headers=headers)
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            raise RuntimeError(f"GET /login/ answered {status}:\n{log.read_text()}")
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


# --- the run -----------------------------------------------------------------------------------


def run_load(args: argparse.Namespace, port: int) -> Results:
    results = Results()
    members = [Member(i, port, results, args) for i in range(args.users)]

    # Logins a few at a time: each is a real PBKDF2 check (~1 s of CPU here), so 50 at once
    # would only queue behind each other past the request timeout.
    began = time.perf_counter()
    failures: list[str] = []
    waiting = list(members)
    waiting_lock = threading.Lock()

    def log_in() -> None:
        while not args.stop.is_set():
            with waiting_lock:
                if not waiting:
                    return
                member = waiting.pop()
            try:
                member.login()
            except Exception as exc:  # reported below, the run refuses to start
                failures.append(repr(exc))

    threads = [threading.Thread(target=log_in, daemon=True) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, began + LOGIN_TIMEOUT - time.perf_counter()))
    if failures or waiting or any(t.is_alive() for t in threads):
        args.stop.set()
        raise RuntimeError(f"logins failed or took over {LOGIN_TIMEOUT:g} s: {failures[:3]}")
    print(f"{args.users} members logged in ({time.perf_counter() - began:.1f} s, not measured)")

    now = time.perf_counter()
    results.started = now + args.warmup
    results.ended = results.started + args.seconds
    threads = [threading.Thread(target=m.run, daemon=True) for m in members]
    for thread in threads:
        thread.start()
    print(f"warm-up {args.warmup:g} s, then measuring {args.seconds:g} s …", flush=True)
    while time.perf_counter() < results.ended and not args.stop.is_set():
        time.sleep(0.2)
    results.ended = min(results.ended, time.perf_counter())
    args.stop.set()
    deadline = time.perf_counter() + REQUEST_TIMEOUT + 5
    for thread in threads:
        thread.join(max(0.1, deadline - time.perf_counter()))
    for member in members:
        if member.conn is not None:
            member.conn.close()
    return results


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        v = values[0] if values else float("nan")
        return v, v, v
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def report(results: Results, args: argparse.Namespace) -> bool:
    seconds = max(results.ended - results.started, 1e-9)
    rows: list[tuple[str, list[float], int]] = []
    for step in STEPS:
        rows.append((f"  {step}", results.latencies.get(step, []), results.errors[step]))
    by_category: dict[str, tuple[list[float], int]] = {}
    for category in (PAGE_VIEW, SUBMISSION):
        steps = [s for s, c in STEPS.items() if c == category]
        values = [v for s in steps for v in results.latencies.get(s, [])]
        by_category[category] = (values, sum(results.errors[s] for s in steps))
    everything = [v for values in results.latencies.values() for v in values]
    errors_total = sum(results.errors.values())

    header = f"{'category':<42}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>8}  p95<{TARGET_P95_MS:g}ms"
    print()
    print(
        f"kyosai bench-web: {args.users} members, think {args.think:g} s ±50%, gunicorn "
        f"{args.workers} workers × {args.threads} threads, {seconds:.1f} s measured"
    )
    print(header)
    print("-" * len(header))

    def line(name: str, values: list[float], errors: int, verdict: bool) -> bool:
        p50, p95, p99 = percentiles(values)
        ok = bool(values) and p95 < TARGET_P95_MS
        mark = ("yes" if ok else "NO") if verdict else ""
        print(
            f"{name:<42}{len(values):>9}{errors:>8}{p50:>9.1f}{p95:>9.1f}{p99:>9.1f}"
            f"{len(values) / seconds:>8.1f}  {mark}"
        )
        return ok

    passed = True
    for category, (values, errors) in by_category.items():
        passed &= line(category, values, errors, verdict=True)
        for name, step_values, step_errors in rows:
            if STEPS[name.strip()] == category:
                line(name, step_values, step_errors, verdict=False)
    passed &= line("overall", everything, errors_total, verdict=True)
    for sample in results.error_samples:
        print(f"error: {sample}")
    return passed and errors_total == 0


def outcomes() -> None:
    """How the submissions landed, from the database (after the server stopped)."""
    from django.db import connections
    from django.db.models import Count

    from kyosai.procedures.models import Procedure

    counts = (
        Procedure.objects.filter(submitted_by__username__startswith="bench-")
        .values_list("scheme", "status")
        .annotate(n=Count("id"))
        .order_by("scheme", "status")
    )
    print(
        "procedures submitted (warm-up included): "
        + ", ".join(f"{s} {st} {n}" for s, st, n in counts)
    )
    connections.close_all()


def interrupted(signum: int, frame: object) -> None:
    """SIGTERM ends the run like Ctrl-C: gunicorn is stopped on the way out."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent members (50)")
    parser.add_argument("--seconds", type=float, default=30, help="measured seconds (30)")
    parser.add_argument("--warmup", type=float, default=10, help="unmeasured seconds first (10)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between a member's requests (1.0 s)"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help=">1 uses gthread workers")
    parser.add_argument(
        "--settings",
        default="kyosai.config.settings",
        help="DJANGO_SETTINGS_MODULE for setup and gunicorn (kyosai.config.settings, DEBUG off)",
    )
    parser.add_argument(
        "--https",
        action="store_true",
        help="send X-Forwarded-Proto: https as a TLS proxy would (for production settings)",
    )
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard bound on requests")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 500 or not 0 < args.seconds <= 600 or not 0 <= args.warmup <= 300:
        parser.error("--users 1..500, --seconds 0..600, --warmup 0..300")
    args.stop = threading.Event()
    ENV["DJANGO_SETTINGS_MODULE"] = args.settings
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        print(
            "gunicorn is not installed in this environment (pip install gunicorn)", file=sys.stderr
        )
        return 2
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        print("PostgreSQL does not answer at 127.0.0.1:5432", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, interrupted)

    prepare_database(args.users)
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="kyosai-bench-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        server = start_gunicorn(args, port, log)
        try:
            wait_until_ready(server, port, log, args)
            print(f"gunicorn on 127.0.0.1:{port} (pid {server.pid})")
            results = run_load(args, port)
        except KeyboardInterrupt:
            args.stop.set()
            print("interrupted: stopping gunicorn", file=sys.stderr)
            return 130
        finally:
            args.stop.set()
            stop_gunicorn(server)
            if log.exists() and log.read_text().strip():
                print("gunicorn log (warnings and errors):\n" + log.read_text()[-3000:])
    passed = report(results, args)
    outcomes()
    print(f"target p95 < {TARGET_P95_MS:g} ms with no errors: {'met' if passed else 'NOT met'}")
    # A missed latency target is a figure to read, not a failure; errors are a broken portal.
    return 1 if sum(results.errors.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
