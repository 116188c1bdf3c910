"""日本郵便 カスタマバーコード: the data a mail piece's barcode carries, taken from its address.

The barcode encodes the 7-digit postal code followed by the 住所表示番号 (the 丁目・番地・号 and
building numbers of the address, as digits, hyphens and single letters) in 20 characters, a
letter taking two (a control code CC1–CC3 and a digit), the rest padded with CC4; then a check
digit. This module gives that data as text (`data`, for the print vendor's manifest and the
address block), its 20 symbols and check digit (`symbols`, `check_digit`). The bars themselves
are left to the print vendor's software.

Source: 日本郵便「郵便番号・バーコードマニュアル」, バーコードに必要な文字情報の抜き出し法
(post.japanpost.jp/zipcode/zipmanual/p17–p21.html): the basic rules of p19 (upper case; 「&」「/」
「・」「.」 removed; numbers, hyphens and single letters kept, what stands before them becoming one
hyphen), the cut at 20 symbols of p20 (a letter whose control code is the 20th keeps it), the
check digit of p21, and the manual's worked examples, which the tests reproduce. Not in the
project's reference files; the manual's supplementary rules are followed only as far as its
examples show them (a hyphen before a letter is dropped, 「3-20-5B604」). Simplifications: the
whole address is read, not only the part after the 町域 (a number in a town's name before
丁目・番地… would be taken), only kanji numerals before 丁目・番地・番・号・地割・線 are
converted, and a building name is dropped except for its single letters and numbers. A print
vendor's validator should check a sample run before the first mailing.
"""

import re
import unicodedata

DATA_LENGTH = 20  # symbols after the start code, postal code included
KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# The words that separate numbers in an address; they become hyphens.
SEPARATORS = ("丁目", "丁", "番地", "番", "号", "地割", "線", "の", "ノ")
_KANJI_NUMBER = re.compile(r"([〇一二三四五六七八九十百千]+)(?=丁目|丁|番地|番|号|地割|線)")
_LETTER_CODES = {  # a letter is a control code and a digit
    **{chr(ord("A") + i): ("CC1", str(i)) for i in range(10)},
    **{chr(ord("K") + i): ("CC2", str(i)) for i in range(10)},
    **{chr(ord("U") + i): ("CC3", str(i)) for i in range(6)},
}
_VALUES = {**{str(d): d for d in range(10)}, "-": 10, **{f"CC{n}": 10 + n for n in range(1, 9)}}


def kanji_number(text: str) -> int:
    """「二十三」→ 23 (numerals up to 9,999, as addresses use them)."""
    total, digit = 0, None
    for char in text:
        if char in KANJI_DIGITS:
            digit = KANJI_DIGITS[char]
            continue
        unit = {"十": 10, "百": 100, "千": 1000}[char]
        total += (1 if digit is None else digit) * unit
        digit = None
    return total + (digit or 0)


def address_number(address: str) -> str:
    """The 住所表示番号 of an address: 「東京都港区芝公園四丁目2番8号 Aビル3F」→ 「4-2-8-A-3」."""
    text = unicodedata.normalize("NFKC", address).upper()
    text = re.sub(r"[&/・.]", "", text)  # p19 rule 2: removed, the rest closed up
    text = _KANJI_NUMBER.sub(lambda m: str(kanji_number(m.group(1))), text)
    for word in SEPARATORS:
        text = text.replace(word, "-")
    text = re.sub(r"[A-Z]{2,}", "-", text)  # words (ビル names in letters) are not numbers
    text = re.sub(r"(?<=\d)F\b", "", text)  # 3F: the floor, not a letter of the address
    text = re.sub(r"[^0-9A-Z]+", "-", text)
    text = re.sub(r"-(?=[A-Z])", "", text)  # 「5-B604」→「5B604」 (p19's example)
    return text.strip("-")


def data(postal_code: str, address: str) -> str:
    """The barcode's data as text: the postal code and the address number, cut to what fits
    (p20: at 20 symbols, a hyphen there kept; a letter whose control code is the 20th stays, and
    `symbols` keeps only that code)."""
    postal = re.sub(r"\D", "", unicodedata.normalize("NFKC", postal_code))
    if len(postal) != 7:
        raise ValueError(f"郵便番号は7桁です: {postal_code!r}")
    kept, used = [], 7
    for char in address_number(address):
        if used >= DATA_LENGTH:
            break
        kept.append(char)
        used += 2 if char in _LETTER_CODES else 1
    return postal + "".join(kept)


def symbols(barcode_data: str) -> list[str]:
    """The 20 data symbols (digits, "-", "CC1"…"CC4") of `data(...)`, padded with CC4."""
    out: list[str] = []
    for char in barcode_data:
        out.extend(_LETTER_CODES.get(char, (char,)))
    return out[:DATA_LENGTH] + ["CC4"] * (DATA_LENGTH - len(out))


def check_digit(barcode_data: str) -> str:
    """The check symbol: the sum of the 20 symbols' values plus it is a multiple of 19."""
    value = -sum(_VALUES[s] for s in symbols(barcode_data)) % 19
    return next(symbol for symbol, v in _VALUES.items() if v == value)
