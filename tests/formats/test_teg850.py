"""TEG850 電子的控除証明書 (formats.md §3): every document written is valid against the NTA's schema
(etax_xsd/kyotsu/TEG850-001.xsd) and its enveloped signature verifies; a changed byte does not."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from lxml import etree

from kyosai.formats import teg850
from kyosai.formats.teg850 import DSIG, GENERAL, KYOTSU, SigningKey, Teg850, Teg850Error

KEYS = Path(__file__).resolve().parents[1] / "certificates"
CERT_PEM = (KEYS / "test_signing_cert.pem").read_bytes()
SIGNING = SigningKey.from_pem((KEYS / "test_signing_key.pem").read_bytes(), CERT_PEM)
NS = {"k": KYOTSU, "gen": GENERAL, "dsig": DSIG}

FACTS = Teg850(
    certified_year=2026,
    name=teg850.full_width("山田 太郎"),
    address=teg850.full_width("〒100-0013 東京都千代田区霞が関3-2-1 ｶｽﾐｶﾞｾｷﾋﾞﾙ"),
    member_number="123456785",
    paid_through_month=9,
    paid_yen=270_000,
    due_from_month=10,
    due_to_month=12,
    due_yen=90_000,
    deduction_yen=359_406,
    discount_yen=594,
    contract_date=dt.date(2019, 4, 1),  # 平成31年4月1日
    monthly_yen=30_000,
    payment_method="口座振替",
    payment_months="毎月",
    remarks="",
    issued_on=dt.date(2026, 11, 10),
    issuer="独立行政法人中小企業基盤整備機構",
    unique_code="1234567852026A",
)


def signed(facts: Teg850 = FACTS) -> bytes:
    return teg850.signed_certificate(facts, SIGNING)


def text(root: etree._Element, path: str) -> list[str]:
    return [node.text for node in root.xpath(path, namespaces=NS)]


def test_the_certificate_validates_and_its_signature_verifies() -> None:
    xml = signed()
    teg850.validate(xml)
    root = teg850.verify(xml, cert_pem=CERT_PEM)
    assert root.get("id") == "TEG850" and root.get("VR") == "1.0"
    assert text(root, "k:WPI00000") == ["359406"]
    assert text(root, "k:WPB00000/k:kubun_CD") == ["1"]


def test_dates_are_wareki_era_codes() -> None:
    root = etree.fromstring(signed())
    # 2026 is 令和8年 (era 5); the contract date 2019-04-01 is 平成31年 (era 4).
    assert text(root, "k:WPA00000/gen:era | k:WPA00000/gen:yy") == ["5", "8"]
    assert text(root, "k:WPK00000/k:WPK00010/*") == ["4", "31", "4", "1"]
    assert text(root, "k:WPN00000/*") == ["5", "8", "11", "10"]


def test_the_signature_is_enveloped_over_the_root_with_its_id() -> None:
    root = etree.fromstring(signed())
    [signature] = root.xpath("dsig:Signature", namespaces=NS)
    assert signature.get("Id") == "TEG850-SIG"  # XMLDSIG050.xsd requires it
    uri = "string(dsig:Signature/dsig:SignedInfo/dsig:Reference/@URI)"
    assert root.xpath(uri, namespaces=NS) == "#TEG850"
    assert root.xpath(
        "dsig:Signature/dsig:KeyInfo/dsig:X509Data/dsig:X509Certificate", namespaces=NS
    )


def test_half_width_kana_is_made_full_width_for_gen_str() -> None:
    root = etree.fromstring(signed())
    [address] = text(root, "k:WPD00000")
    assert "カスミガセキビル" in address and "ｶ" not in address


def test_the_four_star_case_leaves_the_total_out_and_says_why() -> None:
    withheld = dataclasses.replace(
        FACTS,
        deduction_yen=None,
        remarks="未納の掛金（20,000円）があり、控除合計額を記載できません。",
    )
    root = teg850.verify(signed(withheld), cert_pem=CERT_PEM)
    assert text(root, "k:WPI00000") == []
    assert text(root, "k:WPM00000") == [withheld.remarks]


def test_the_february_certificate_has_no_amount_due() -> None:
    final = dataclasses.replace(
        FACTS, paid_through_month=12, due_from_month=None, due_to_month=None, due_yen=None
    )
    root = etree.fromstring(signed(final))
    assert root.xpath("k:WPH00000", namespaces=NS) == []
    teg850.validate(signed(final))


def test_the_same_facts_and_key_give_the_same_bytes() -> None:
    assert signed() == signed()


def test_a_changed_amount_breaks_the_signature() -> None:
    tampered = signed().replace(b"<WPI00000>359406<", b"<WPI00000>859406<")
    teg850.validate(tampered)  # still a well-formed certificate
    with pytest.raises(Teg850Error, match="署名を検証できません"):
        teg850.verify(tampered, cert_pem=CERT_PEM)


def test_a_document_the_schema_refuses_is_named_with_its_line() -> None:
    long_name = dataclasses.replace(FACTS, name="山" * 101)  # WPC00000 is at most 100
    with pytest.raises(Teg850Error, match="スキーマに合いません"):
        signed(long_name)


def test_a_non_rsa_key_is_refused() -> None:
    key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(Teg850Error, match="RSA"):
        SigningKey.from_pem(key, CERT_PEM)
