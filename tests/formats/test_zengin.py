"""全銀協 120-byte files: 預金口座振替 91 (request and result) and 総合振込 21 (formats.md §1).

The golden files under golden/ are checked twice: against records built here position by position
from the tables of formats.md §1.2 / §1.3 (``positioned``, which knows nothing of zengin.py), and
against what the writer produces. The tables themselves are restated there from 宮崎銀行
kfkdown-zengin-help, 北國銀行 dl_tran_zg and vain0x/zengin-edit (91), and nahi/jba, 群馬銀行 and
みずほ Web21 (21).
"""

import dataclasses
import datetime
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyosai.formats import zengin
from kyosai.formats.kana import is_bank_text, to_bank_kana
from kyosai.formats.zengin import (
    DEBIT_DATA,
    DEBIT_HEADER,
    DEBIT_TRAILER,
    END,
    RESULT_CODES,
    TRANSFER_DATA,
    TRANSFER_DATA_EDI,
    TRANSFER_HEADER,
    TRANSFER_TRAILER,
    BankProfile,
    DebitItem,
    Field,
    LineError,
    TransferItem,
    ZenginError,
    ZenginFileError,
    debit_request_lines,
    decode,
    encode,
    parse_debit_result,
    transfer_request_lines,
    write_debit_request,
    write_transfer_request,
)
from kyosai.rules.errors import RuleError

GOLDEN = Path(__file__).parent / "golden"
CRLF = b"\r\n"


def positioned(*fields: tuple[int, int, str, str]) -> bytes:
    """One record from (first byte, last byte, N|C, value), positions 1-based and inclusive, copied
    from the 位置 column of formats.md §1.2 / §1.3. N is zero-filled on the left, C space-filled on
    the right. The fields must follow each other without gap or overlap and end at byte 120, which
    checks the transcription of the table too."""
    text = ""
    for first, last, kind, value in fields:
        assert first == len(text) + 1, f"gap or overlap before byte {first}"
        width = last - first + 1
        assert len(value) <= width
        text += value.rjust(width, "0") if kind == "N" else value.ljust(width, " ")
    record = text.encode("cp932")
    assert len(text) == len(record) == 120
    return record


# --- the example data of the golden files --------------------------------------------------------

PROFILE = BankProfile(
    requester_code="0123456789",
    requester_name="ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ",  # 独立行政法人 → ﾄﾞｸ prefix (京葉銀行 list, §1.1)
    bank_code="0001",
    bank_name="ﾐｽﾞﾎ",
    branch_code="001",
    branch_name="ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
    account_type="1",
    account_number="1234567",
)
DEBIT_ON = datetime.date(2026, 12, 28)
PAY_ON = datetime.date(2027, 1, 5)

DEBIT_ITEMS = (
    DebitItem("0005", "123", "1", "7654321", "ｼﾖｳｷﾎﾞ ﾀﾛｳ", 10_000, "1", "10000010601"),
    DebitItem("9900", "058", "1", "1234567", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 70_000, "0", "20000020512"),
    DebitItem("0009", "200", "2", "42", "ﾀﾅｶ ﾊﾅｺ", 1_000, "2", "999"),
)

