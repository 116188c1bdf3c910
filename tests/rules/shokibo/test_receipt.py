"""受取方法 (R1–R5): W14, the 分割・併用 thresholds and the 2016-04-01 change to 6 payments a year."""

import datetime as dt

import pytest

from kyosai.rules.errors import RuleError
from kyosai.rules.shokibo.receipt import (
    ClaimKind,
    ReceiptMethod,
    ReceiptRequest,
    check_receipt,
    instalment_schedule,
)

ON = dt.date(2024, 6, 1)
LUMP, SPLIT, BOTH = ReceiptMethod.LUMP, ReceiptMethod.INSTALMENT, ReceiptMethod.COMBINED


def request(method: ReceiptMethod, net: int, **changes: object) -> ReceiptRequest:
    facts: dict[str, object] = {
        "method": method,
        "claim": ClaimKind.A,
        "net_benefit_yen": net,
        "age_on_event": 62,
        "event_on": ON,
        "claim_received_on": ON,
    }
    facts.update(changes)
    return ReceiptRequest(**facts)  # type: ignore[arg-type]


def codes(req: ReceiptRequest) -> list[str]:
    return [reason.code for reason in check_receipt(req).reasons]


def test_w14_age_62_benefit_3_200_000_r2_r3() -> None:
    # W14: 分割 allowed, 併用 not (below 330万).
    assert check_receipt(request(SPLIT, 3_200_000)).allowed
    assert not check_receipt(request(BOTH, 3_200_000, lump_part_yen=300_000)).allowed


@pytest.mark.parametrize(
    ("req", "expected"),
    [
        (request(SPLIT, 2_999_999), ["below_instalment_minimum"]),
        (request(SPLIT, 3_000_000), []),
        (
            request(BOTH, 3_299_999, lump_part_yen=299_999),
            ["below_combined_minimum", "lump_part_too_small"],
        ),
        (request(BOTH, 3_300_000, lump_part_yen=300_000), []),
        (request(BOTH, 3_300_000, lump_part_yen=300_001), ["instalment_part_too_small"]),
        (request(SPLIT, 3_000_000, age_on_event=59), ["under_age"]),
        (request(SPLIT, 3_000_000, age_on_event=60), []),
        (request(SPLIT, 5_000_000, death=True), ["death_claim"]),
        (request(SPLIT, 5_000_000, claim=ClaimKind.QUASI), ["claim_not_a_or_b"]),
        (request(SPLIT, 5_000_000, claim=ClaimKind.B, years=15), []),
        (request(LUMP, 100, claim=ClaimKind.REFUND, death=True, age_on_event=30), []),
    ],
)
def test_receipt_conditions_r1_r3(req: ReceiptRequest, expected: list[str]) -> None:
    assert codes(req) == expected


@pytest.mark.parametrize(
    ("received_on", "years", "per_year", "count", "months"),
    [
        (dt.date(2016, 3, 31), 10, 4, 40, (2, 5, 8, 11)),  # R5: before 2016-04-01
        (dt.date(2016, 3, 31), 15, 4, 60, (2, 5, 8, 11)),
        (dt.date(2016, 4, 1), 10, 6, 60, (1, 3, 5, 7, 9, 11)),  # R5: from 2016-04-01
        (dt.date(2016, 4, 1), 15, 6, 90, (1, 3, 5, 7, 9, 11)),
    ],
)
def test_payments_per_year_each_side_of_2016_04_01(
    received_on: dt.date, years: int, per_year: int, count: int, months: tuple[int, ...]
) -> None:
    result = check_receipt(
        request(
            SPLIT,
            4_000_000,
            event_on=dt.date(2016, 3, 1),
            claim_received_on=received_on,
            years=years,
        )
    )
    assert (result.payments_per_year, result.payment_count, result.payment_months) == (
        per_year,
        count,
        months,
    )
    assert any("算式は確認できていません" in warning for warning in result.trace.warnings)


def test_lump_has_no_instalments() -> None:
    result = check_receipt(request(LUMP, 1_000_000))
    assert (result.allowed, result.payment_count, result.payment_months) == (True, None, ())


@pytest.mark.parametrize(
    "changes",
    [{"net_benefit_yen": -1}, {"lump_part_yen": 4_000_000}, {"years": 12}],
)
def test_malformed_request_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(RuleError):
        request(SPLIT, 3_000_000, **changes)


def test_instalment_schedule_10_years_6_a_year_r4_r5() -> None:
    # R4/R5: 10 years × 6 = 60 payments in Jan, Mar, May, Jul, Sep, Nov; the first in the first
    # payment month after the claim [I]. The amount per payment uses the unconfirmed rate.
    schedule = instalment_schedule(
        3_200_000, years=10, event_on=ON, claim_received_on=dt.date(2024, 6, 10)
    )
    dues = [i.due_on for i in schedule.instalments]
    assert len(dues) == 60 and dues[0] == dt.date(2024, 7, 16)  # 7/15 is 海の日
    assert {d.month for d in dues} == {1, 3, 5, 7, 9, 11}
    assert sum(i.amount_yen for i in schedule.instalments) == schedule.total_yen
    assert schedule.total_yen > 3_200_000  # interest at the unconfirmed 1 %
    assert len({i.amount_yen for i in schedule.instalments[:-1]}) == 1
    assert schedule.trace.is_provisional


def test_instalment_schedule_15_years_and_4_a_year_before_2016_r5() -> None:
    schedule = instalment_schedule(
        3_000_000, years=15, event_on=dt.date(2015, 1, 5), claim_received_on=dt.date(2015, 1, 20)
    )
    assert len(schedule.instalments) == 60  # 15 years × 4
    assert {i.due_on.month for i in schedule.instalments} == {2, 5, 8, 11}
