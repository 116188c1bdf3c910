"""The NTA's electronic deduction certificate, form TEG850 (小規模企業共済等掛金控除証明書), as
signed XML for 年末調整 software and e-Tax (formats.md §3).

* `build(certificate)` writes the form from its facts; `sign(document, key_pem, cert_pem)` signs
  it; `validate(xml)` checks it against the vendored schema (`etax_xsd/kyotsu/TEG850-001.xsd`);
  `verify(xml, cert_pem)` checks the signature. All pure: facts and keys in, bytes out.
* Namespaces: the form in `kyotsu`, dates and amounts in `general` (`gen:`), the signature in
  xmldsig. Dates are 和暦: `gen:era` (1 明治 … 5 令和) and `gen:yy` within the era.
* Strings are `gen:str`, which excludes half-width katakana: the caller gives full-width names
  (`full_width` converts them).
* The signature (formats.md §3.1): enveloped, over the root through `Reference URI="#<id>"`,
  RSA-SHA256 with SHA-256 digests and exclusive-free C14N 1.1 as signxml writes it, the signing
  certificate in KeyInfo/X509Data. XMLDSIG050.xsd requires `Signature/@Id`; it is set after
  signing, which the enveloped transform leaves out of what is signed (verified with signxml
  5.2.0).
* An RSA PKCS#1 v1.5 signature is deterministic, so the same facts and key give the same bytes.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jaconv
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from lxml import etree
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner
from signxml.verifier import XMLVerifier

from kyosai.rules.calendar import wareki_parts

KYOTSU = "http://xml.e-tax.nta.go.jp/XSD/kyotsu"
GENERAL = "http://xml.e-tax.nta.go.jp/XSD/general"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
NSMAP = {None: KYOTSU, "gen": GENERAL, "dsig": DSIG}
SCHEMA_PATH = Path(__file__).parent / "etax_xsd" / "kyotsu" / "TEG850-001.xsd"
FORM_ID = "TEG850"
SMALL_BUSINESS_KIND = "1"  # 掛金種別 kubun_CD: 1 小規模企業共済掛金 (2 is iDeCo)
SMALL_BUSINESS_KIND_NAME = "小規模企業共済掛金"


class Teg850Error(ValueError):
    """A document that is not a valid or not a correctly signed TEG850."""


@dataclass(frozen=True)
class Teg850:
    """The facts of one certificate. Amounts are yen; None leaves an optional box out (the "****"
    case leaves 控除合計額 out and says why in 備考)."""

    certified_year: int  # 証明年分 (西暦, written as 和暦)
    name: str  # 氏名, full width
    address: str  # 住所, full width
    member_number: str  # 共済契約者番号
    paid_through_month: int | None  # 払込済額 期間（至）月
    paid_yen: int | None  # 払込済額
    due_from_month: int | None  # 払込予定額 期間（自）月
    due_to_month: int | None  # 払込予定額 期間（至）月
    due_yen: int | None  # 払込予定額
    deduction_yen: int | None  # 控除合計額
    discount_yen: int | None  # 前納減額金
    contract_date: dt.date  # 契約年月日
    monthly_yen: int  # 掛金月額
    payment_method: str  # 払込方法 (≤15)
    payment_months: str  # 払込月 (≤15)
    remarks: str  # 備考 (≤300)
    issued_on: dt.date  # 証明日/発行日
    issuer: str  # 発行者
    unique_code: str  # ユニークコード (≤20)
    software: str = "kyosai"


def full_width(text: str) -> str:
    """gen:str refuses half-width katakana; ASCII and kana are made full width, as printed."""
    return jaconv.h2z(text, kana=True, ascii=True, digit=True)


def _gen(parent: etree._Element, tag: str, text: str | int) -> etree._Element:
    element = etree.SubElement(parent, f"{{{GENERAL}}}{tag}")
    element.text = str(text)
    return element


def _el(parent: etree._Element, tag: str, text: str | int | None = None) -> etree._Element:
    element = etree.SubElement(parent, f"{{{KYOTSU}}}{tag}")
    if text is not None:
        element.text = str(text)
    return element


def _year(parent: etree._Element, tag: str, year: int) -> None:
    # A year is dated by its last day: 2019 is 令和元年 (the certificate's 年分 is the year's end).
    era, era_year = wareki_parts(dt.date(year, 12, 31))
    element = _el(parent, tag)
    _gen(element, "era", era)
    _gen(element, "yy", era_year)


def _date(parent: etree._Element, tag: str, day: dt.date) -> None:
    era, era_year = wareki_parts(day)
    element = _el(parent, tag)
    _gen(element, "era", era)
    _gen(element, "yy", era_year)
    _gen(element, "mm", day.month)
    _gen(element, "dd", day.day)


def build(facts: Teg850) -> etree._Element:
    """The unsigned form, in the schema's element order."""
    root = etree.Element(f"{{{KYOTSU}}}{FORM_ID}", nsmap=NSMAP)
    root.set("VR", "1.0")
    root.set("id", FORM_ID)
    root.set("sakuseiDay", facts.issued_on.isoformat())
    root.set("sakuseiNM", facts.issuer)
    root.set("softNM", facts.software)
    _year(root, "WPA00000", facts.certified_year)
    kind = _el(root, "WPB00000")
    _el(kind, "kubun_CD", SMALL_BUSINESS_KIND)
    _el(kind, "kubun_NM", SMALL_BUSINESS_KIND_NAME)
    _el(root, "WPC00000", facts.name)
    _el(root, "WPD00000", facts.address)
    _el(root, "WPE00000", facts.member_number)
    _year(root, "WPF00000", facts.certified_year)
    if facts.paid_yen is not None:
        paid = _el(root, "WPG00000")
        if facts.paid_through_month is not None:
            _el(paid, "WPG00010", facts.paid_through_month)
        _el(paid, "WPG00020", facts.paid_yen)
    if facts.due_yen is not None:
        due = _el(root, "WPH00000")
        _el(due, "WPH00010", facts.due_from_month)
        _el(due, "WPH00020", facts.due_to_month)
        _el(due, "WPH00030", facts.due_yen)
    if facts.deduction_yen is not None:
        _el(root, "WPI00000", facts.deduction_yen)
    if facts.discount_yen is not None:
        _el(root, "WPJ00000", facts.discount_yen)
    terms = _el(root, "WPK00000")
    _date(terms, "WPK00010", facts.contract_date)
    _el(terms, "WPK00020", facts.monthly_yen)
    _el(terms, "WPK00030", facts.payment_method)
    _el(terms, "WPK00040", facts.payment_months)
    if facts.remarks:
        _el(root, "WPM00000", facts.remarks)
    _date(root, "WPN00000", facts.issued_on)
    _el(root, "WPO00000", facts.issuer)
    _el(root, "WPP00000", facts.unique_code)
    return root