TRANSFER_ITEMS = (
    TransferItem(
        "0005",
        "123",
        "1",
        "7654321",
        "ｼﾖｳｷﾎﾞ ﾀﾛｳ",
        1_234_567,
        customer_code="11111111112222222222",
    ),
    TransferItem("0001", "001", "2", "123", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", 500_000, "1", edi="ｷﾖｳｻｲｷﾝ 202701"),
)


def header_91(mmdd: str) -> bytes:
    # formats.md §1.2 ヘッダー・レコード, # 1–13
    return positioned(
        (1, 1, "N", "1"),
        (2, 3, "N", "91"),
        (4, 4, "N", "0"),
        (5, 14, "N", "0123456789"),
        (15, 54, "C", "ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ"),
        (55, 58, "N", mmdd),
        (59, 62, "N", "0001"),
        (63, 77, "C", "ﾐｽﾞﾎ"),
        (78, 80, "N", "001"),
        (81, 95, "C", "ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ"),
        (96, 96, "N", "1"),
        (97, 103, "N", "1234567"),
        (104, 120, "C", ""),
    )


def data_91(
    bank: str,
    bank_name: str,
    branch: str,
    kind: str,
    account: str,
    name: str,
    amount: str,
    new: str,
    customer: str,
    result: str,
) -> bytes:
    # formats.md §1.2 データ・レコード, # 1–14
    return positioned(
        (1, 1, "N", "2"),
        (2, 5, "N", bank),
        (6, 20, "C", bank_name),
        (21, 23, "N", branch),
        (24, 38, "C", ""),
        (39, 42, "C", ""),
        (43, 43, "N", kind),
        (44, 50, "N", account),
        (51, 80, "C", name),
        (81, 90, "N", amount),
        (91, 91, "N", new),
        (92, 111, "N", customer),
        (112, 112, "N", result),
        (113, 120, "C", ""),
    )


def trailer_91(
    count: str, amount: str, paid: str, paid_amount: str, failed: str, failed_amount: str
) -> bytes:
    # formats.md §1.2 トレーラ・レコード, # 1–8
    return positioned(
        (1, 1, "N", "8"),
        (2, 7, "N", count),
        (8, 19, "N", amount),
        (20, 25, "N", paid),
        (26, 37, "N", paid_amount),
        (38, 43, "N", failed),
        (44, 55, "N", failed_amount),
        (56, 120, "C", ""),
    )


def end_record() -> bytes:
    # formats.md §1.2 エンド・レコード (the same for 21)
    return positioned((1, 1, "N", "9"), (2, 120, "C", ""))


def expected_debit_request() -> list[bytes]:
    """The request for DEBIT_ITEMS, by hand: 引落日 12/28, 振替結果コード 0, totals 3 / 81,000 yen."""
    return [
        header_91("1228"),
        data_91("0005", "", "123", "1", "7654321", "ｼﾖｳｷﾎﾞ ﾀﾛｳ", "10000", "1", "10000010601", "0"),
        data_91("9900", "", "058", "1", "1234567", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", "70000", "0", "20000020512", "0"),
        data_91("0009", "", "200", "2", "0000042", "ﾀﾅｶ ﾊﾅｺ", "1000", "2", "999", "0"),
        trailer_91("3", "81000", "0", "0", "0", "0"),
        end_record(),
    ]


def expected_debit_result() -> list[bytes]:
    """What the bank returns for that request: codes 0 振替済, 1 資金不足, 3 預金者の都合; the bank
    filled in one bank name (optional C field). Trailer: 1 paid 10,000 yen, 2 failed 71,000 yen."""
    return [
        header_91("1228"),
        data_91("0005", "", "123", "1", "7654321", "ｼﾖｳｷﾎﾞ ﾀﾛｳ", "10000", "1", "10000010601", "0"),
        data_91(
            "9900", "ﾕｳﾁﾖ", "058", "1", "1234567", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ", "70000", "0", "20000020512", "1"
        ),
        data_91("0009", "", "200", "2", "0000042", "ﾀﾅｶ ﾊﾅｺ", "1000", "2", "999", "3"),
        trailer_91("3", "81000", "1", "10000", "2", "71000"),
        end_record(),
    ]


def expected_transfer_request() -> list[bytes]:
    """The 総合振込 file for TRANSFER_ITEMS, by hand from formats.md §1.3: 振込指定日 01/05,
    手形交換所番号 0000, 振込指定区分 7 (電信); the second payment carries EDI information
    (識別表示 Y, bytes 92–111 as C). Totals 2 / 1,734,567 yen."""
    header = positioned(
        (1, 1, "N", "1"),
        (2, 3, "N", "21"),
        (4, 4, "N", "0"),
        (5, 14, "N", "0123456789"),
        (15, 54, "C", "ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ"),
        (55, 58, "N", "0105"),
        (59, 62, "N", "0001"),
        (63, 77, "C", "ﾐｽﾞﾎ"),
        (78, 80, "N", "001"),
        (81, 95, "C", "ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ"),
        (96, 96, "N", "1"),
        (97, 103, "N", "1234567"),
        (104, 120, "C", ""),
    )
    with_customer_code = positioned(
        (1, 1, "N", "2"),
        (2, 5, "N", "0005"),
        (6, 20, "C", ""),
        (21, 23, "N", "123"),
        (24, 38, "C", ""),
        (39, 42, "N", "0000"),
        (43, 43, "N", "1"),
        (44, 50, "N", "7654321"),
        (51, 80, "C", "ｼﾖｳｷﾎﾞ ﾀﾛｳ"),
        (81, 90, "N", "1234567"),
        (91, 91, "N", "0"),
        (92, 101, "N", "1111111111"),
        (102, 111, "N", "2222222222"),
        (112, 112, "N", "7"),
        (113, 113, "C", ""),
        (114, 120, "C", ""),
    )
    with_edi = positioned(
        (1, 1, "N", "2"),
        (2, 5, "N", "0001"),
        (6, 20, "C", ""),
        (21, 23, "N", "001"),
        (24, 38, "C", ""),
        (39, 42, "N", "0000"),
        (43, 43, "N", "2"),
        (44, 50, "N", "0000123"),
        (51, 80, "C", "ｶ)ﾔﾏﾀﾞｼﾖｳｼﾞ"),
        (81, 90, "N", "500000"),
        (91, 91, "N", "1"),
        (92, 111, "C", "ｷﾖｳｻｲｷﾝ 202701"),
        (112, 112, "N", "7"),
        (113, 113, "C", "Y"),
        (114, 120, "C", ""),
    )
    trailer = positioned(
        (1, 1, "N", "8"), (2, 7, "N", "2"), (8, 19, "N", "1734567"), (20, 120, "C", "")
    )
    return [header, with_customer_code, with_edi, trailer, end_record()]


GOLDEN_FILES = {
    "debit_request_91.txt": expected_debit_request,
    "debit_result_91.txt": expected_debit_result,
    "transfer_request_21.txt": expected_transfer_request,
}


def write_golden_files() -> None:
    """How the files were made (once, then read back in a hex viewer against the tables):
    ``python -c 'from tests.formats.test_zengin import write_golden_files; write_golden_files()'``."""
    for name, records in GOLDEN_FILES.items():
        (GOLDEN / name).write_bytes(b"".join(record + CRLF for record in records()))


def golden(name: str) -> bytes:
    return (GOLDEN / name).read_bytes()


def golden_records(name: str) -> list[bytes]:
    data = golden(name)
    assert data.endswith(CRLF)
    return data[: -len(CRLF)].split(CRLF)


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_golden_file_is_the_position_table(name: str) -> None:
    """The stored bytes are exactly the records built from the position tables, CR LF after each."""
    assert golden(name) == b"".join(record + CRLF for record in GOLDEN_FILES[name]())
    assert all(len(record) == 120 for record in golden_records(name))


def test_debit_request_matches_golden() -> None:
    assert b"".join(debit_request_lines(PROFILE, DEBIT_ON, DEBIT_ITEMS)) == golden(
        "debit_request_91.txt"
    )


def test_write_debit_request_matches_golden_and_returns_totals() -> None:
    out = io.BytesIO()
    assert write_debit_request(PROFILE, DEBIT_ON, iter(DEBIT_ITEMS), out) == (3, 81_000)
    assert out.getvalue() == golden("debit_request_91.txt")


def test_transfer_request_matches_golden() -> None:
    assert b"".join(transfer_request_lines(PROFILE, PAY_ON, TRANSFER_ITEMS)) == golden(
        "transfer_request_21.txt"
    )
    out = io.BytesIO()
    assert write_transfer_request(PROFILE, PAY_ON, TRANSFER_ITEMS, out) == (2, 1_734_567)
    assert out.getvalue() == golden("transfer_request_21.txt")


def test_result_golden_file_parses() -> None:
    result = parse_debit_result(golden("debit_result_91.txt"))
    assert (result.requester_code, result.debit_mmdd, result.bank_code) == (
        "0123456789",
        "1228",
        "0001",
    )
    assert [(item.line, item.customer_number, item.result_code) for item in result.items] == [
        (2, "00000000010000010601", "0"),
        (3, "00000000020000020512", "1"),
        (4, "00000000000000000999", "3"),
    ]
    assert result.items[2] == zengin.DebitResultItem(
        line=4,
        bank_code="0009",
        branch_code="200",
        account_type="2",
        account_number="0000042",
        amount_yen=1_000,
        customer_number="00000000000000000999",
        result_code="3",
    )
    assert (result.paid_count, result.paid_amount) == (1, 10_000)
    assert (result.failed_count, result.failed_amount) == (2, 71_000)


@pytest.mark.parametrize(
    ("spec", "name", "line"),
    [
        (DEBIT_HEADER, "debit_request_91.txt", 0),
        (DEBIT_DATA, "debit_request_91.txt", 1),
        (DEBIT_TRAILER, "debit_result_91.txt", 4),
        (END, "debit_request_91.txt", 5),
        (TRANSFER_HEADER, "transfer_request_21.txt", 0),
        (TRANSFER_DATA, "transfer_request_21.txt", 1),
        (TRANSFER_DATA_EDI, "transfer_request_21.txt", 2),
        (TRANSFER_TRAILER, "transfer_request_21.txt", 3),
    ],
)
def test_decode_encode_round_trip_on_golden_records(
    spec: tuple[Field, ...], name: str, line: int
) -> None:
    record = golden_records(name)[line]
    assert encode(spec, decode(spec, record)) == record


def test_decode_reads_fields_at_table_positions() -> None:
    data = decode(DEBIT_DATA, golden_records("debit_result_91.txt")[2])
    assert data["bank_name"] == "ﾕｳﾁﾖ" + " " * 11  # raw text, padding kept
    assert data["customer_number"] == "00000000020000020512"  # bytes 92–111
    assert data["result_code"] == "1"  # byte 112
    assert data["amount"] == "0000070000"  # bytes 81–90
    edi = decode(TRANSFER_DATA_EDI, golden_records("transfer_request_21.txt")[2])
    assert (edi["edi"].rstrip(), edi["edi_flag"], edi["transfer_kind"]) == (
        "ｷﾖｳｻｲｷﾝ 202701",
        "Y",
        "7",
    )


# --- specs, encode, decode ------------------------------------------------------------------------

SPECS = {
    "DEBIT_HEADER": DEBIT_HEADER,
    "DEBIT_DATA": DEBIT_DATA,
    "DEBIT_TRAILER": DEBIT_TRAILER,
    "TRANSFER_HEADER": TRANSFER_HEADER,
    "TRANSFER_DATA": TRANSFER_DATA,
    "TRANSFER_DATA_EDI": TRANSFER_DATA_EDI,
    "TRANSFER_TRAILER": TRANSFER_TRAILER,
    "END": END,
}


@pytest.mark.parametrize("name", sorted(SPECS))
def test_spec_is_120_bytes(name: str) -> None:
    assert sum(field.length for field in SPECS[name]) == 120


def test_spec_of_wrong_length_fails_at_definition() -> None:
    with pytest.raises(AssertionError):
        zengin._spec(Field("data_kind", "N", 1), Field("dummy", "C", 118))


# A sample of the 全銀 C set (formats.md §1.1): kana incl. ﾞ ﾟ, A–Z, digits, space and ( ) - . /
BANK_ALPHABET = "ｱｲｳｴｵｶｷｸｹｺﾊﾋﾌﾍﾎﾔﾕﾖﾜﾝﾞﾟABCXYZ0123456789 ().-/"


def bank_text(min_size: int = 0, max_size: int | None = None) -> st.SearchStrategy[str]:
    return st.text(alphabet=BANK_ALPHABET, min_size=min_size, max_size=max_size)


def digits(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=min_size, max_size=max_size)


@st.composite
def spec_values(draw: st.DrawFn, spec: tuple[Field, ...]) -> dict[str, str]:
    values = {}
    for field in spec:
        if field.kind == "N":
            values[field.name] = draw(digits(0, field.length))
        else:
            values[field.name] = draw(bank_text(0, field.length))
    return values


@given(st.data())
def test_encode_decode_round_trip(data: st.DataObject) -> None:
    spec = data.draw(st.sampled_from(list(SPECS.values())))
    values = data.draw(spec_values(spec))
    record = encode(spec, values)
    assert len(record) == 120
    decoded = decode(spec, record)
    for field in spec:
        padded = (
            values[field.name].rjust(field.length, "0")
            if field.kind == "N"
            else values[field.name].ljust(field.length)
        )
        assert decoded[field.name] == padded


def test_encode_defaults_and_ints() -> None:
    record = encode(DEBIT_TRAILER, {"data_kind": "8", "total_count": 3, "total_amount": 81000})
    assert record == trailer_91("3", "81000", "0", "0", "0", "0")
    assert encode(END, {}) == b"0" + b" " * 119  # missing N → zeros, missing C → spaces


def test_encode_blank_n_field_only_where_banks_allow_it() -> None:
    record = encode(DEBIT_HEADER, {"account_type": " ", "account_number": "       "})
    assert record[95:103] == b" " * 8
    with pytest.raises(ZenginError) as error:
        encode(DEBIT_HEADER, {"bank_code": "    "})
    assert error.value.field == "bank_code"


@pytest.mark.parametrize(
    ("spec", "values", "field", "message_ja"),
    [
        (
            DEBIT_DATA,
            {"bank_code": "12345"},
            "bank_code",
            "銀行番号は4桁以内です（「12345」は5桁）",
        ),
        (DEBIT_DATA, {"amount": "12a"}, "amount", "金額は半角数字でなければなりません（「12a」）"),
        (
            DEBIT_DATA,
            {"amount": "１２"},
            "amount",
            "金額は半角数字でなければなりません（「１２」）",
        ),
        (DEBIT_DATA, {"amount": -1}, "amount", "金額に負の数は設定できません（-1）"),
        (DEBIT_DATA, {"amount": 10**10}, "amount", "金額は10桁以内です（「10000000000」は11桁）"),
        (
            DEBIT_DATA,
            {"holder_name": "ｱ" * 31},
            "holder_name",
            f"預金者名は半角30文字以内です（「{'ｱ' * 31}」は31文字）",
        ),
        (
            DEBIT_DATA,
            {"holdr_name": "ｱ"},
            "holdr_name",
            "レコードにない項目が指定されています（holdr_name）",
        ),
        (TRANSFER_TRAILER, {"dummy": 5}, "dummy", "ダミーには数値ではなく文字列を指定してください"),
    ],
)
def test_encode_rejects(
    spec: tuple[Field, ...], values: dict[str, str | int], field: str, message_ja: str
) -> None:
    with pytest.raises(ZenginError) as error:
        encode(spec, values)
    assert error.value.field == field
    assert error.value.message_ja == message_ja
    assert field in error.value.message_en
    assert isinstance(error.value, RuleError)


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("ｷｭｳﾖ ﾀﾛｳ", "ｭ"),  # small kana: write ｷﾕｳﾖ (formats.md §1.1)
        ("ｽｰﾊﾟｰ", "ｰ"),  # long vowel: rejected by some receivers (jinjer FAQ)
        ("ﾔﾏﾀﾞ,ﾀﾛｳ", ","),
        ("ｦﾉ", "ｦ"),  # EDI fields only at some banks
        ("yamada", "y"),
        ("ヤマダ", "ヤ"),  # full-width
        ("山田", "山"),
    ],
)
def test_encode_rejects_names_outside_the_bank_set(name: str, bad: str) -> None:
    with pytest.raises(ZenginError) as error:
        encode(DEBIT_DATA, {"holder_name": name})
    assert error.value.field == "holder_name"
    assert error.value.message_ja.startswith(f"預金者名に全銀ファイルで使えない文字「{bad}」")


