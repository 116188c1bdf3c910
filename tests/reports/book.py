"""A small book of contracts whose report figures are worked out by hand in the tests.

令和8年度 (FY2026), counted up to 2027-01-31 (the 4月〜1月 of h29_block_results.csv). Japan time.
"""

import datetime as dt
from itertools import count
from zoneinfo import ZoneInfo

from kyosai.agencies.models import Agency
from kyosai.contracts.models import Contract
from kyosai.parties.models import Party
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import PlanLine, do_replace_plans
from kyosai.rules.scheme import Scheme

AS_OF = dt.date(2027, 1, 31)
TOKYO = ZoneInfo("Asia/Tokyo")
_serial = count(1)
D = PlanTarget.Dimension

# The fixture plan of tosan FY2026: blocks and industries each adding up to 23.
BLOCK_TARGETS = {"北海道": 4, "東北": 1, "関東": 8, "北陸": 1, "中部": 1, "近畿": 3, "中国": 1,
                 "四国": 1, "九州": 3}  # fmt: skip
INDUSTRY_TARGETS = {"construction": 3, "manufacturing": 3, "wholesale": 1, "retail": 3,
                    "transport": 2, "service": 10, "other": 1}  # fmt: skip


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def contract(
    scheme: Scheme,
    prefecture: str,
    industry: str,
    issued_at: dt.datetime,
    agency: Agency | None = None,
    status: str = Contract.Status.ACTIVE,
) -> Contract:
    n = next(_serial)
    party = Party.objects.create(
        kind=Party.Kind.INDIVIDUAL, organisation="sole_proprietor", name=f"会員{n}",
        name_kana="カイイン", postal_code="1000001", prefecture_code=prefecture,
        address="東京都千代田区", phone="0300000000", industry=industry, employees=1,
        business_started_on=dt.date(2010, 4, 1),
    )  # fmt: skip
    return Contract.objects.create(
        scheme=scheme, number=f"{n:09d}", party=party, joined_month=issued_at.date().replace(day=1),
        issued_at=issued_at, handling_agency=agency, status=status,
    )  # fmt: skip


def plan(scheme: Scheme = Scheme.TOSAN, year: int = 2026) -> None:
    lines = [PlanLine(scheme, year, D.BLOCK, k, v) for k, v in BLOCK_TARGETS.items()]
    lines += [PlanLine(scheme, year, D.INDUSTRY, k, v) for k, v in INDUSTRY_TARGETS.items()]
    lines += [
        PlanLine(scheme, year, D.TOTAL, "合計", 23),
        PlanLine(scheme, year, D.MODEL_PREFECTURE, "13", 4),  # 東京都, with a target
        PlanLine(scheme, year, D.MODEL_PREFECTURE, "27", None),  # 大阪府, without
    ]
    do_replace_plans(lines, source="test", acting_user=None)


def book() -> None:
    """tosan, in FY2026 to 1月末: 北海道 2 (建設業 on 4/1 at midnight, 小売業 in October),
    関東 3 (東京都 サービス業 on 11/30 at 23:59 and on 12/1, 新潟県 製造業 on 1/31 at 23:00),
    九州 1 (沖縄県 運輸・通信業, cancelled since: still a new contract of the year). Outside:
    大阪府 on 2/1 (after the day counted to) and on 2026-03-31 at 23:59 (the year before), and
    東京都 サービス業 on 2025-10-20 (last year's 強調月間). shokibo: 東京都 サービス業 and
    北海道 建設業, no plan."""
    t = Scheme.TOSAN
    contract(t, "01", "construction", at(2026, 4, 1, 0, 0))
    contract(t, "01", "retail", at(2026, 10, 15))
    contract(t, "13", "service", at(2026, 11, 30, 23, 59))
    contract(t, "13", "service", at(2026, 12, 1))
    contract(t, "15", "manufacturing", at(2027, 1, 31, 23, 0))
    contract(t, "47", "transport", at(2026, 5, 1), status=Contract.Status.CANCELLED)
    contract(t, "27", "service", at(2027, 2, 1, 0, 0))
    contract(t, "27", "other", at(2026, 3, 31, 23, 59))
    contract(t, "13", "service", at(2025, 10, 20))
    contract(Scheme.SHOKIBO, "13", "service", at(2026, 6, 1))
    contract(Scheme.SHOKIBO, "01", "construction", at(2026, 7, 1))
