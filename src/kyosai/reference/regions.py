"""The 47 prefectures (JIS X 0401 codes 01–47) and the region block each belongs to.

Data: data/prefecture_blocks.csv (columns prefecture_code, prefecture, block), copied from
/work/shared/data/prefecture_blocks.csv. The blocks are the project's own grouping (新潟県 and
長野県 and 山梨県 are 関東, 沖縄県 is 九州 there), not a statutory one.
"""

import csv
import re
from pathlib import Path

from kyosai.formats.kana import normalize_text
from kyosai.rules.errors import RuleError

DATA_FILE = Path(__file__).parent / "data" / "prefecture_blocks.csv"


def _load() -> tuple[tuple[tuple[str, str], ...], dict[str, str]]:
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    prefectures = tuple((row["prefecture_code"], row["prefecture"]) for row in rows)
    blocks = {row["prefecture_code"]: row["block"] for row in rows}
    return prefectures, blocks


PREFECTURES, _BLOCK_BY_CODE = _load()
_CODE_BY_NAME = {name: code for code, name in PREFECTURES}

# Every 都道府県 name is one of the four special ones or 2–3 characters + 県. The quantifier is lazy so
# that an address such as 「山口県県道…」 yields 山口県, never 山口県県; no 3-character name has 県 as
# its third character, so laziness never cuts one short.
_PREFECTURE_PREFIX = re.compile(r"^(北海道|東京都|京都府|大阪府|.{2,3}?県)")


def prefecture_code(name: str) -> str:
    """The two-digit code ('01'–'47') of a prefecture given by its full name (東京都 → '13')."""
    normalized = normalize_text(name)
    try:
        return _CODE_BY_NAME[normalized]
    except KeyError:
        raise RuleError(
            "都道府県名は「東京都」「北海道」のように正しく入力してください",
            f"unknown prefecture {name!r}",
        ) from None


def block_of(prefecture: str) -> str:
    """The region block (関東, 近畿 …) of a prefecture given by name or by code ('13', '１３', '1')."""
    normalized = normalize_text(prefecture)
    code = normalized.zfill(2) if normalized.isascii() and normalized.isdigit() else None
    if code is None:
        code = prefecture_code(normalized)
    try:
        return _BLOCK_BY_CODE[code]
    except KeyError:
        raise RuleError(
            "都道府県コードは01〜47の数字です", f"unknown prefecture code {prefecture!r}"
        ) from None


def prefecture_of_address(text: str) -> str | None:
    """The prefecture an address starts with, or None when it starts with none of the 47."""
    match = _PREFECTURE_PREFIX.match(normalize_text(text))
    if match is None or match.group(1) not in _CODE_BY_NAME:
        return None
    return match.group(1)