def test_names_normalised_by_to_bank_kana_are_accepted() -> None:
    """The normalisation belongs to kana.to_bank_kana, before the writer (formats.md §1.5 item 2)."""
    name = to_bank_kana("キュウヨ　スーパー", 30)
    assert name == "ｷﾕｳﾖ ｽ-ﾊﾟ-"
    assert encode(DEBIT_DATA, {"holder_name": name})[50:80] == name.ljust(30).encode("cp932")


@pytest.mark.parametrize(
    ("record", "field", "message_ja"),
    [
        (b"9" + b" " * 118, "record", "レコード長が119バイトです（120バイトでなければなりません）"),
        (
            b"9" + b" " * 119 + b"\r\n",
            "record",
            "レコード長が122バイトです（120バイトでなければなりません）",
        ),
        (
            b"9" + b" " * 50 + b"\x82\xa0" + b" " * 67,  # a double-byte あ
            "dummy",
            "ダミー（52バイト目）に読めない文字コード 0x82 があります",
        ),
    ],
)
def test_decode_rejects(record: bytes, field: str, message_ja: str) -> None:
    with pytest.raises(ZenginError) as error:
        decode(END, record)
    assert (error.value.field, error.value.message_ja) == (field, message_ja)


# --- request writers --------------------------------------------------------------------------------

