"""Normalisation of typed Japanese text, フリガナ and 全銀 kana (formats.md §1.1, §1.5, §6)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.formats.kana import digits, is_bank_text, normalize_text, to_bank_kana, to_furigana
from kyosai.rules.errors import RuleError


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("ＡＢＣ１２３ｶﾞｷﾞ", "ABC123ガギ"),  # formats.md §6.1, verified with jaconv there
        ("　山田　　太郎 ", "山田 太郎"),
        ("ｼｮｳｷﾎﾞ\u3000ﾀﾛｳ", "ショウキボ タロウ"),
        ("a \t\n b", "a b"),
        ("", ""),
    ],
)
def test_normalize_text(typed: str, normalized: str) -> None:
    assert normalize_text(typed) == normalized


@given(st.text())
def test_normalize_text_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@pytest.mark.parametrize(
    ("typed", "furigana"),
    [
        ("しょうきぼ　たろう", "ショウキボ タロウ"),
        ("ｼｮｳｷﾎﾞ ﾀﾛｳ", "ショウキボ タロウ"),
        ("ショウキボ タロウ", "ショウキボ タロウ"),
        ("ゔぃーなす・じゃぱん", "ヴィーナス・ジャパン"),
        ("  きゅうよ  いちろう ", "キュウヨ イチロウ"),
    ],
)
def test_to_furigana(typed: str, furigana: str) -> None:
    assert to_furigana(typed) == furigana


@pytest.mark.parametrize(
    ("typed", "message_ja"),
    [
        ("山田", "フリガナはカタカナまたはひらがなで入力してください（使えない文字：「山」）"),
        ("ヤマダ1", "フリガナはカタカナまたはひらがなで入力してください（使えない文字：「1」）"),
        ("yamada", "フリガナはカタカナまたはひらがなで入力してください（使えない文字：「y」）"),
        ("　", "フリガナを入力してください"),
    ],
)
def test_to_furigana_rejects(typed: str, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        to_furigana(typed)
    assert error.value.message_ja == message_ja


@pytest.mark.parametrize(
    ("typed", "bank", "cp932"),
    [
        # formats.md §1.5 item 2, verified there: 10 bytes in cp932
        ("ショウキボ　タロウ", "ｼﾖｳｷﾎﾞ ﾀﾛｳ", b"\xbc\xd6\xb3\xb7\xce\xde \xc0\xdb\xb3"),
        # ー → '-', ・ → '.', small kana large, ヴ → ｳﾞ
        ("ヴィーナス・ジャパン", "ｳﾞｲ-ﾅｽ.ｼﾞﾔﾊﾟﾝ", b"\xb3\xde\xb2-\xc5\xbd.\xbc\xde\xd4\xca\xdf\xdd"),
        ("キュウヨ", "ｷﾕｳﾖ", b"\xb7\xd5\xb3\xd6"),  # formats.md §1.1 example
        ("ｷｯﾌﾟ", "ｷﾂﾌﾟ", b"\xb7\xc2\xcc\xdf"),  # half-width small kana input
        (
            "ぁぃぅぇぉっゃゅょゎゕゖ",
            "ｱｲｳｴｵﾂﾔﾕﾖﾜｶｹ",
            b"\xb1\xb2\xb3\xb4\xb5\xc2\xd4\xd5\xd6\xdc\xb6\xb9",
        ),
        ("abc Ｘｙｚ 123", "ABC XYZ 123", b"ABC XYZ 123"),  # lower case → upper case
        ("カ）ヤマダ（カ", "ｶ)ﾔﾏﾀﾞ(ｶ", b"\xb6)\xd4\xcf\xc0\xde(\xb6"),
        ("エー－ビー—シー/Ｄ．", "ｴ--ﾋﾞ--ｼ-/D.", b"\xb4--\xcb\xde--\xbc-/D."),
        ("", "", b""),
    ],
)
def test_to_bank_kana(typed: str, bank: str, cp932: bytes) -> None:
    result = to_bank_kana(typed, 30)
    assert result == bank
    assert result.encode("cp932") == cp932
    assert is_bank_text(result)


def test_to_bank_kana_length_counts_dakuten() -> None:
    assert to_bank_kana("ショウキボ　タロウ", 10) == "ｼﾖｳｷﾎﾞ ﾀﾛｳ"
    with pytest.raises(RuleError) as error:
        to_bank_kana("ショウキボ　タロウ", 9)
    assert error.value.message_ja == (
        "口座名義（カナ）は半角9文字以内で入力してください（濁点・半濁点も1文字と数えます。現在10文字）"
    )


@pytest.mark.parametrize(
    ("typed", "char"),
    [("山田 タロウ", "山"), ("ヲノ", "ヲ"), ("ヤマダ,タロウ", ","), ("タロウ!", "!"), ("ヽ", "ヽ")],
)
def test_to_bank_kana_rejects(typed: str, char: str) -> None:
    with pytest.raises(RuleError) as error:
        to_bank_kana(typed, 30, label_ja="受取人名")
    assert error.value.message_ja == (
        f"受取人名に使えない文字「{char}」が含まれています。カタカナ・英字・数字でご入力ください"
    )


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096, exclude_characters="を")
    )
)
def test_bank_kana_of_any_hiragana_is_bank_text(text: str) -> None:
    result = to_bank_kana(text, 10_000)
    assert is_bank_text(result)
    assert len(result.encode("cp932")) == len(result)


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("ｼﾖｳｷﾎﾞ ﾀﾛｳ", True),
        ("ABC (ｶ)-./0", True),
        ("ｼｮｳ", False),  # small kana
        ("ｽｰﾊﾟｰ", False),  # ｰ
        ("abc", False),
        ("ショウ", False),  # full-width
        ("A,B", False),
    ],
)
def test_is_bank_text(text: str, allowed: bool) -> None:
    assert is_bank_text(text) is allowed


@pytest.mark.parametrize(
    ("typed", "kwargs", "number"),
    [
        ("105-0011", {"length": 7}, "1050011"),
        ("１０５－００１１", {"length": 7}, "1050011"),
        ("０３ー１２３４ー５６７８", {"min_length": 10, "max_length": 11}, "0312345678"),
        ("090 1234 5678", {"min_length": 10, "max_length": 11}, "09012345678"),
        ("03‐1234−5678", {"min_length": 10}, "0312345678"),
        ("ｰ12ｰ", {"max_length": 3}, "12"),
        ("0001234", {}, "0001234"),
    ],
)
def test_digits(typed: str, kwargs: dict[str, int], number: str) -> None:
    assert digits(typed, label_ja="番号", **kwargs) == number


@pytest.mark.parametrize(
    ("typed", "kwargs", "message_ja"),
    [
        ("105-001", {"length": 7}, "郵便番号は7桁の数字で入力してください"),
        ("105-00111", {"length": 7}, "郵便番号は7桁の数字で入力してください"),
        ("1O5-0011", {"length": 7}, "郵便番号は7桁の数字で入力してください"),
        ("٣٣٣٣٣٣٣", {"length": 7}, "郵便番号は7桁の数字で入力してください"),  # not ASCII digits
        ("123", {"min_length": 10, "max_length": 11}, "郵便番号は10〜11桁の数字で入力してください"),
        ("12345678", {"max_length": 7}, "郵便番号は7桁以内の数字で入力してください"),
        ("12", {"min_length": 3}, "郵便番号は3桁以上の数字で入力してください"),
        ("12a", {}, "郵便番号は数字で入力してください"),
        (" - ", {"length": 7}, "郵便番号を入力してください"),
    ],
)
def test_digits_rejects(typed: str, kwargs: dict[str, int], message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        digits(typed, label_ja="郵便番号", **kwargs)
    assert error.value.message_ja == message_ja
