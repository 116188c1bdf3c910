"""Normalisation of what members type into Japanese form fields, and the 全銀 kana derived from it.

Members type digits, letters and kana in either width, hiragana or katakana (formats.md §6.1), so
every value is normalised once at the boundary:

* ``normalize_text``: NFKC (full-width digits/ASCII → half-width, half-width kana → full-width),
  trimmed, runs of white space (full-width spaces too) collapsed to one ASCII space.
* ``to_furigana``: the canonical stored フリガナ, full-width katakana.
* ``to_bank_kana``: the half-width form a 全銀 C field accepts (formats.md §1.1, §1.5 item 2).
* ``digits``: numbers typed with hyphens or spaces (phone, postal code, bank codes).

Kanji are never transliterated: a reading needs the member's own フリガナ.
"""

import re
import unicodedata

import jaconv

from kyosai.rules.errors import RuleError

_SPACES = re.compile(r"\s+")

# Katakana a フリガナ may hold: ァ..ヶ (ヴ, ヵ, ヶ included), ・ and ー, and the space between names.
_FURIGANA = re.compile(r"[\u30a1-\u30f6\u30fb\u30fc ]+")

# 全銀 C field characters for names (formats.md §1.1): half-width katakana ｱ..ﾝ with ﾞ ﾟ as
# separate characters, A-Z, 0-9, space and ( ) - . /. The small kana ｧ..ｯ, ｰ, ｦ and the comma are
# left out because some receiving banks reject them in name fields.
_BANK_TEXT = re.compile(r"[\uff71-\uff9fA-Z0-9 ().\-/]*")

# Applied to full-width katakana before narrowing. Banks want small kana written large
# (キュウヨ → ｷﾕｳﾖ); ヮ ヵ ヶ ヰ ヱ have no half-width form at all. The long vowel ー is rejected by
# some receivers, so it becomes the hyphen; the middle dot becomes the period, as banks ask
# (「ヤマダ・エージェンシー」→「ﾔﾏﾀﾞ.ｴ-ｼﾞｴﾝｼ-」). Dash look-alikes NFKC leaves alone become '-'.
_TO_BANK = str.maketrans(
    {
        "ァ": "ア",
        "ィ": "イ",
        "ゥ": "ウ",
        "ェ": "エ",
        "ォ": "オ",
        "ッ": "ツ",
        "ャ": "ヤ",
        "ュ": "ユ",
        "ョ": "ヨ",
        "ヮ": "ワ",
        "ヵ": "カ",
        "ヶ": "ケ",
        "ヰ": "イ",
        "ヱ": "エ",
        "ー": "-",
        "・": ".",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
    }
)

# Separators people type inside numbers: any dash, and ー which IMEs produce for a hyphen in
# 電話番号 typed in kana mode. NFKC has already turned － and ｰ into '-' and 'ー'.
_NUMBER_SEPARATORS = re.compile("[ \\-\u2010-\u2015\u2212\u2500\u30fc]")
_ASCII_DIGITS = re.compile(r"[0-9]+")


def normalize_text(text: str) -> str:
    """NFKC, trimmed, with every run of white space reduced to one ASCII space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def to_furigana(text: str) -> str:
    """Hiragana or katakana of either width → full-width katakana, the stored フリガナ."""
    kana = str(jaconv.hira2kata(normalize_text(text)))
    if not kana:
        raise RuleError("フリガナを入力してください", "furigana is empty")
    for char in kana:
        if not _FURIGANA.fullmatch(char):
            raise RuleError(
                f"フリガナはカタカナまたはひらがなで入力してください（使えない文字：「{char}」）",
                f"furigana contains {char!r} (U+{ord(char):04X})",
            )
    return kana


def to_bank_kana(text: str, max_length: int, *, label_ja: str = "口座名義（カナ）") -> str:
    """フリガナ or romaji → the half-width text of a 全銀 C field, at most max_length bytes.

    Every character of the result is one byte in cp932, so the length in characters is the
    length in bytes; ﾞ and ﾟ count as characters of their own, as the banks count them.
    """
    katakana = str(jaconv.hira2kata(normalize_text(text))).translate(_TO_BANK)
    result = []
    for char in katakana:
        narrow = str(jaconv.z2h(char, kana=True, ascii=True, digit=True))
        if narrow.isascii():
            narrow = narrow.upper()
        if not _BANK_TEXT.fullmatch(narrow):
            raise RuleError(
                f"{label_ja}に使えない文字「{char}」が含まれています。"
                "カタカナ・英字・数字でご入力ください",
                f"{char!r} (U+{ord(char):04X}) is not allowed in a zengin C field",
            )
        result.append(narrow)
    bank_text = "".join(result)
    if len(bank_text) > max_length:
        raise RuleError(
            f"{label_ja}は半角{max_length}文字以内で入力してください"
            f"（濁点・半濁点も1文字と数えます。現在{len(bank_text)}文字）",
            f"{bank_text!r} is {len(bank_text)} characters, more than {max_length}",
        )
    return bank_text


def is_bank_text(text: str) -> bool:
    """Whether text already consists only of characters a 全銀 C (name) field allows."""
    return _BANK_TEXT.fullmatch(text) is not None


def _digits_expected(
    label_ja: str, min_length: int | None, max_length: int | None
) -> tuple[str, str]:
    """The Japanese and English description of the digits a field expects."""
    if min_length is not None and min_length == max_length:
        return f"{label_ja}は{min_length}桁の数字で入力してください", f"{min_length} digits"
    if min_length is not None and max_length is not None:
        return (
            f"{label_ja}は{min_length}〜{max_length}桁の数字で入力してください",
            f"{min_length} to {max_length} digits",
        )
    if max_length is not None:
        return (
            f"{label_ja}は{max_length}桁以内の数字で入力してください",
            f"at most {max_length} digits",
        )
    if min_length is not None:
        return (
            f"{label_ja}は{min_length}桁以上の数字で入力してください",
            f"at least {min_length} digits",
        )
    return f"{label_ja}は数字で入力してください", "digits"


def digits(
    text: str,
    *,
    length: int | None = None,
    min_length: int | None = None,
    max_length: int | None = None,
    label_ja: str,
) -> str:
    """The ASCII digits of a typed number, without hyphens or spaces of either width.

    ``length`` is shorthand for min_length == max_length.
    """
    if length is not None:
        min_length = max_length = length
    number = _NUMBER_SEPARATORS.sub("", normalize_text(text))
    if not number:
        raise RuleError(f"{label_ja}を入力してください", f"{label_ja}: empty")
    message_ja, expected_en = _digits_expected(label_ja, min_length, max_length)
    too_short = min_length is not None and len(number) < min_length
    too_long = max_length is not None and len(number) > max_length
    if not _ASCII_DIGITS.fullmatch(number) or too_short or too_long:
        raise RuleError(message_ja, f"{label_ja}: {number!r} is not {expected_en}")
    return number