PROFILES = st.builds(
    BankProfile,
    requester_code=st.just("0123456789"),
    requester_name=bank_text(0, 40),
    bank_code=st.just("0001"),
    line_ending=st.sampled_from([b"\r\n", b""]),
    request_result_code=st.sampled_from(["0", " "]),
    eof=st.booleans(),
)

DEBIT_ITEM = st.builds(
    DebitItem,
    bank_code=digits(4, 4),
    branch_code=digits(3, 3),
    account_type=st.sampled_from("1239"),
    account_number=digits(1, 7),
    holder_name=bank_text(1, 30),
    amount_yen=st.integers(1, zengin.MAX_AMOUNT),
    new_code=st.sampled_from("012"),
    customer_number=digits(1, 20),
)


def split_lines(data: bytes, profile: BankProfile) -> list[bytes]:
    if profile.eof:
        assert data.endswith(b"\x1a")
        data = data[:-1]
    width = 120 + len(profile.line_ending)
    assert len(data) % width == 0
    lines = [data[start : start + width] for start in range(0, len(data), width)]
    assert all(line.endswith(profile.line_ending) for line in lines)
    return [line[:120] for line in lines]


@given(PROFILES, st.lists(DEBIT_ITEM, max_size=20))
def test_every_debit_record_is_120_bytes_of_allowed_characters(
    profile: BankProfile, items: list[DebitItem]
) -> None:
    lines = list(debit_request_lines(profile, DEBIT_ON, items))
    assert (lines[-1] == b"\x1a") is profile.eof
    assert all(len(line) == 120 + len(profile.line_ending) for line in lines[: len(items) + 3])
    records = split_lines(b"".join(lines), profile)
    assert len(records) == len(items) + 3
    for record in records:
        assert len(record) == 120
        assert is_bank_text(record.decode("cp932"))
    assert [record[:1] for record in records] == [b"1"] + [b"2"] * len(items) + [b"8", b"9"]


