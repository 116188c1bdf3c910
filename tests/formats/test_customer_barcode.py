"""日本郵便 カスタマバーコード data: 「郵便番号・バーコードマニュアル」, バーコードに必要な文字情報の
抜き出し法 (post.japanpost.jp/zipcode/zipmanual/p17–p21.html) and its worked examples."""

import pytest

from kyosai.formats import customer_barcode as cb


@pytest.mark.parametrize(
    ("address", "number"),
    [
        ("東京都港区芝公園1-1-1", "1-1-1"),
        ("東京都港区芝公園四丁目2番8号", "4-2-8"),
        ("東京都千代田区丸の内二丁目５番１号　丸の内ビル１２F", "2-5-1-12"),
        ("大阪府大阪市北区梅田三丁目1番3号 ノースゲートビルディングA棟101", "3-1-3A-101"),
        ("北海道札幌市中央区北一条西二十三丁目", "23"),
        ("福岡県福岡市博多区博多駅前2-3-4 KYビル5F", "2-3-4-5"),
    ],
)
def test_the_address_number_keeps_the_numbers_and_single_letters(address: str, number: str) -> None:
    assert cb.address_number(address) == number


@pytest.mark.parametrize(
    ("address", "number"),
    [  # the manual's examples (p17, p19, p20 and its table of addresses and their data)
        ("東京都千代田区霞が関1丁目3番2号 郵便プラザ503室", "1-3-2-503"),
        ("千葉県千葉市稲毛区緑町3丁目30-8 郵便ビル403号", "3-30-8-403"),
        ("秋田県大仙市堀見内 南田茂木 添60-1", "60-1"),
        ("東京都台東区台東5-6-3 ABCビル10F", "5-6-3-10"),
        ("北海道札幌市東区北六条東4丁目 郵便センター6号館", "4-6"),
        ("北海道札幌市東区北六条東8丁目 郵便センター10号館", "8-10"),
        ("山梨県韮崎市龍岡町下條南割 韮崎400", "400"),
        ("千葉県鎌ケ谷市右京塚 東3丁目-20-5 郵便・A&bコーポB604号", "3-20-5B604"),
        ("茨城県日立市宮田町6丁目7-14 ABCビル2F", "6-7-14-2"),
    ],
)
def test_the_manuals_examples_p19(address: str, number: str) -> None:
    assert cb.address_number(address) == number


def test_the_cut_at_twenty_symbols_keeps_a_hyphen_and_a_letters_control_code_p20() -> None:
    cut = cb.data("064-0804", "北海道札幌市中央区南四条西29丁目1524-23 第2郵便ハウス501")
    assert cut == "064080429-1524-23-2-"
    letter = cb.data("910-0067", "福井県福井市新田塚3丁目80-25 J1ビル2-B")
    assert cb.symbols(letter) == [*"91000673-80-25", "CC1", "9", *"1-2", "CC1"]


def test_the_check_digit_of_the_manuals_example_p21() -> None:
    data = cb.data("100-0013", "東京都千代田区霞が関1丁目3番2号 郵便プラザ503室")
    assert (data, cb.check_digit(data)) == ("10000131-3-2-503", "9")


def test_the_data_is_the_postal_code_then_the_address_number_cut_to_twenty_symbols() -> None:
    assert cb.data("105-0011", "東京都港区芝公園4丁目2番8号") == "10500114-2-8"
    # 7 + 13: B takes two symbols, then「-9」, and the last 9 no longer fits.
    long = cb.data("1000001", "東京都千代田区1-2-3-4-5 B棟99")
    assert long == "10000011-2-3-4-5B-9"
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
