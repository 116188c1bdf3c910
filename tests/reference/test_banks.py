"""Banks and branches over zengin-code's bundled data."""

import pytest

from kyosai.reference.banks import Bank, Branch, bank, bank_kana_halfwidth, branch
from kyosai.rules.errors import RuleError


@pytest.mark.parametrize("typed", ["0001", "０００１", " 0001 "])
def test_bank_mizuho(typed: str) -> None:
    assert bank(typed) == Bank(code="0001", name="みずほ", kana="ミズホ")
    assert bank(typed).kana_halfwidth == "ﾐｽﾞﾎ"


def test_bank_with_long_vowel_in_its_kana() -> None:
    mufg = bank("0005")
    assert (mufg.name, mufg.kana) == ("三菱ＵＦＪ", "ミツビシユ－エフジエイ")
    assert mufg.kana_halfwidth == "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ"
    assert (
        mufg.kana_halfwidth.encode("cp932") == b"\xd0\xc2\xcb\xde\xbc\xd5-\xb4\xcc\xbc\xde\xb4\xb2"
    )


def test_branch_of_mizuho() -> None:
    tokyo = branch("0001", "001")
    assert tokyo == Branch(bank_code="0001", code="001", name="東京営業部", kana="トウキヨウ")
    assert tokyo.kana_halfwidth == "ﾄｳｷﾖｳ"
    assert branch("０００１", "０１３").name == "町村会館出張所"


def test_yucho_branch() -> None:
    assert bank("9900").name == "ゆうちょ"
    assert branch("9900", "018") == Branch(
        bank_code="9900", code="018", name="〇一八", kana="ゼロイチハチ"
    )


def test_halfwidth_kana_of_every_bank_fits_the_zengin_field() -> None:
    import zengin_code

    for code in zengin_code.Bank.all:
        assert len(bank(code).kana_halfwidth) <= 15


def test_bank_kana_halfwidth() -> None:
    assert bank_kana_halfwidth("ソニ－") == "ｿﾆ-"
    with pytest.raises(RuleError) as error:
        bank_kana_halfwidth("ア" * 16)
    assert error.value.message_ja == (
        "金融機関名（カナ）は半角15文字以内で入力してください（濁点・半濁点も1文字と数えます。現在16文字）"
    )


@pytest.mark.parametrize(
    ("call", "message_ja"),
    [
        (lambda: bank("0002"), "金融機関コード 0002 は見つかりません"),
        (lambda: bank("001"), "金融機関コードは4桁の数字で入力してください"),
        (lambda: branch("0001", "999"), "金融機関コード 0001 の支店 999 は見つかりません"),
        (lambda: branch("0002", "001"), "金融機関コード 0002 は見つかりません"),
        (lambda: branch("0001", "1"), "支店コードは3桁の数字で入力してください"),
    ],
)
def test_unknown_codes(call: object, message_ja: str) -> None:
    assert callable(call)
    with pytest.raises(RuleError) as error:
        call()
    assert error.value.message_ja == message_ja
