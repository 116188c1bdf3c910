"""The demo's 書面受付: one BPO file of forms a 商工会 received today, imported by the
real action — a form straight through, three with the seed's common mistakes (不備 and their
letters) and one whose doubtful fields wait in the second keying queue."""

import csv
import datetime as dt
import io

from django.contrib.auth.models import User

from kyosai.agencies.models import Agency
from kyosai.formats.bpo_intake import COLUMNS, KEYED
from kyosai.intake.actions import do_import_intake_file

SURE, DOUBTFUL = 98, 62
FORM = {
    "scheme": "shokibo", "industry_class": "小売業", "industry_detail": "", "kind": "個人",
    "position": "個人事業主", "organisation": "", "corporate_number": "", "company_name": "",
    "name": "中村 真一", "name_kana": "なかむら しんいち", "postal_code": "100-0005",
    "address": "東京都千代田区丸の内1-1-1", "phone": "03-3283-1111", "industry": "酒小売",
    "employees": "2", "capital_yen": "", "business_started": "令和3年4月", "monthly_yen": "20,000",
    "bank_code": "0001", "branch_code": "001", "account_type": "普通",
    "account_number": "2345678", "holder_kana": "ナカムラ シンイチ",
}  # fmt: skip
FORMS = [
    ("BPO-0001", {}, {}),
    ("BPO-0002", {"name": "小林 恵", "name_kana": "コバヤシ メグミ", "industry": "サービス業",
                  "industry_class": "サービス業", "employees": ""}, {}),  # seed 001 §7, §8
    ("BPO-0003", {"name": "加藤 翼", "name_kana": "カトウ ツバサ", "business_started": "",
                  "position": ""}, {}),  # seed 001 §9, §10
    ("BPO-0004", {"scheme": "tosan", "position": "", "kind": "法人", "organisation": "会社",
                  "corporate_number": "8010001008843", "company_name": "(株)みなと商会",
                  "name_kana": "ミナトショウカイ", "capital_yen": "5,000,000",
                  "monthly_yen": "30,000", "address": ""}, {}),  # 法人格の略号, §11
    ("BPO-0005", {"name": "吉田 陽子", "name_kana": "ヨシダ ヨウコ", "employees": "O"},
     {"employees": 41, "name": 75}),  # the BPO was unsure: second keying
]  # fmt: skip


def demo_intake_file(agency: Agency) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for form_id, changes, confidences in FORMS:
        row = {**FORM, **changes, "form_id": form_id, "agency_code": agency.code}
        row |= {f"{f}__confidence": str(confidences.get(f, SURE)) for f in KEYED}
        writer.writerow([row[c] for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def import_demo_intake(staff: User, agencies: list[Agency], today: dt.date) -> None:
    # Forms from a 商工会 (not the demo clerk's agency, whose desk shows its own paper forms).
    agency = next(a for a in agencies if a.kind == Agency.Kind.SHOKOKAI)
    do_import_intake_file(
        demo_intake_file(agency), name=f"bpo-{today:%Y%m%d}.csv", received_on=today,
        acting_user=staff,
    )  # fmt: skip