@given(PROFILES, st.lists(DEBIT_ITEM, max_size=20))
def test_fast_debit_records_equal_the_generic_encoder(
    profile: BankProfile, items: list[DebitItem]
) -> None:
    """The precomputed format string and the spec-driven encoder agree byte for byte."""
    records = split_lines(b"".join(debit_request_lines(profile, DEBIT_ON, items)), profile)
    for item, record in zip(items, records[1:-2], strict=True):
        assert record == encode(
            DEBIT_DATA,
            {
                "data_kind": "2",
                "bank_code": item.bank_code,
                "branch_code": item.branch_code,
                "account_type": item.account_type,
                "account_number": item.account_number,
                "holder_name": item.holder_name,
                "amount": item.amount_yen,
                "new_code": item.new_code,
                "customer_number": item.customer_number,
                "result_code": profile.request_result_code,
            },
        )
    trailer = decode(DEBIT_TRAILER, records[-2])
    assert int(trailer["total_count"]) == len(items)
    assert int(trailer["total_amount"]) == sum(item.amount_yen for item in items)


TRANSFER_ITEM = st.builds(
    TransferItem,
    bank_code=digits(4, 4),
    branch_code=digits(3, 3),
    account_type=st.sampled_from("1249"),
    account_number=digits(1, 7),
    payee_name=bank_text(1, 30),
    amount_yen=st.integers(1, zengin.MAX_AMOUNT),
    new_code=st.sampled_from("012"),
    customer_code=st.one_of(st.just(""), digits(1, 20)),
)


@given(PROFILES, st.lists(TRANSFER_ITEM, max_size=10), st.lists(bank_text(0, 20), max_size=10))
def test_every_transfer_record_is_120_bytes_of_allowed_characters(
    profile: BankProfile, items: list[TransferItem], edis: list[str]
) -> None:
    items = [
        dataclasses.replace(item, customer_code="", edi=edi) if edi.strip() else item
        for item, edi in zip(items, [*edis, *[""] * len(items)], strict=False)
    ]
    records = split_lines(b"".join(transfer_request_lines(profile, PAY_ON, items)), profile)
    assert len(records) == len(items) + 3
    for record, item in zip(records[1:-2], items, strict=True):
        assert record[112:113] == (b"Y" if item.edi else b" ")
    for record in records:
        assert len(record) == 120
        assert is_bank_text(record.decode("cp932"))


