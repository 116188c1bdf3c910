"""日本郵便 カスタマバーコード data (「バーコード付郵便物の作成の手引き」, recalled; unconfirmed)."""

import pytest

from kyosai.formats import customer_barcode as cb


@pytest.mark.parametrize(
    ("address", "number"),
    [
        ("東京都港区芝公園1-1-1", "1-1-1"),
        ("東京都港区芝公園四丁目2番8号", "4-2-8"),
        ("東京都千代田区丸の内二丁目５番１号　丸の内ビル１２F", "2-5-1-12"),
        ("大阪府大阪市北区梅田三丁目1番3号 ノースゲートビルディングA棟101", "3-1-3-A-101"),
        ("北海道札幌市中央区北一条西二十三丁目", "23"),
        ("福岡県福岡市博多区博多駅前2-3-4 KYビル5F", "2-3-4-5"),
    ],
)
def test_the_address_number_keeps_the_numbers_and_single_letters(address: str, number: str) -> None:
    assert cb.address_number(address) == number


def test_the_data_is_the_postal_code_then_the_address_number_cut_to_twenty_symbols() -> None:
    assert cb.data("105-0011", "東京都港区芝公園4丁目2番8号") == "10500114-2-8"
    # 7 + 13: B takes two symbols, the 99 no longer fits and is left off, as is the "-" before it.
    long = cb.data("1000001", "東京都千代田区1-2-3-4-5 B棟99")
    assert long == "10000011-2-3-4-5-B"
    assert len(cb.symbols(long)) == 20


def test_symbols_pad_with_cc4_and_letters_are_a_control_code_and_a_digit() -> None:
    assert cb.symbols("1050011A") == [*"1050011", "CC1", "0", *["CC4"] * 11]
    assert cb.symbols("1050011Z")[7:9] == ["CC3", "5"]


def test_the_check_digit_makes_the_sum_a_multiple_of_19() -> None:
    data = "10500114-2-8"
    values = {**{str(d): d for d in range(10)}, "-": 10, **{f"CC{n}": 10 + n for n in range(1, 9)}}
    total = sum(values[s] for s in cb.symbols(data)) + values[cb.check_digit(data)]
    assert total % 19 == 0
    # 1+0+5+0+0+1+1+4+10+2+10+8 = 42, eight CC4 (14 each) = 112: 154 + CC7 (17) = 171 = 9 × 19
    assert cb.check_digit(data) == "CC7"


def test_a_postal_code_that_is_not_seven_digits_is_refused() -> None:
    with pytest.raises(ValueError, match="7桁"):
        cb.data("105-001", "東京都港区芝公園1-1-1")
