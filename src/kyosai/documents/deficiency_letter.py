"""The 不備 letter (「お申込み書類の不備について」) sent back for a paper 加入申込書 the checks found
mistakes in: who it is for, which form, and one row per field to correct, with what to write.

How to correct follows the form's own instructions (seed 001, 経営セーフティ共済の留意事項):
二重線を引き訂正印を押す, no correction pen."""

import datetime as dt
from dataclasses import dataclass

from kyosai.documents.pdf import Document, render
from kyosai.rules.calendar import wareki

TITLE = "お申込み書類の不備について"
CLOSING = (
    "お申込みの契約申込書に上記の不備がありました。該当する箇所を訂正または記入のうえ、"
    "お申込みの委託機関を通じて改めてご提出ください。"
)
HOW_TO_CORRECT = (
    "※訂正は二重線を引き、訂正箇所に訂正印（契約申込書は実印）を押してください。"
    "修正ペンなどは使用しないでください。"
)


@dataclass(frozen=True)
class DeficiencyLetterFacts:
    scheme_name: str
    applicant: str  # the name as written on the form (「お申込者」 when none was)
    address: str  # 〒 and address as written, or "" when the form gave none
    form_id: str  # the BPO's number of the paper form
    agency: str  # the 委託機関 that received it
    received_on: dt.date  # 受付日
    problems: tuple[tuple[str, str], ...]  # (field label, what to fix)
    issued_on: dt.date


def render_deficiency_letter(facts: DeficiencyLetterFacts) -> bytes:
    rows = [
        ("お申込者", f"{facts.applicant} 様"),
        *([("ご住所", facts.address)] if facts.address else []),
        ("受付日", wareki(facts.received_on)),
        ("受付した委託機関", facts.agency),
        ("書類番号", facts.form_id),
        ("不備の項目", f"{len(facts.problems)}項目（下記）"),
        *facts.problems,
        ("発行日", wareki(facts.issued_on)),
    ]
    return render(
        Document(
            title=TITLE,
            scheme_name=facts.scheme_name,
            subject=f"{facts.scheme_name} {facts.form_id}",
            rows=tuple(rows),
            notes=(HOW_TO_CORRECT,),
            closing=CLOSING,
        )
    )