def test_profile_variations() -> None:
    """Bank-to-bank differences as configuration (formats.md §1.2 variations, §1.5 item 3)."""
    profile = dataclasses.replace(
        PROFILE, line_ending=b"", request_result_code=" ", eof=True, account_type=" "
    )
    data = b"".join(debit_request_lines(profile, DEBIT_ON, DEBIT_ITEMS))
    expected = expected_debit_request()
    assert len(data) == 6 * 120 + 1 and data.endswith(b"\x1a")
    records = [data[start : start + 120] for start in range(0, 720, 120)]
    assert records[0] == expected[0][:95] + b" " + expected[0][96:]
    for record, wanted in zip(records[1:4], expected[1:4], strict=True):
        assert record == wanted[:111] + b" " + wanted[112:]  # 振替結果コード blank
    assert records[4:] == expected[4:]


def test_empty_request_has_zero_totals() -> None:
    lines = list(debit_request_lines(PROFILE, DEBIT_ON, []))
    assert lines == [
        header_91("1228") + CRLF,
        trailer_91("0", "0", "0", "0", "0", "0") + CRLF,
        end_record() + CRLF,
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message_ja"),
    [
        ({"bank_code": "1"}, "bank_code", "2件目: 銀行番号は4桁の半角数字です（「1」）"),
        ({"branch_code": "12a"}, "branch_code", "2件目: 支店番号は3桁の半角数字です（「12a」）"),
        (
            {"account_type": "4"},
            "account_type",
            "2件目: 預金種目は「1」「2」「3」「9」のいずれかです（「4」）",
        ),
        (
            {"account_number": "12345678"},
            "account_number",
            "2件目: 口座番号は1〜7桁の半角数字です（「12345678」）",
        ),
        ({"account_number": ""}, "account_number", "2件目: 口座番号は1〜7桁の半角数字です（「」）"),
        ({"holder_name": ""}, "holder_name", "2件目: 預金者名が空です"),
        ({"holder_name": "ｷｭｳﾖ"}, "holder_name", None),
        ({"holder_name": "ﾀﾛｰ"}, "holder_name", None),
        ({"amount_yen": 0}, "amount", "2件目: 金額は1円以上9,999,999,999円以下の整数です（0）"),
        ({"amount_yen": -5}, "amount", "2件目: 金額は1円以上9,999,999,999円以下の整数です（-5）"),
        (
            {"amount_yen": 10**10},
            "amount",
            "2件目: 金額は1円以上9,999,999,999円以下の整数です（10000000000）",
        ),
        ({"amount_yen": 1.5}, "amount", "2件目: 金額は1円以上9,999,999,999円以下の整数です（1.5）"),
        (
            {"amount_yen": True},
            "amount",
            "2件目: 金額は1円以上9,999,999,999円以下の整数です（True）",
        ),
        (
            {"new_code": "3"},
            "new_code",
            "2件目: 新規コードは「0」「1」「2」のいずれかです（「3」）",
        ),
        (
            {"customer_number": ""},
            "customer_number",
            "2件目: 顧客番号は1〜20桁の半角数字です（「」）",
        ),
        ({"customer_number": "1" * 21}, "customer_number", None),
        ({"customer_number": "12-3"}, "customer_number", None),
    ],
)
def test_debit_request_rejects_bad_item(
    changes: dict[str, object], field: str, message_ja: str | None
) -> None:
    items = [DEBIT_ITEMS[0], dataclasses.replace(DEBIT_ITEMS[1], **changes)]  # type: ignore[arg-type]
    with pytest.raises(ZenginError) as error:
        list(debit_request_lines(PROFILE, DEBIT_ON, items))
    assert error.value.field == field
    assert error.value.message_ja.startswith("2件目: ")
    if message_ja is not None:
        assert error.value.message_ja == message_ja


def test_small_kana_name_is_rejected_with_a_hint() -> None:
    item = dataclasses.replace(DEBIT_ITEMS[0], holder_name="ｷｭｳﾖ ﾀﾛｳ")
    with pytest.raises(ZenginError) as error:
        list(debit_request_lines(PROFILE, DEBIT_ON, [item]))
    assert error.value.message_ja == (
        "1件目: 預金者名に全銀ファイルで使えない文字「ｭ」が含まれています"
        "（小さい「ｯ」「ｬ」や長音「ｰ」は大きい文字・「-」に直してください）"
    )


def test_bad_item_in_a_later_batch_is_numbered() -> None:
    items = [DEBIT_ITEMS[0]] * 5000 + [dataclasses.replace(DEBIT_ITEMS[0], new_code="5")]
    with pytest.raises(ZenginError) as error:
        list(debit_request_lines(PROFILE, DEBIT_ON, items))
    assert error.value.message_ja.startswith("5001件目: 新規コード")


