"""Prefectures, their codes and region blocks (data/prefecture_blocks.csv)."""

import pytest

from kyosai.reference.regions import PREFECTURES, block_of, prefecture_code, prefecture_of_address
from kyosai.rules.errors import RuleError


def test_47_prefectures_in_code_order() -> None:
    assert len(PREFECTURES) == 47
    assert [code for code, _ in PREFECTURES] == [f"{n:02d}" for n in range(1, 48)]
    assert PREFECTURES[0] == ("01", "北海道")
    assert PREFECTURES[12] == ("13", "東京都")
    assert PREFECTURES[46] == ("47", "沖縄県")


@pytest.mark.parametrize(
    ("name", "code"), [("北海道", "01"), ("東京都", "13"), ("京都府", "26"), (" 大阪府", "27")]
)
def test_prefecture_code(name: str, code: str) -> None:
    assert prefecture_code(name) == code


@pytest.mark.parametrize(
    ("prefecture", "block"),
    [
        ("東京都", "関東"),
        ("13", "関東"),
        ("１３", "関東"),
        ("1", "北海道"),
        ("新潟県", "関東"),  # the CSV's grouping
        ("石川県", "北陸"),
        ("愛知県", "中部"),
        ("大阪府", "近畿"),
        ("広島県", "中国"),
        ("高知県", "四国"),
        ("沖縄県", "九州"),
    ],
)
def test_block_of(prefecture: str, block: str) -> None:
    assert block_of(prefecture) == block


def test_every_prefecture_has_one_of_nine_blocks() -> None:
    blocks = {block_of(code) for code, _ in PREFECTURES}
    assert blocks == {"北海道", "東北", "関東", "北陸", "中部", "近畿", "中国", "四国", "九州"}


@pytest.mark.parametrize(
    ("call", "message_ja"),
    [
        (
            lambda: prefecture_code("東京"),
            "都道府県名は「東京都」「北海道」のように正しく入力してください",
        ),
        (
            lambda: block_of("大阪県"),
            "都道府県名は「東京都」「北海道」のように正しく入力してください",
        ),
        (lambda: block_of("48"), "都道府県コードは01〜47の数字です"),
        (lambda: block_of("00"), "都道府県コードは01〜47の数字です"),
    ],
)
def test_unknown_prefecture(call: object, message_ja: str) -> None:
    assert callable(call)
    with pytest.raises(RuleError) as error:
        call()
    assert error.value.message_ja == message_ja


@pytest.mark.parametrize(
    ("address", "prefecture"),
    [
        ("東京都港区芝公園4-2-8", "東京都"),
        ("北海道札幌市中央区北一条西6丁目", "北海道"),
        ("京都府京都市中京区上大阪町", "京都府"),
        ("大阪府大阪市北区", "大阪府"),
        ("神奈川県横浜市中区", "神奈川県"),
        ("和歌山県和歌山市", "和歌山県"),
        ("　鹿児島県鹿児島市", "鹿児島県"),
        ("山口県県道1号", "山口県"),  # the lazy match stops at the first 県
        ("港区芝公園", None),
        ("京都市中京区", None),  # a city, not 京都府
        ("大阪県大阪市", None),
        ("", None),
    ],
)
def test_prefecture_of_address(address: str, prefecture: str | None) -> None:
    assert prefecture_of_address(address) == prefecture


def test_every_prefecture_is_found_at_the_start_of_an_address() -> None:
    for _, name in PREFECTURES:
        assert prefecture_of_address(f"{name}中央1-1") == name
