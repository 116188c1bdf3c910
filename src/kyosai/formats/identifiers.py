"""Numbers with a fixed shape that members and staff type: 法人番号, 共済契約者番号, 口座番号.

法人番号 (corporate number, 13 digits)
    12-digit 基礎番号 (for a registered company, its 会社法人等番号) preceded by one check digit.
    法人番号の指定等に関する省令（平成26年財務省令第70号）第2条:
    check = 9 − ((Σ_{n=1..12} Pn × Qn) mod 9), Pn the n-th digit of the 基礎番号 counted from the
    right (least significant = 1), Qn = 1 for odd n and 2 for even n. The sum is taken before the
    remainder; the 省令's printed bracketing suggests otherwise but that reading gives values
    outside one digit (qiita.com/kawasaki/items/bfa9f0edc32c132eff30). Restatements checked:
    expydoc.com/doc/8196212 (quotes 財務省令第七十号 第二条 with the worked example 7123456789012),
    stabucky.com/wp/archives/6518 (quotes the 省令 text), qiita.com/mziyut/items/bab37dbce1c23771c817
    (4011001098993). 国税庁's own number 7000012050002 is published on itc.jipdec.or.jp/event/1_ono.html.
    Because Qn ∈ {1, 2} and the modulus is 9, replacing a 0 by a 9 (or a 9 by a 0) in the 基礎番号
    leaves the sum unchanged mod 9: that one kind of typing error is not detected (the tests show
    it; a column titled 「法人番号の検査用符号の設計ミス…」 is at digitalforensic.jp/column422).
    Every other single-digit change is detected.

共済契約者番号 (our own format; see docs/contract-number.md)
    9 digits = a 7-digit base + 2 check digits. The base's first digit names the scheme by range:
    1–5 = 小規模企業共済 (base 1,000,000 + serial, serial 1–4,999,999), 6–9 = 倒産防止共済
    (base 6,000,000 + serial, serial 1–3,999,999); 0 and the two serial-0 bases (1000000, 6000000)
    are never issued. Check digits: ISO 7064 MOD 97-10 over the 7-digit base as IBAN computes them:
    check = 98 − (n × 100 mod 97), where n is the base. The whole 9-digit number is then
    ≡ 1 (mod 97); validation recomputes the two digits rather than testing the remainder, because
    the remainder test would also accept 99 for 02 and 01 for 98. Because 10 and 9 are invertible
    mod 97 and digits differ by at most 9, every single-digit change and every transposition of
    two adjacent different digits changes the remainder, so all of them are detected, including
    those that would move a number across the scheme boundary (5 ↔ 6 in the first digit).

口座番号 (bank account number)
    7 digits in 全銀 files; shorter numbers are left-padded with zeros, as banks do.
"""

from kyosai.formats.kana import digits
from kyosai.rules.errors import RuleError
from kyosai.rules.scheme import Scheme

CORPORATE_NUMBER_LENGTH = 13
CONTRACT_NUMBER_LENGTH = 9
ACCOUNT_NUMBER_LENGTH = 7

# The first base of each scheme's range is its serial 0, never issued; the ranges are
# 1000001–5999999 (小規模企業共済) and 6000001–9999999 (倒産防止共済).
_SERIAL_ORIGIN: dict[Scheme, int] = {Scheme.SHOKIBO: 1_000_000, Scheme.TOSAN: 6_000_000}
SERIAL_MAX: dict[Scheme, int] = {Scheme.SHOKIBO: 4_999_999, Scheme.TOSAN: 3_999_999}
_TOSAN_FIRST_DIGIT = 6


def corporate_check_digit(base12: str) -> int:
    """The 検査用数字 (1–9) of a 12-digit 基礎番号."""
    if len(base12) != CORPORATE_NUMBER_LENGTH - 1 or not base12.isascii() or not base12.isdigit():
        raise RuleError(
            "法人番号の基礎番号は12桁の数字です", f"base number {base12!r} is not 12 digits"
        )
    total = sum(
        int(digit) * (1 if n % 2 == 1 else 2) for n, digit in enumerate(reversed(base12), start=1)
    )
    return 9 - total % 9


def validate_corporate_number(text: str) -> str:
    """The 13 digits of a 法人番号 typed in either width, with its check digit verified."""
    number = digits(text, length=CORPORATE_NUMBER_LENGTH, label_ja="法人番号")
    if int(number[0]) != corporate_check_digit(number[1:]):
        raise RuleError(
            "法人番号が正しくありません。番号をご確認ください",
            f"corporate number {number} fails its check digit",
        )
    return number


def _mod97_check(base7: int) -> int:
    """ISO 7064 MOD 97-10 check value (1–98) of the first 7 digits of a 共済契約者番号."""
    return 98 - (base7 * 100) % 97


def contract_number(scheme: Scheme, serial: int) -> str:
    """A new 共済契約者番号 from the scheme and the serial within the scheme."""
    if scheme not in SERIAL_MAX:
        raise RuleError(
            "共済の種類は小規模企業共済または倒産防止共済です",
            f"scheme {scheme!r} is not shokibo or tosan",
        )
    maximum = SERIAL_MAX[scheme]
    if not 1 <= serial <= maximum:
        raise RuleError(
            f"共済契約者番号の連番は1〜{maximum}の範囲です",
            f"serial {serial} is outside 1..{maximum} for {scheme}",
        )
    base = _SERIAL_ORIGIN[scheme] + serial
    return f"{base:07d}{_mod97_check(base):02d}"


def validate_contract_number(text: str) -> str:
    """The 9 digits of a 共済契約者番号 typed in either width, with hyphens; check digits verified."""
    number = digits(text, length=CONTRACT_NUMBER_LENGTH, label_ja="共済契約者番号")
    base = int(number[:7])
    if (
        number[0] == "0"
        or base in _SERIAL_ORIGIN.values()
        or number[7:] != f"{_mod97_check(base):02d}"
    ):
        raise RuleError(
            "共済契約者番号が正しくありません。番号をご確認ください",
            f"contract number {number} fails its leading digit, serial or check digits",
        )
    return number


def scheme_of(number: str) -> Scheme:
    """The scheme of a 共済契約者番号, after validation: first digit 1–5 小規模企業共済, 6–9 倒産防止共済."""
    first = int(validate_contract_number(number)[0])
    return Scheme.TOSAN if first >= _TOSAN_FIRST_DIGIT else Scheme.SHOKIBO


def validate_account_number(text: str) -> str:
    """A 口座番号 of 1–7 digits, left-padded with zeros to the 7 digits of 全銀 files."""
    number = digits(text, max_length=ACCOUNT_NUMBER_LENGTH, label_ja="口座番号")
    return number.zfill(ACCOUNT_NUMBER_LENGTH)
