"""法人番号, 共済契約者番号 and 口座番号."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.formats.identifiers import (
    SERIAL_MAX,
    contract_number,
    corporate_check_digit,
    scheme_of,
    validate_account_number,
    validate_contract_number,
    validate_corporate_number,
)
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme

# Published 法人番号: 国税庁 (itc.jipdec.or.jp/event/1_ono.html), 株式会社FoundingBase
# (qiita.com/mziyut/items/bab37dbce1c23771c817), the worked example of the 省令 restatement
# (expydoc.com/doc/8196212) and the shinoda gem's example (github.com/1s22s1/shinoda).
PUBLISHED_CORPORATE_NUMBERS = ["7000012050002", "4011001098993", "7123456789012", "8700110005901"]

base12 = st.text(alphabet="0123456789", min_size=12, max_size=12)

# A scheme and a serial within its range; hypothesis tries the ends of each range often, and
# SHOKIBO's last base (5999999) and TOSAN's first (6000001) sit either side of the boundary.
issued = st.sampled_from(list(Scheme)).flatmap(
    lambda scheme: st.tuples(st.just(scheme), st.integers(1, SERIAL_MAX[scheme]))
)
# The numbers either side of the scheme boundary and at both ends of the whole space.
EDGES = [
    (Scheme.SHOKIBO, 1),
    (Scheme.SHOKIBO, SERIAL_MAX[Scheme.SHOKIBO]),
    (Scheme.TOSAN, 1),
    (Scheme.TOSAN, SERIAL_MAX[Scheme.TOSAN]),
]


def single_digit_changes(number: str) -> list[str]:
    return [
        f"{number[:position]}{digit}{number[position + 1 :]}"
        for position in range(len(number))
        for digit in "0123456789"
        if digit != number[position]
    ]


def adjacent_transpositions(number: str) -> list[str]:
    return [
        f"{number[:position]}{number[position + 1]}{number[position]}{number[position + 2 :]}"
        for position in range(len(number) - 1)
        if number[position] != number[position + 1]
    ]


@pytest.mark.parametrize("number", PUBLISHED_CORPORATE_NUMBERS)
def test_published_corporate_numbers(number: str) -> None:
    assert corporate_check_digit(number[1:]) == int(number[0])
    assert validate_corporate_number(number) == number


def test_corporate_number_typed_in_full_width_with_hyphens() -> None:
    assert validate_corporate_number("７－００００－１２０５－０００２") == "7000012050002"


@pytest.mark.parametrize(
    ("typed", "message_ja"),
    [
        ("6000012050002", "法人番号が正しくありません。番号をご確認ください"),
        ("0000012050002", "法人番号が正しくありません。番号をご確認ください"),
        ("700001205000", "法人番号は13桁の数字で入力してください"),
        ("", "法人番号を入力してください"),
    ],
)
def test_corporate_number_rejects(typed: str, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        validate_corporate_number(typed)
    assert error.value.message_ja == message_ja


@pytest.mark.parametrize(
    "base", ["12345678901", "1234567890123", "12345678901a", "１２３４５６７８９０１２"]
)
def test_corporate_check_digit_needs_12_ascii_digits(base: str) -> None:
    with pytest.raises(RuleError) as error:
        corporate_check_digit(base)
    assert error.value.message_ja == "法人番号の基礎番号は12桁の数字です"


@given(base12, st.integers(0, 12), st.integers(1, 9))
def test_single_digit_change_of_corporate_number(base: str, position: int, shift: int) -> None:
    number = f"{corporate_check_digit(base)}{base}"
    changed_digit = (int(number[position]) + shift) % 10
    changed = f"{number[:position]}{changed_digit}{number[position + 1 :]}"
    # The statutory rule weighs digits 1 or 2 and reduces mod 9, so 0 ↔ 9 in the 基礎番号 keeps
    # the sum mod 9: the one single-digit error it cannot see (see the module docstring).
    undetectable = position > 0 and {number[position], str(changed_digit)} == {"0", "9"}
    if undetectable:
        assert validate_corporate_number(changed) == changed
    else:
        with pytest.raises(RuleError):
            validate_corporate_number(changed)


def test_contract_number_example() -> None:
    # docs/contract-number.md: 1000001 × 100 mod 97 = 84, check 98 − 84 = 14
    assert contract_number(Scheme.SHOKIBO, 1) == "100000114"
    assert validate_contract_number("１－０００００１－１４") == "100000114"
    assert scheme_of("100000114") == Scheme.SHOKIBO
    # 6000001 × 100 mod 97 = 4, check 98 − 4 = 94
    assert contract_number(Scheme.TOSAN, 1) == "600000194"
    assert scheme_of("600000194") == Scheme.TOSAN


def test_capacity() -> None:
    assert SERIAL_MAX == {Scheme.SHOKIBO: 4_999_999, Scheme.TOSAN: 3_999_999}
    assert contract_number(Scheme.SHOKIBO, 4_999_999)[:7] == "5999999"
    assert contract_number(Scheme.TOSAN, 3_999_999)[:7] == "9999999"


@pytest.mark.parametrize(
    ("first_digit", "scheme"),
    [
        (1, Scheme.SHOKIBO),
        (2, Scheme.SHOKIBO),
        (5, Scheme.SHOKIBO),
        (6, Scheme.TOSAN),
        (7, Scheme.TOSAN),
        (9, Scheme.TOSAN),
    ],
)
def test_scheme_of_reads_the_first_digit_by_range(first_digit: int, scheme: Scheme) -> None:
    origin = 1_000_000 if scheme == Scheme.SHOKIBO else 6_000_000
    number = contract_number(scheme, first_digit * 1_000_000 - origin + 12_345)
    assert number[0] == str(first_digit)
    assert scheme_of(number) == scheme


@given(issued)
def test_contract_number_round_trip(issue: tuple[Scheme, int]) -> None:
    scheme, serial = issue
    number = contract_number(scheme, serial)
    assert len(number) == 9
    assert validate_contract_number(number) == number
    assert scheme_of(number) == scheme
    assert int(number[:7]) == (1_000_000 if scheme == Scheme.SHOKIBO else 6_000_000) + serial
    assert int(number) % 97 == 1


@given(issued, st.integers(0, 8), st.integers(1, 9))
def test_contract_number_detects_every_single_digit_change(
    issue: tuple[Scheme, int], position: int, shift: int
) -> None:
    number = contract_number(*issue)
    changed = f"{number[:position]}{(int(number[position]) + shift) % 10}{number[position + 1 :]}"
    with pytest.raises(RuleError):
        validate_contract_number(changed)


@given(issued, st.integers(0, 7))
def test_contract_number_detects_every_adjacent_transposition(
    issue: tuple[Scheme, int], position: int
) -> None:
    number = contract_number(*issue)
    first, second = number[position], number[position + 1]
    if first == second:
        return
    swapped = f"{number[:position]}{second}{first}{number[position + 2 :]}"
    with pytest.raises(RuleError):
        validate_contract_number(swapped)


@pytest.mark.parametrize(("scheme", "serial"), EDGES)
def test_no_error_at_the_edges_gives_a_valid_number(scheme: Scheme, serial: int) -> None:
    # Every single-digit change and adjacent transposition of the numbers either side of the
    # scheme boundary, exhaustively: none is accepted, so none can move a number to the other
    # scheme (e.g. 5999999.. → 6999999.. or 6000001.. → 5000001..).
    number = contract_number(scheme, serial)
    for typed in single_digit_changes(number) + adjacent_transpositions(number):
        with pytest.raises(RuleError):
            validate_contract_number(typed)


@pytest.mark.parametrize(
    ("scheme", "serial", "message_ja"),
    [
        (Scheme.SHOKIBO, 0, "共済契約者番号の連番は1〜4999999の範囲です"),
        (Scheme.SHOKIBO, -1, "共済契約者番号の連番は1〜4999999の範囲です"),
        (Scheme.SHOKIBO, 5_000_000, "共済契約者番号の連番は1〜4999999の範囲です"),
        (Scheme.TOSAN, 0, "共済契約者番号の連番は1〜3999999の範囲です"),
        (Scheme.TOSAN, 4_000_000, "共済契約者番号の連番は1〜3999999の範囲です"),
        ("other", 1, "共済の種類は小規模企業共済または倒産防止共済です"),
    ],
)
def test_contract_number_rejects(scheme: Scheme, serial: int, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        contract_number(scheme, serial)
    assert error.value.message_ja == message_ja


def check_of(base: int) -> str:
    return f"{98 - base * 100 % 97:02d}"


@pytest.mark.parametrize(
    ("typed", "message_ja"),
    [
        ("100000115", "共済契約者番号が正しくありません。番号をご確認ください"),
        ("600000195", "共済契約者番号が正しくありません。番号をご確認ください"),
        # check digits right, but serial 0 of either range, or a leading 0
        (f"1000000{check_of(1_000_000)}", "共済契約者番号が正しくありません。番号をご確認ください"),
        (f"6000000{check_of(6_000_000)}", "共済契約者番号が正しくありません。番号をご確認ください"),
        (f"0000001{check_of(1)}", "共済契約者番号が正しくありません。番号をご確認ください"),
        (f"0999999{check_of(999_999)}", "共済契約者番号が正しくありません。番号をご確認ください"),
        ("10000011", "共済契約者番号は9桁の数字で入力してください"),
    ],
)
def test_validate_contract_number_rejects(typed: str, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        validate_contract_number(typed)
    assert error.value.message_ja == message_ja


@pytest.mark.parametrize("scheme", list(Scheme))
def test_validate_contract_number_recomputes_rather_than_tests_the_remainder(
    scheme: Scheme,
) -> None:
    # A check of 02 and a check of 99 leave the same remainder mod 97; only 02 is valid.
    number = next(
        candidate
        for candidate in (contract_number(scheme, serial) for serial in range(1, 1000))
        if candidate.endswith("02")
    )
    alias = f"{number[:7]}99"
    assert int(alias) % 97 == 1
    with pytest.raises(RuleError):
        validate_contract_number(alias)


def test_scheme_of_rejects_invalid_numbers() -> None:
    with pytest.raises(RuleError):
        scheme_of("100000115")
    with pytest.raises(RuleError):
        scheme_of(f"6000000{check_of(6_000_000)}")


@pytest.mark.parametrize(
    ("typed", "account"),
    [("1234567", "1234567"), ("１２３４", "0001234"), ("1", "0000001"), ("123-4567", "1234567")],
)
def test_validate_account_number(typed: str, account: str) -> None:
    assert validate_account_number(typed) == account


@pytest.mark.parametrize(
    ("typed", "message_ja"),
    [
        ("12345678", "口座番号は7桁以内の数字で入力してください"),
        ("12A", "口座番号は7桁以内の数字で入力してください"),
        ("", "口座番号を入力してください"),
    ],
)
def test_validate_account_number_rejects(typed: str, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        validate_account_number(typed)
    assert error.value.message_ja == message_ja