def test_file_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """合計件数 is N(6) and 合計金額 N(12): a file beyond them must be split."""
    monkeypatch.setattr(zengin, "MAX_COUNT", 2)
    with pytest.raises(ZenginError) as error:
        list(debit_request_lines(PROFILE, DEBIT_ON, DEBIT_ITEMS))
    assert error.value.field == "total_count"
    monkeypatch.undo()
    big = dataclasses.replace(DEBIT_ITEMS[0], amount_yen=zengin.MAX_AMOUNT)
    assert write_debit_request(PROFILE, DEBIT_ON, [big] * 100, io.BytesIO()) == (
        100,
        999_999_999_900,
    )
    with pytest.raises(ZenginError) as error:
        write_debit_request(PROFILE, DEBIT_ON, [big] * 101, io.BytesIO())
    assert error.value.field == "total_amount"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"requester_code": "123"}, "requester_code"),
        ({"requester_name": "ｼｮｳｷﾎﾞ"}, "requester_name"),
        ({"bank_name": "ﾐｽﾞﾎｷﾞﾝｺｳﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ"}, "bank_name"),
        ({"account_number": "12345678"}, "account_number"),
        ({"line_ending": b"\n"}, "line_ending"),
        ({"request_result_code": "1"}, "result_code"),
        ({"transfer_kind": "9"}, "transfer_kind"),
    ],
)
def test_profile_is_checked_when_constructed(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ZenginError) as error:
        dataclasses.replace(PROFILE, **changes)  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"account_type": "3"}, "account_type"),  # 納税準備 is not a transfer 預金種目
        ({"customer_code": "1" * 21}, "customer_code"),
        ({"edi": "ｼｮｳﾖ"}, "edi"),
        ({"edi": "ｱ" * 21}, "edi"),
        ({"edi": "ｱ", "customer_code": "1"}, "edi"),  # the two share bytes 92–111
        ({"payee_name": "ｽｰﾊﾟｰ"}, "payee_name"),
        ({"amount_yen": 0}, "amount"),
    ],
)
def test_transfer_request_rejects_bad_item(changes: dict[str, object], field: str) -> None:
    item = dataclasses.replace(TRANSFER_ITEMS[0], **{"customer_code": "", **changes})  # type: ignore[arg-type]
    with pytest.raises(ZenginError) as error:
        list(transfer_request_lines(PROFILE, PAY_ON, [item]))
    assert error.value.field == field
    assert error.value.message_ja.startswith("1件目: ")


# --- result file ------------------------------------------------------------------------------------


def test_result_codes() -> None:
    # formats.md §1.2 振替結果コード (four sources agree)
    assert RESULT_CODES == {
        "0": "振替済",
        "1": "資金不足",
        "2": "取引なし",
        "3": "預金者の都合による振替停止",
        "4": "預金口座振替依頼書なし",
        "8": "委託者の都合による振替停止",
        "9": "その他",
    }


def result_records() -> list[bytes]:
    """The records of debit_result_91.txt (equal to the golden file, tested above), built rather
    than read so the cases below can be collected before the golden files exist."""
    return expected_debit_result()


def crlf(records: list[bytes]) -> bytes:
    return b"".join(record + CRLF for record in records)


def errors_of(data: bytes) -> list[tuple[int, str]]:
    with pytest.raises(ZenginFileError) as error:
        parse_debit_result(data)
    assert all(error.line >= 1 and error.message_ja for error in error.value.errors)
    return [(error.line, error.field) for error in error.value.errors]


@pytest.mark.parametrize(
    "data",
    [
        b"".join(result_records()),  # records back to back, no line breaks
        b"".join(result_records()) + b"\x1a",
        crlf(result_records()) + b"\x1a",
        crlf(result_records())[:-2],  # last line unterminated
    ],
)
def test_result_file_variants_are_accepted(data: bytes) -> None:
    assert parse_debit_result(data) == parse_debit_result(golden("debit_result_91.txt"))


def replace_at(record: bytes, first: int, value: bytes) -> bytes:
    """record with value written from the 1-based byte position first."""
    return record[: first - 1] + value + record[first - 1 + len(value) :]


def mutated(line: int, first: int, value: bytes) -> bytes:
    records = result_records()
    records[line - 1] = replace_at(records[line - 1], first, value)
    return crlf(records)


def reordered(order: list[int]) -> bytes:
    records = result_records()
    return crlf([records[line - 1] for line in order])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # wrong length; the short record is not read, so the trailer no longer adds up either
        pytest.param(
            crlf(
                [record if n != 3 else record[:119] for n, record in enumerate(result_records(), 1)]
            ),
            [
                (3, "record"),
                (5, "total_count"),
                (5, "total_amount"),
                (5, "failed_count"),
                (5, "failed_amount"),
            ],
            id="length",
        ),
        pytest.param(
            crlf(result_records()).replace(b"\r\n", b"\n", 2).replace(b"\n", b"\r\n", 1),
            [(2, "line_break")],
            id="lf-only",
        ),
        pytest.param(
            crlf(result_records()[:2]).replace(CRLF, b"\r", 2).replace(b"\r", CRLF, 1)
            + crlf(result_records()[2:]),
            [(2, "line_break")],
            id="cr-only",
        ),
        pytest.param(reordered([2, 1, 3, 4, 5, 6]), [(1, "data_kind")], id="header-not-first"),
        pytest.param(reordered([1, 1, 2, 3, 4, 5, 6]), [(2, "data_kind")], id="two-headers"),
        pytest.param(reordered([1, 2, 3, 5, 4, 6]), [(5, "data_kind")], id="data-after-trailer"),
        pytest.param(reordered([1, 2, 3, 4, 6]), [(5, "data_kind")], id="no-trailer"),
        pytest.param(reordered([1, 2, 3, 4, 5]), [(6, "data_kind")], id="no-end"),
        pytest.param(reordered([1, 2, 3, 4, 5, 6, 6]), [(7, "data_kind")], id="two-ends"),
        pytest.param(reordered([1, 2, 3, 4, 5, 6, 1]), [(7, "data_kind")], id="header-after-end"),
        pytest.param(b"", [(1, "data_kind"), (1, "data_kind"), (1, "data_kind")], id="empty"),
        pytest.param(
            mutated(6, 1, b"7"), [(6, "data_kind"), (7, "data_kind")], id="unknown-data-kind"
        ),
        pytest.param(mutated(1, 2, b"21"), [(1, "type_code")], id="type-code"),
        pytest.param(mutated(1, 4, b"1"), [(1, "code_kind")], id="code-kind"),
        pytest.param(mutated(1, 55, b"1332"), [(1, "debit_mmdd")], id="date"),
        pytest.param(mutated(2, 44, b"12345A7"), [(2, "account_number")], id="n-field"),
        pytest.param(mutated(1, 5, b"01234 6789"), [(1, "requester_code")], id="header-n-field"),
        pytest.param(mutated(5, 20, b"00000X"), [(5, "paid_count")], id="trailer-n-field"),
        pytest.param(mutated(3, 112, b"5"), [(3, "result_code")], id="result-code"),
        pytest.param(mutated(3, 112, b" "), [(3, "result_code")], id="blank-result-code"),
        pytest.param(
            mutated(3, 92, b"00000000010000010601"), [(3, "customer_number")], id="duplicate"
        ),
        pytest.param(mutated(2, 51, b"\x82\xa0"), [(2, "holder_name")], id="double-byte"),
        pytest.param(mutated(4, 120, b"\x00"), [(4, "dummy2")], id="control-byte"),
    ],
)
def test_result_file_problem_is_reported_with_its_line(
    data: bytes, expected: list[tuple[int, str]]
) -> None:
    assert errors_of(data) == expected


