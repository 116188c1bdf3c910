"""Banks and branches by 統一金融機関コード (4 digits) and 店番 (3 digits), over zengin-code.

What zengin-code does, read from its installed source (zengin_code 1.1.0.20260824):
``import zengin_code`` reads banks.json and one JSON file per bank (1,146 banks, ~0.35 s) into
``zengin_code.Bank.all`` (code → Bank with ``name``, ``kana``, ``hira``, ``roma`` and ``branches``,
code → Branch with the same fields). The kana are full-width katakana written the 全銀 way (large
kana: 東京営業部 → トウキヨウ). The import happens on first use only.

``Bank.kana_halfwidth`` / ``Branch.kana_halfwidth`` give the half-width form of the C(15)
銀行名/支店名 fields of 全銀 files; every name in this release fits.
"""

from dataclasses import dataclass
from functools import cache
from typing import Any

from kyosai.formats.kana import digits, to_bank_kana
from kyosai.rules.errors import RuleError

BANK_CODE_LENGTH = 4
BRANCH_CODE_LENGTH = 3
NAME_FIELD_LENGTH = 15  # 銀行名 / 支店名 in 全銀 records are C(15)


@dataclass(frozen=True)
class Bank:
    """A financial institution: 統一金融機関コード, name and full-width kana as zengin-code stores them."""

    code: str
    name: str
    kana: str

    @property
    def kana_halfwidth(self) -> str:
        """The bank name as a 全銀 C(15) field holds it."""
        return bank_kana_halfwidth(self.kana)


@dataclass(frozen=True)
class Branch:
    """A branch (店) of a bank: 店番, name and full-width kana as zengin-code stores them."""

    bank_code: str
    code: str
    name: str
    kana: str

    @property
    def kana_halfwidth(self) -> str:
        """The branch name as a 全銀 C(15) field holds it."""
        return bank_kana_halfwidth(self.kana)


def bank_kana_halfwidth(kana: str) -> str:
    """zengin-code's full-width kana of a bank or branch → the half-width C(15) field content."""
    return to_bank_kana(kana, NAME_FIELD_LENGTH, label_ja="金融機関名（カナ）")


@cache
def _banks() -> Any:
    import zengin_code  # reads ~1,400 JSON files at import: only when first needed

    return zengin_code.Bank.all


def _bank_code(code_text: str) -> str:
    return digits(code_text, length=BANK_CODE_LENGTH, label_ja="金融機関コード")


@cache
def _bank(code: str) -> Bank:
    try:
        record = _banks()[code]
    except KeyError:
        raise RuleError(
            f"金融機関コード {code} は見つかりません", f"bank code {code} is not in zengin-code"
        ) from None
    return Bank(code=code, name=str(record.name), kana=str(record.kana))


@cache
def _branch(bank_code: str, branch_code: str) -> Branch:
    _bank(bank_code)  # an unknown bank is reported as such, not as a missing branch
    try:
        record = _banks()[bank_code].branches[branch_code]
    except KeyError:
        raise RuleError(
            f"金融機関コード {bank_code} の支店 {branch_code} は見つかりません",
            f"branch {branch_code} of bank {bank_code} is not in zengin-code",
        ) from None
    return Branch(
        bank_code=bank_code, code=branch_code, name=str(record.name), kana=str(record.kana)
    )


def bank(code_text: str) -> Bank:
    """The bank of a 4-digit 金融機関コード typed in either width."""
    return _bank(_bank_code(code_text))


def branch(bank_code: str, branch_code: str) -> Branch:
    """The branch of a bank, from the 4-digit bank code and the 3-digit 店番, either width."""
    return _branch(
        _bank_code(bank_code), digits(branch_code, length=BRANCH_CODE_LENGTH, label_ja="支店コード")
    )


UNKNOWN_BANK = "（金融機関名不明）"


def bank_name(code: str) -> str:
    """The bank's name for a page or a statement; a code no longer in the master says so."""
    try:
        return bank(code).name
    except RuleError:
        return UNKNOWN_BANK


def branch_name(bank_code: str, branch_code: str) -> str:
    try:
        return branch(bank_code, branch_code).name
    except RuleError:
        return f"支店{branch_code}"