@dataclass(frozen=True)
class SigningKey:
    """The issuer's key and certificate, parsed once: parsing and checking an RSA key costs
    about 30 ms, ten times the signing itself."""

    key: RSAPrivateKey
    certificates: tuple[x509.Certificate, ...]

    @classmethod
    def from_pem(cls, key_pem: bytes, cert_pem: bytes) -> "SigningKey":
        key = load_pem_private_key(key_pem, None)
        if not isinstance(key, RSAPrivateKey):  # the signature method is RSA-SHA256
            raise Teg850Error("署名鍵は RSA の秘密鍵にしてください。")
        return cls(key, tuple(x509.load_pem_x509_certificates(cert_pem)))


@cache
def _signer() -> XMLSigner:
    return XMLSigner(
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_1,
    )


def sign(document: etree._Element, signing_key: SigningKey) -> bytes:
    """The enveloped signature over the root (`#id`), then the `Signature/@Id` the schema needs."""
    signed = _signer().sign(
        document,
        key=signing_key.key,
        cert=list(signing_key.certificates),
        reference_uri=f"#{document.get('id')}",
    )
    signature = signed.find(f"{{{DSIG}}}Signature")
    assert signature is not None  # signxml appends it to the root it signed
    signature.set("Id", f"{document.get('id')}-SIG")
    xml: bytes = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    return xml


def signed_certificate(facts: Teg850, signing_key: SigningKey) -> bytes:
    """The certificate as the member downloads it: built, signed and checked against the schema."""
    xml = sign(build(facts), signing_key)
    validate(xml)
    return xml


@cache
def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate(xml: bytes) -> None:
    """Raise Teg850Error naming the line and the problem when `xml` breaks the NTA schema."""
    schema = _schema()
    if not schema.validate(etree.fromstring(xml)):
        error = schema.error_log.last_error
        raise Teg850Error(f"TEG850 のスキーマに合いません（{error.line}行目）: {error.message}")


def verify(xml: bytes, *, cert_pem: bytes) -> etree._Element:
    """The signed root when the signature verifies with `cert_pem`; Teg850Error otherwise."""
    try:
        result = XMLVerifier().verify(xml, x509_cert=cert_pem.decode(), expect_references=1)
    except Exception as error:  # signxml raises its own InvalidSignature, cryptography others
        raise Teg850Error(f"署名を検証できません: {error}") from error
    if isinstance(result, list):  # only with expect_references > 1
        raise Teg850Error("署名の参照が1つではありません。")
    signed: etree._Element = result.signed_xml
    return signed