@pytest.mark.parametrize(
    ("first", "value", "expected"),
    [
        # 振替済件数 2 where one record has code 0, 振替不能件数 1 where two are not 0: the bank's
        # own 合計 = 済 + 不能 still holds, so only the comparison with the data records shows it.
        (20, b"000002000000010000000001", [(5, "paid_count"), (5, "failed_count")]),
        (20, b"000000", [(5, "paid_count"), (5, "total_count")]),
        # 合計金額 off by one yen: against the data and against 済 + 不能
        (8, b"000000081001", [(5, "total_amount"), (5, "total_amount")]),
        (2, b"000004", [(5, "total_count"), (5, "total_count")]),
    ],
)
def test_result_trailer_mismatch(first: int, value: bytes, expected: list[tuple[int, str]]) -> None:
    assert errors_of(mutated(5, first, value)) == expected


def test_result_trailer_mismatch_message() -> None:
    with pytest.raises(ZenginFileError) as error:
        parse_debit_result(mutated(5, 26, b"000000070000"))  # 振替済金額 70,000 instead of 10,000
    assert error.value.errors == (
        LineError(
            5,
            "paid_amount",
            "振替済金額が70,000ですが、データ・レコードからは10,000です",
            "paid_amount is 70000 but the data records give 10000",
        ),
        LineError(
            5,
            "total_amount",
            "合計金額81,000が振替済金額と振替不能金額の和141,000と一致しません",
            "total_amount 81000 != paid_amount + failed_amount",
        ),
    )


def test_result_file_with_several_problems_lists_all_of_them() -> None:
    records = result_records()
    records[2] = replace_at(records[2], 112, b"7")  # unknown result code (was 1: failed either way)
    records[3] = replace_at(records[3], 81, b"00000010x0")  # amount not digits
    records[3] = replace_at(records[3], 92, b"00000000010000010601")  # same customer as line 2
    data = crlf(records[:1]) + records[1] + b"\n" + crlf(records[2:5])  # LF only; no end record
    with pytest.raises(ZenginFileError) as error:
        parse_debit_result(data)
    assert [(e.line, e.field) for e in error.value.errors] == [
        (2, "line_break"),
        (3, "result_code"),
        (4, "amount"),
        (4, "customer_number"),
        (5, "total_amount"),  # line 4's amount cannot be counted
        (5, "failed_amount"),
        (6, "data_kind"),  # no end record
    ]
    assert error.value.message_ja.startswith(
        "振替結果ファイルに7件の誤りがあります（2行目 改行コード: 改行コードがLFのみです"
    )
    assert error.value.message_ja.endswith(" ほか2件）")
    assert isinstance(error.value, RuleError)


def test_result_fast_path_reads_what_the_full_checks_read(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_debit_result(golden("debit_result_91.txt"))
    monkeypatch.setattr(zengin, "_well_formed_items", lambda records: None)
    assert parse_debit_result(golden("debit_result_91.txt")) == fast


@pytest.mark.parametrize("byte", [byte for byte in range(256) if byte not in b"\r\n"])
def test_result_holder_name_byte_is_accepted_only_if_jis_x_0201(byte: int) -> None:
    """The fast path must refuse exactly the bytes the full checks refuse (formats.md §1.1)."""
    data = mutated(2, 51, bytes([byte]))
    if 0x20 <= byte <= 0x7E or 0xA1 <= byte <= 0xDF:
        assert parse_debit_result(data).items[0].line == 2
    else:
        assert errors_of(data) == [(2, "holder_name")]
