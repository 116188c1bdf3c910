"""`make bench-reports`: the management reports over a national-size book.

1. Drops and recreates the PostgreSQL database `kyosai_bench_reports` at 127.0.0.1:5432 and
   migrates it.
2. Fills it (not measured), set-based: 1,175 handling agencies (25 in each of the 47
   prefectures, of every kind); --contracts contracts (72 % 小規模企業共済), each with its party
   spread over the prefectures (more in Tokyo and Osaka) and the industries, 85 % with a
   handling agency of their own prefecture, joined over the 15 fiscal years to 令和8年11月 (more
   in later years), 3 % cancelled; and --procedures procedures received over the three years
   2023-12 … 2026-11, of every kind (more 掛金月額変更 and 加入), by every channel (the online
   share rising from about 15 % to 45 % over the years), with their timelines: straight through
   (decided within seconds), sent back 不備 and then decided, or through the staff queue (1 h to
   20 days, some rejected), and a part of the last 30 days still undecided.
3. Rebuilds the scorecard tallies from scratch and then as the nightly run does, timing both.
4. Requests each report in REPORTS as a signed-in administrator through Django's test client:
   the first request (cold) and the median of three more (warm), against the 2 s target.

Only 127.0.0.1 is contacted. --contracts/--procedures make a smaller book (the smoke test).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from pathlib import Path

from bench_database import recreate_database

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("KYOSAI_BENCH_DATABASE", "kyosai_bench_reports")
TARGET_SECONDS = 2.0
TODAY = dt.date(2026, 11, 30)
WARM_RUNS = 3

# (name, URL) of every report timed; add the other reports' URLs here.
REPORTS = [
    ("オンライン利用率 page R5.9-R8.11", "/staff/scorecards/?first=2023-09&last=2026-11"),
    ("オンライン利用率 CSV", "/staff/scorecards/online/csv/?first=2023-09&last=2026-11"),
    ("オンライン利用率 Excel", "/staff/scorecards/online/xlsx/?first=2023-09&last=2026-11"),
    ("STP・不備・処理時間 page FY2026", "/staff/scorecards/operations/?first=2026-04&last=2026-11"),
    ("STP・不備・処理時間 page 3 years", "/staff/scorecards/operations/?first=2023-12&last=2026-11"),
    ("STP・不備・処理時間 CSV 3 years", "/staff/scorecards/operations/csv/?first=2023-12&last=2026-11"),
    ("STP・不備・処理時間 Excel 3 years", "/staff/scorecards/operations/xlsx/?first=2023-12&last=2026-11"),
    ("加入促進計画 page FY2026", "/staff/reports/plan/?scheme=tosan&fiscal_year=2026"),
    ("達成状況 page FY2026", "/staff/reports/achievement/?fiscal_year=2026"),
    ("達成状況 CSV FY2026", "/staff/reports/achievement/?fiscal_year=2026&format=csv"),
    ("達成状況 Excel FY2026", "/staff/reports/achievement/?fiscal_year=2026&format=xlsx"),
    ("強調月間 page FY2025", "/staff/reports/campaign/?fiscal_year=2025"),
    ("モデル都道府県 page FY2026", "/staff/reports/model-prefectures/?fiscal_year=2026"),
    ("ランキング shokibo FY2025", "/staff/reports/ranking/?scheme=shokibo&fiscal_year=2025"),
    ("ランキング tosan FY2025", "/staff/reports/ranking/?scheme=tosan&fiscal_year=2025"),
    ("ランキング Excel FY2025", "/staff/reports/ranking/?scheme=shokibo&fiscal_year=2025&format=xlsx"),
]  # fmt: skip
# The published 令和8年度 tosan plan, imported before the reports are timed.
PLAN = ROOT / "src" / "kyosai" / "reports" / "data" / "tosan_plan_r8_targets.csv"

AGENCY_KINDS = [
    "shokokai", "chamber", "central_association", "blue_return", "tax_accountants",
    "other_association", "city_bank", "regional_bank", "second_regional_bank", "shinkin",
    "credit_cooperative", "shoko_chukin", "agricultural_cooperative",
]  # fmt: skip
INDUSTRIES = [
    "construction",
    "manufacturing",
    "wholesale",
    "retail",
    "transport",
    "service",
    "other",
    "service",
    "retail",
    "construction",
]  # fmt: skip (weighted by repeats)
# Per mille of procedures by kind, with the scheme: '' (both), 'shokibo', 'tosan' or 'split'.
KINDS = [
    ("premium_change", 300, "split"), ("enrollment", 200, "split"), ("party_change", 150, ""),
    ("mandate_change", 100, "split"), ("cancellation", 80, "split"), ("prepayment", 50, "split"),
    ("benefit_claim", 30, "shokibo"), ("suspension", 20, "tosan"), ("resumption", 10, "tosan"),
    ("tsusan", 10, "shokibo"), ("kyosaikin_loan", 10, "tosan"), ("temporary_loan", 20, "tosan"),
    ("contract_loan", 20, "shokibo"),
]  # fmt: skip
STAFF_KINDS = ("cancellation", "benefit_claim", "tsusan", "kyosaikin_loan", "temporary_loan",
               "contract_loan")  # fmt: skip
AGENCIES_PER_PREFECTURE = 25


def _kind_case(column: str) -> str:
    """SQL: the kind for a per-mille value in `column` (KINDS' shares, in order)."""
    parts, upto = [], 0
    for kind, share, _ in KINDS:
        upto += share
        parts.append(f"WHEN {column} < {upto} THEN '{kind}'")
    return f"CASE {' '.join(parts)} END"


def _scheme_case(kind: str, id_column: str) -> str:
    parts = []
    for name, _, scheme in KINDS:
        value = f"CASE WHEN {id_column} % 100 < 72 THEN 'shokibo' ELSE 'tosan' END"
        parts.append(f"WHEN {kind} = '{name}' THEN {value if scheme == 'split' else repr(scheme)}")
    return f"CASE {' '.join(parts)} END"


def fill(contracts: int, procedures: int) -> None:
    from django.db import connection

    shokibo = contracts * 72 // 100
    agencies = 47 * AGENCIES_PER_PREFECTURE
    span = 1095 * 86400  # three years of seconds, 2023-12-01 to 2026-11-30
    staff_kinds = ", ".join(f"'{k}'" for k in STAFF_KINDS)
    statements = [
        # Foreign keys are not checked row by row while filling (the rows are made consistent).
        "SET session_replication_role = replica",
        f"""INSERT INTO agencies_agency (code, name, kind, prefecture_code)
            SELECT 'B' || lpad(g::text, 5, '0'), 'ベンチ取扱機関' || g,
                   (ARRAY{AGENCY_KINDS!r})[1 + g % {len(AGENCY_KINDS)}],
                   lpad(((g - 1) % 47 + 1)::text, 2, '0')
            FROM generate_series(1::bigint, {agencies}) g""",
        # Prefecture: 12 % Tokyo, 6 % Osaka, 4 % Aichi, the rest spread evenly.
        f"""INSERT INTO parties_party (kind, organisation, name, name_kana, corporate_number,
                representative_name, representative_kana, postal_code, prefecture_code, address,
                phone, industry, industry_detail, employees, capital_yen, business_started_on,
                created_at)
            SELECT CASE WHEN g % 3 = 0 THEN 'corporation' ELSE 'individual' END,
                   CASE WHEN g % 3 = 0 THEN 'company' ELSE 'sole_proprietor' END,
                   'ベンチ' || g, 'ベンチ',
                   CASE WHEN g % 3 = 0 THEN '1' || lpad(g::text, 12, '0') END, '', '', '1000001',
                   CASE WHEN g % 100 < 12 THEN '13' WHEN g % 100 < 18 THEN '27'
                        WHEN g % 100 < 22 THEN '23'
                        ELSE lpad(((g * 7919) % 47 + 1)::text, 2, '0') END,
                   '東京都千代田区', '0300000000',
                   (ARRAY{INDUSTRIES!r})[1 + (g * 31) % {len(INDUSTRIES)}], '', 1 + g % 20,
                   CASE WHEN g % 3 = 0 THEN 10000000 END, '2008-04-01', now()
            FROM generate_series(1::bigint, {contracts}) g""",
        # Joined over 15 years up to November 2026, more recently more (the square root).
        f"""INSERT INTO contracts_contract (scheme, number, party_id, status, position,
                joined_month, issued_at, handling_agency_id)
            SELECT s.scheme,
                   lpad(s.base::text, 7, '0') || lpad((98 - (s.base * 100) % 97)::text, 2, '0'),
                   p.id, CASE WHEN p.id % 100 < 3 THEN 'cancelled' ELSE 'active' END,
                   CASE WHEN s.scheme = 'shokibo' THEN 'sole_proprietor' ELSE '' END,
                   j.joined, j.joined - interval '12 days' + interval '10 hours',
                   CASE WHEN p.id % 100 < 85 THEN
                       (p.prefecture_code::int - 1)
                       + 47 * ((p.id * 13) % {AGENCIES_PER_PREFECTURE}) + 1 END
            FROM parties_party p,
                 LATERAL (SELECT CASE WHEN p.id <= {shokibo} THEN 'shokibo' ELSE 'tosan' END
                                     AS scheme,
                                 CASE WHEN p.id <= {shokibo} THEN 1000000 + p.id
                                      ELSE 6000000 + p.id - {shokibo} END AS base) s,
                 LATERAL (SELECT (date '2026-11-01' - make_interval(months =>
                     (179 - floor(sqrt(((p.id * 7919) % 32400)::float8)))::int))::date
                     AS joined) j""",
        # The procedures, worked out first: ids 1..N in order of receipt; kind, channel and
        # outcome from hashes of the id (u); in the last 30 days 30 % are still undecided.
        f"""CREATE TEMP TABLE outcome AS
            SELECT g AS id, k.kind, {_scheme_case("k.kind", "g")} AS scheme,
                   CASE WHEN k.kind = 'cancellation' AND g % 20 = 0 THEN 'operator'
                        WHEN (g * 40503) % 1000 < 150 + 300 * g / {procedures} THEN 'online'
                        WHEN (g * 40503) % 1000 < 200 + 300 * g / {procedures} THEN 'agency'
                        ELSE 'paper' END AS channel,
                   r.received_at,
                   CASE WHEN r.received_at > timestamptz '2026-10-31 00:00+09'
                             AND (g * 69069) % 1000 >= 700 THEN 'open'
                        WHEN k.kind IN ({staff_kinds}) OR (g * 69069) % 1000 >= 650 THEN 'staff'
                        WHEN (g * 69069) % 1000 >= 600 THEN 'deficient'
                        ELSE 'stp' END AS path,
                   (g * 69069) % 1000 AS u
            FROM generate_series(1::bigint, {procedures}) g,
                 LATERAL (SELECT {_kind_case("(g * 2654435761) % 1000")} AS kind) k,
                 LATERAL (SELECT timestamptz '2023-12-01 09:00+09'
                     + make_interval(secs => (g * {span} / {procedures})::float8)
                     AS received_at) r""",
        """INSERT INTO procedures_procedure (id, kind, scheme, channel, status, received_at,
                idempotency_key, payload, deficiencies)
           SELECT id, kind, scheme, channel,
                  CASE path WHEN 'open' THEN 'checking' WHEN 'staff' THEN
                       CASE WHEN u >= 970 THEN 'rejected' ELSE 'done' END ELSE 'done' END,
                  received_at, 'bench-' || id, '{}', '[]'
           FROM outcome""",
        "SELECT setval('procedures_procedure_id_seq', (SELECT max(id) FROM outcome))",
        """INSERT INTO procedures_procedureevent (procedure_id, at, status, message, staff_only,
                checks)
           SELECT id, received_at, 'received', 'お申込みを受け付けました。', false, '[]'
           FROM outcome""",
        """INSERT INTO procedures_procedureevent (procedure_id, at, status, message, staff_only,
                checks)
           SELECT id, received_at + interval '1 second',
                  CASE WHEN path = 'deficient' THEN 'deficient' ELSE 'checking' END,
                  '確認', false, '[]'
           FROM outcome WHERE path IN ('staff', 'deficient', 'open')""",
        # The decision: seconds (STP), 1–10 days after a 不備, 1–480 hours in the staff queue.
        """INSERT INTO procedures_procedureevent (procedure_id, at, status, message, staff_only,
                checks)
           SELECT id,
                  received_at + CASE path
                      WHEN 'stp' THEN make_interval(secs => 1 + u % 30)
                      WHEN 'deficient' THEN make_interval(hours => (24 * (1 + id % 10))::int)
                      ELSE make_interval(hours => (1 + (id * 7) % 480)::int,
                                         mins => (id % 60)::int) END,
                  CASE WHEN path = 'staff' AND u >= 970 THEN 'rejected' ELSE 'done' END,
                  '判断', false, '[]'
           FROM outcome WHERE path <> 'open'""",
        "SET session_replication_role = DEFAULT",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    # As a running database is: vacuumed and analysed, its WAL flushed.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")


def signed_in_client() -> object:
    """A test client signed in as an administrator who has passed the second factor."""
    from django.contrib.auth.models import Group, User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("bench-admin", is_staff=True)
    user.groups.add(Group.objects.get(name="administrator"))
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def timed(client: object, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)  # type: ignore[attr-defined]
    return time.perf_counter() - started, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=2_300_000)
    parser.add_argument("--procedures", type=int, default=10_000_000)
    args = parser.parse_args()
    os.environ.update(
        KYOSAI_DB="postgres", KYOSAI_PG_NAME=DB_NAME, KYOSAI_DEBUG="0",
        KYOSAI_ALLOWED_HOSTS="testserver", DJANGO_SETTINGS_MODULE="kyosai.config.settings",
    )  # fmt: skip
    print(f"database {DB_NAME}: creating and migrating …", flush=True)
    recreate_database(DB_NAME)
    import django

    django.setup()
    from kyosai.scorecards.models import Tally
    from kyosai.scorecards.tallies import refresh

    started = time.perf_counter()
    fill(args.contracts, args.procedures)
    print(
        f"filled {args.contracts:,} contracts and {args.procedures:,} procedures in "
        f"{time.perf_counter() - started:.1f} s (not measured)",
        flush=True,
    )
    full = refresh(today=TODAY)
    print(
        f"scorecard tallies, full rebuild:   {full.seconds:7.1f} s  {Tally.objects.count():,} rows",
        flush=True,
    )
    nightly = refresh(today=TODAY)
    print(
        f"scorecard tallies, nightly run:    {nightly.seconds:7.1f} s  (from {nightly.since:%Y-%m})",
        flush=True,
    )

    from django.core.management import call_command

    call_command("reports", "import-plan", str(PLAN))
    client = signed_in_client()
    print()
    print(f"{'report':<36} {'cold s':>7} {'warm s':>7}  (median of {WARM_RUNS}; target ≤ 2 s)")
    for name, url in REPORTS:
        cold, status = timed(client, url)
        warm_runs = [timed(client, url) for _ in range(WARM_RUNS)]
        statuses = {status, *(s for _, s in warm_runs)}
        warm = statistics.median(t for t, _ in warm_runs)
        verdict = "OK" if max(cold, warm) <= TARGET_SECONDS else "over"
        if statuses != {200}:
            verdict = f"HTTP {sorted(statuses)}"
        print(f"{name:<36} {cold:7.3f} {warm:7.3f}  {verdict}", flush=True)


if __name__ == "__main__":
    main()
