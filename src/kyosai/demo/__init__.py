"""Demo data for `make run`: a few thousand members over prefectures, industries, agencies and
both schemes, plus the demo logins.

Prefectures are weighted by the 令和8年度 regional enrollment targets and industries by the
industry targets, so reports built later look like the real book. Agencies are the ones named
in the published 令和5年度 rankings; postal codes are real (from 日本郵便's data). The bulk rows
are written in a few set-based inserts under one audit row; the demo member's own two
contracts, their year of debits and a 共済金 loan, and a second member's cancellation paid by a
confirmed 総合振込 file, go through the real actions, timeline, ledger and audit included.
"""

import csv
import dataclasses
import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models.functions import Mod
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyosai.agencies.actions import (
    PremiumChangeRequest,
    do_issue_confirmation_link,
    do_receive_paper_change,
    do_receive_paper_enrollment,
)
from kyosai.agencies.models import Agency, AgencyClerk
from kyosai.billing.results import import_results
from kyosai.billing.runs import bill_month, open_balances
from kyosai.campaigns.actions import checks_for, do_answer, do_start_campaign
from kyosai.certificates.actions import batch_for, issue_range
from kyosai.certificates.models import IssuedCertificate
from kyosai.contracts.models import Contract, DebitMandate, PremiumStop, PremiumTerm
from kyosai.contracts.rule_inputs import term_on
from kyosai.core.audit import record, reserve_in_sequence
from kyosai.core.roles import Role
from kyosai.demo.bank import answers
from kyosai.demo.history import procedure_history
from kyosai.demo.intake import import_demo_intake
from kyosai.documents.drawing import Drawing
from kyosai.formats.identifiers import contract_number, corporate_check_digit
from kyosai.loans.actions import AttachmentFile, KyosaikinLoanRequest, do_submit_kyosaikin_loan
from kyosai.parties.models import Industry, Party
from kyosai.payouts.actions import do_confirm_transfer_file, do_make_transfer_file
from kyosai.procedures.actions import (
    EnrollmentApplication,
    MandateFacts,
    PartyFacts,
    do_submit_enrollment,
)
from kyosai.procedures.changes import PartyChange, do_submit_cancellation
from kyosai.procedures.models import Procedure
from kyosai.procedures.review import do_decide
from kyosai.reference.regions import block_of, prefecture_code
from kyosai.reports.models import PlanTarget
from kyosai.reports.plan import (
    SHARE_KEY,
    TOTAL_KEY,
    PlanLine,
    do_replace_plans,
    read_plan_file,
)
from kyosai.rules.calendar import (
    add_months,
    debit_date,
    fiscal_year,
    is_business_day,
    month_of,
    previous_business_day,
)
from kyosai.rules.scheme import Scheme
from kyosai.rules.tosan.loans import InsolvencyEvent
from kyosai.scorecards.tallies import refresh as refresh_tallies

DATA = Path(__file__).parent
R8_PLAN = DATA.parent / "reports" / "data" / "tosan_plan_r8_targets.csv"  # as published
MEMBERS = 3000
HISTORY_MONTHS = 12  # the demo member joined 14 months ago: a year of debits to look at
ANSWERED_AFTER = dt.timedelta(days=3)  # the pretend bank's results, after the debit day
DEMO_AGENCY = "東京商工会議所"  # the agency whose clerk the "agency" login is
DEMO_HEAD_OFFICE = "きらぼし銀行"  # a 統轄店 with 取扱店: the "agency-bank" login's
DEMO_BRANCH = "きらぼし銀行 蒲田支店"  # one of them: the "agency-branch" login's
# (username, password, what the person trying the demo is, staff role or None, is_superuser)
LOGINS = [
    ("member@example.jp", "kyosai-member-2026", "会員（両方の共済に加入済み）", None, False),
    ("staff", "kyosai-staff-2026", "機構職員（審査担当）", Role.REVIEWER, False),
    ("approver", "kyosai-approver-2026", "機構職員（承認担当）", Role.APPROVER, False),
    ("admin", "kyosai-admin-2026", "システム管理者", Role.ADMINISTRATOR, True),
    ("agency", "kyosai-agency-2026", f"委託機関の担当者（{DEMO_AGENCY}）", None, False),
    (
        "agency-bank",
        "kyosai-agency-bank-2026",
        f"統轄店の担当者（{DEMO_HEAD_OFFICE}）",
        None,
        False,
    ),
    ("agency-branch", "kyosai-agency-branch-2026", f"取扱店の担当者（{DEMO_BRANCH}）", None, False),
]
BLOCK_TARGETS = {  # tosan_plan_r8_targets.csv, block rows
    "北海道": 1850, "東北": 3100, "関東": 18720, "北陸": 1290, "中部": 6020,
    "近畿": 8730, "中国": 2800, "四国": 1620, "九州": 5870,
}  # fmt: skip
INDUSTRY_TARGETS = {  # tosan_plan_r8_targets.csv, industry rows
    Industry.CONSTRUCTION: 8800, Industry.MANUFACTURING: 8600, Industry.WHOLESALE: 4000,
    Industry.RETAIL: 7300, Industry.TRANSPORT: 1700, Industry.SERVICE: 16700, Industry.OTHER: 2900,
}  # fmt: skip
AGENCY_KIND = {
    "商工会": Agency.Kind.SHOKOKAI,
    "商工会議所": Agency.Kind.CHAMBER,
    "青色申告会": Agency.Kind.BLUE_RETURN,
    "税理士協同組合": Agency.Kind.TAX_ACCOUNTANTS,
    "その他": Agency.Kind.OTHER_ASSOCIATION,
    "都市銀行": Agency.Kind.CITY_BANK,
    "都市銀行・信託銀行": Agency.Kind.CITY_BANK,
    "地方銀行": Agency.Kind.REGIONAL_BANK,
    "第二地方銀行": Agency.Kind.SECOND_REGIONAL_BANK,
    "信用金庫": Agency.Kind.SHINKIN,
    "信用組合": Agency.Kind.CREDIT_COOPERATIVE,
    "商工組合中央金庫": Agency.Kind.SHOKO_CHUKIN,
    "農業協同組合": Agency.Kind.AGRICULTURAL_COOPERATIVE,
}
SURNAMES = [
    ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
    ("吉田", "ヨシダ"), ("山田", "ヤマダ"), ("佐々木", "ササキ"), ("松本", "マツモト"), ("井上", "イノウエ"),
]  # fmt: skip
GIVEN_NAMES = [
    ("太郎", "タロウ"),
    ("花子", "ハナコ"),
    ("健一", "ケンイチ"),
    ("美咲", "ミサキ"),
    ("大輔", "ダイスケ"),
]
TRADES = {
    Industry.CONSTRUCTION: ("建設", "ケンセツ"), Industry.MANUFACTURING: ("製作所", "セイサクショ"),
    Industry.WHOLESALE: ("商事", "ショウジ"), Industry.RETAIL: ("商店", "ショウテン"),
    Industry.TRANSPORT: ("運輸", "ウンユ"), Industry.SERVICE: ("サービス", "サービス"),
    Industry.OTHER: ("企画", "キカク"),
}  # fmt: skip
TOSAN_MONTHLY = [10_000, 20_000, 30_000, 50_000, 100_000, 200_000]
SHOKIBO_MONTHLY = [1_000, 5_000, 10_000, 20_000, 30_000, 50_000, 70_000]


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    members: int
    contracts: int
    agencies: int


def load_demo(*, today: dt.date, seed: int = 2026) -> DemoSummary:
    """Create the demo logins and book once; a second call only resets the demo passwords."""
    with transaction.atomic():
        users = _logins()
        if Contract.objects.exists():
            return DemoSummary(
                False, Party.objects.count(), Contract.objects.count(), Agency.objects.count()
            )
        agencies = _agencies()
        _member_contracts(users["member@example.jp"], today)
        _member_history(today)
        _member_certificates(today)
        _agency_clients(users["agency"], next(a for a in agencies if a.name == DEMO_AGENCY), today)
        leaving = _leaving_member(today)
        contracts = _book(random.Random(seed), agencies, today)
        # The book comes from the "previous system": premiums paid as scheduled through last
        # month, so the next billing run bills one month, not every month since joining.
        for scheme in Scheme:
            open_balances(scheme, add_months(month_of(today), -1), posted_on=today)
        _bank_desk(users["agency-bank"], users["agency-branch"], today)
        _cancellation(leaving, users["staff"], users["approver"], today)
        _member_loan(users["member@example.jp"], users["staff"], today)
        _reconfirmation(users["admin"], today)
        import_demo_intake(users["staff"], agencies, today)
        _plans(users["admin"], today)
        procedure_history(random.Random(seed), today)
        refresh_tallies(today=today)
        record(
            "demo.load", users["admin"], actor=users["admin"], members=MEMBERS, contracts=contracts
        )
    return DemoSummary(True, Party.objects.count(), Contract.objects.count(), len(agencies))


def _reconfirmation(admin: User, today: dt.date) -> None:
    """Every fourth member wants paper; a 加入資格確認 of the shokibo contracts that joined in
    the last five years (the demo member's letter is in their inbox, unanswered), a few answered
    already, one of them to follow up."""
    Party.objects.annotate(m=Mod("id", 4)).filter(m=0).update(wants_paper=True)
    campaign = do_start_campaign(
        name="加入資格確認（デモ）", joined_from=add_months(month_of(today), -60),
        joined_until=None, answer_by=today + dt.timedelta(days=60), idempotency_key="demo",
        now=timezone.now(), acting_user=admin,
    )  # fmt: skip
    others = campaign.reconfirmations.exclude(contract__party__user__username="member@example.jp")
    for n, reconfirmation in enumerate(others.order_by("pk")[:12]):
        codes = checks_for(reconfirmation)
        do_answer(reconfirmation, {c: n == 5 and c == codes[0] for c in codes}, acting_user=None)


def _logins() -> dict[str, User]:
    users = {}
    for username, password, _, role, is_superuser in LOGINS:
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff, user.is_superuser = role is not None, is_superuser
        user.set_password(password)
        user.save()
        if role is not None:
            # get_or_create: tests that flush the database also flush the migration's groups.
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        TOTPDevice.objects.update_or_create(
            user=user, name="デモ用", defaults={"key": demo_totp_key(username), "confirmed": True}
        )
        users[username] = user
    return users


def demo_totp_key(username: str) -> str:
    """A fixed authenticator key per demo login (hex), so the printed key stays valid."""
    return hashlib.sha1(f"kyosai-demo:{username}".encode(), usedforsecurity=False).hexdigest()


def _agencies() -> list[Agency]:
    """The agencies of the 令和5年度 rankings (`shared/data/agency_ranking_r5_*.csv`: each
    category, name and prefecture once), then a few 取扱店 made up for the demo under their
    統轄店 (`parent`, within the same category): bank branches under their head office, and
    two 商工会 under a 都道府県連合会."""
    with (DATA / "agencies.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    agencies = Agency.objects.bulk_create(
        Agency(
            code=f"A{index:05d}",
            name=row["name"],
            kind=AGENCY_KIND[row["category"]],
            prefecture_code=prefecture_code(row["prefecture"]) if row["prefecture"] else "",
        )
        for index, row in enumerate(rows, start=1)
    )
    by_name = {(row["category"], row["name"]): a for row, a in zip(rows, agencies, strict=True)}
    for row, agency in zip(rows, agencies, strict=True):
        if row["parent"]:
            agency.parent = by_name[(row["category"], row["parent"])]
    Agency.objects.bulk_update([a for a in agencies if a.parent], ["parent"])
    return agencies


def _member_contracts(member: User, today: dt.date) -> None:
    """The demo member: a 個人事業主 with one contract in each scheme, through the real action."""
    party = PartyFacts(
        kind=Party.Kind.INDIVIDUAL,
        organisation="sole_proprietor",
        name="山田 花子",
        name_kana="ヤマダ ハナコ",
        postal_code="1050011",
        prefecture_code="13",
        address="東京都港区芝公園1-1-1",
        phone="0312345678",
        industry=Industry.RETAIL,
        employees=3,
        business_started_on=dt.date(2015, 4, 1),
    )
    mandate = MandateFacts("0001", "001", "1", "1234567", "ﾔﾏﾀﾞ ﾊﾅｺ")
    joined = add_months(month_of(today), -HISTORY_MONTHS - 2)
    received_at = _at(joined)
    for scheme, monthly, position in (
        (Scheme.TOSAN, 50_000, ""),
        (Scheme.SHOKIBO, 30_000, "sole_proprietor"),
    ):
        do_submit_enrollment(
            EnrollmentApplication(scheme, party, monthly, mandate, position),
            channel=Procedure.Channel.ONLINE,
            idempotency_key=f"demo:{scheme}",
            received_at=received_at,
            acting_user=member,
        )


def _member_history(today: dt.date) -> None:
    """The demo member's year of debits, made by the monthly runs and answered by the pretend
    bank (three days after the debit, up to today) before the rest of the book exists (which is
    taken over with opening balances): every debit paid but one tosan debit, five months ago,
    資金不足 and re-billed."""
    for back in range(HISTORY_MONTHS, -1, -1):
        month = add_months(month_of(today), -back)
        for scheme in Scheme:
            if debit_date(scheme, month) + ANSWERED_AFTER > today:
                continue
            run = bill_month(scheme, month)
            missed = {c.number: "1" for c in Contract.objects.filter(scheme=Scheme.TOSAN)}
            files = answers(run, missed if back == 5 and scheme == Scheme.TOSAN else {})
            import_results(files, imported_on=run.debit_on + ANSWERED_AFTER)


def _member_certificates(today: dt.date) -> None:
    """The demo member's yearly certificates, as the batches would have issued them by today:
    the latest autumn 控除証明書 (PDF and signed XML) and the latest 掛金納付状況兼領収書."""
    autumn = today.year if today >= dt.date(today.year, 11, 10) else today.year - 1
    statement = today.year - 1 if today >= dt.date(today.year, 2, 10) else today.year - 2
    for kind, year, edition, issued_on in (
        (IssuedCertificate.Kind.DEDUCTION, autumn, "autumn", dt.date(autumn, 11, 10)),
        (
            IssuedCertificate.Kind.PAYMENT_STATEMENT,
            statement,
            "year",
            dt.date(statement + 1, 2, 10),
        ),
    ):
        batch = batch_for(kind, year, edition, issued_on)
        for pk in Contract.objects.filter(scheme=batch.scheme).values_list("pk", flat=True):
            issue_range(batch, pk - 1, pk)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def _leaving_member(today: dt.date) -> Contract:
    """佐々木 健一: a tosan contract of 30,000円 joined 36 months ago, through the real action,
    taken over with the book as paid through last month; he cancels it (_cancellation)."""
    party = PartyFacts(
        kind=Party.Kind.INDIVIDUAL,
        organisation="sole_proprietor",
        name="佐々木 健一",
        name_kana="ササキ ケンイチ",
        postal_code="1000005",
        prefecture_code="13",
        address="東京都千代田区丸の内1-1-1",
        phone="0332120000",
        industry=Industry.CONSTRUCTION,
        employees=4,
        business_started_on=dt.date(2010, 4, 1),
    )
    procedure = do_submit_enrollment(
        EnrollmentApplication(
            Scheme.TOSAN, party, 30_000, MandateFacts("0005", "001", "1", "2345678", "ｻｻｷ ｹﾝｲﾁ")
        ),
        channel=Procedure.Channel.ONLINE,
        idempotency_key="demo:leaving",
        received_at=_at(add_months(month_of(today), -36)),
        acting_user=User.objects.create_user("sasaki@example.jp"),
    )
    assert procedure.contract is not None, procedure.deficiencies
    return procedure.contract


def _cancellation(contract: Contract, reviewer: User, approver: User, today: dt.date) -> None:
    """佐々木's 任意解約 on the last business day up to today, approved by staff and paid the same
    day by a 総合振込 file the approver confirmed: 36 months, 1,080,000円 × 95 % = 1,026,000円
    (tosan 施行令4条). It is made before the demo member's loan, whose transfer waits."""
    paid_on = today if is_business_day(today) else previous_business_day(today)
    procedure = do_submit_cancellation(
        contract,
        channel=Procedure.Channel.ONLINE,
        idempotency_key="demo:cancellation",
        received_at=_at(paid_on),
        acting_user=contract.party.user,  # type: ignore[arg-type]
    )
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)
    file = do_make_transfer_file(pay_on=paid_on, acting_user=approver)
    do_confirm_transfer_file(file, returned=set(), confirmed_on=paid_on, acting_user=approver)


def _member_loan(member: User, reviewer: User, today: dt.date) -> None:
    """The demo member's 共済金 loan, requested and approved today: a customer filed for 破産
    three weeks ago owing 1,350,000円, well under ten times the premiums paid (法9条), so that is
    the loan. It is lent with its schedule (54 × 25,000円 after 6 months' grace) and the 1/10 taken from
    the premiums; its transfer waits in 支払（振込） for the next 総合振込 file."""
    contract = Contract.objects.get(party__user=member, scheme=Scheme.TOSAN)
    request = KyosaikinLoanRequest(
        debtor_name="株式会社みなと商事",
        event=InsolvencyEvent.BANKRUPTCY,
        insolvency_on=today - dt.timedelta(days=21),
        unrecoverable_yen=1_350_000,
        pause_premiums=False,
    )
    evidence = AttachmentFile("破産手続開始決定.pdf", "application/pdf", _evidence_pdf())
    procedure = do_submit_kyosaikin_loan(
        contract,
        request,
        [evidence],
        channel=Procedure.Channel.ONLINE,
        idempotency_key="demo:loan",
        received_at=_at(today),
        acting_user=member,
    )
    do_decide(procedure, approve=True, reason_ja="", acting_user=reviewer)


def _plans(admin: User, today: dt.date) -> None:
    """The 令和8年度 tosan 加入促進計画 as published (imported like `manage.py reports
    import-plan`), and a made-up shokibo plan for this year entered by the administrator: the
    令和6年度 national target of 60,000 spread like the tosan one, and the 平成30年度 モデル都道府県,
    so that every report has something to show."""
    do_replace_plans(read_plan_file(R8_PLAN.read_bytes()), source="demo", acting_user=admin)
    year, scale = fiscal_year(today), Decimal("1.2")
    lines = [
        PlanLine(Scheme.SHOKIBO, year, PlanTarget.Dimension.BLOCK, block, int(target * scale))
        for block, target in BLOCK_TARGETS.items()
    ]
    lines += [
        PlanLine(Scheme.SHOKIBO, year, PlanTarget.Dimension.INDUSTRY, industry.value,
                 int(target * scale))
        for industry, target in INDUSTRY_TARGETS.items()
    ]  # fmt: skip
    lines += [
        PlanLine(Scheme.SHOKIBO, year, PlanTarget.Dimension.TOTAL, TOTAL_KEY, 60_000),
        PlanLine(Scheme.SHOKIBO, year, PlanTarget.Dimension.ONLINE_SHARE, SHARE_KEY, None,
                 Decimal("0.30")),
        *(PlanLine(Scheme.SHOKIBO, year, PlanTarget.Dimension.MODEL_PREFECTURE,
                   prefecture_code(name), None)
          for name in ("青森県", "千葉県", "岐阜県", "京都府", "島根県", "愛媛県", "大分県")),
    ]  # fmt: skip
    do_replace_plans(lines, source="demo", acting_user=admin)


def _evidence_pdf() -> bytes:
    """A one-page stand-in for the evidence, so that staff opening it see a document."""
    drawing = Drawing(title="破産手続開始決定（写し）", author="デモ")
    drawing.page()
    drawing.text(72, 760, "デモ用の書類です。破産手続開始決定の写しの代わりに添付しています。", 11)
    return drawing.pdf()


def _agency_clients(clerk: User, agency: Agency, today: dt.date) -> None:
    """The agency clerk's desk, through the real actions: paper forms received last month and
    this month (one straight through, one with a 不備, one for staff to decide), and a link still
    waiting for its client (sign up as client@example.jp to confirm it)."""
    AgencyClerk.objects.create(user=clerk, agency=agency)
    owner = PartyFacts(
        kind=Party.Kind.INDIVIDUAL,
        organisation="sole_proprietor",
        name="鈴木 一郎",
        name_kana="スズキ イチロウ",
        postal_code="1000005",
        prefecture_code="13",
        address="東京都千代田区丸の内2-5-1",
        phone="0332830000",
        industry=Industry.SERVICE,
        employees=2,
        business_started_on=dt.date(2012, 10, 1),
    )
    mandate = MandateFacts("0001", "001", "1", "7654321", "ｽｽﾞｷ ｲﾁﾛｳ")
    forms = [
        (add_months(today, -1), owner, Scheme.SHOKIBO, 20_000),
        (today, dataclasses.replace(owner, name="高橋 美咲", name_kana="タカハシ ミサキ"),
         Scheme.TOSAN, 12_345),  # not in 5,000円 steps: 不備
        (today, dataclasses.replace(owner, name="伊藤 健一", name_kana="イトウ ケンイチ",
         employees=400), Scheme.TOSAN, 50_000),  # too many employees for a service business
    ]  # fmt: skip
    for index, (received_on, party, scheme, monthly) in enumerate(forms, start=1):
        do_receive_paper_enrollment(
            EnrollmentApplication(
                scheme,
                party,
                monthly,
                mandate,
                "sole_proprietor" if scheme == Scheme.SHOKIBO else "",
            ),
            agency=agency,
            received_on=received_on,
            idempotency_key=f"demo:agency:{index}",
            acting_user=clerk,
        )
    do_issue_confirmation_link(
        EnrollmentApplication(
            Scheme.TOSAN,
            dataclasses.replace(owner, name="渡辺 大輔", name_kana="ワタナベ ダイスケ"),
            30_000,
            mandate,
        ),
        agency=agency,
        client_email="client@example.jp",
        idempotency_key="demo:agency:link",
        now=timezone.now(),
        acting_user=clerk,
    )


def _bank_desk(head_clerk: User, branch_clerk: User, today: dt.date) -> None:
    """A 統轄店 and one of its 取扱店, through the real actions: the branch took a paper
    enrollment this month and a client's 掛金月額変更 on paper; the head office took another
    client's 住所変更 on paper. The head office's clerk sees all of it, the branch's its own."""
    head = Agency.objects.get(name=DEMO_HEAD_OFFICE)
    branch = head.branches.get(name=DEMO_BRANCH)
    AgencyClerk.objects.create(user=head_clerk, agency=head)
    AgencyClerk.objects.create(user=branch_clerk, agency=branch)
    do_receive_paper_enrollment(
        EnrollmentApplication(
            Scheme.TOSAN,
            PartyFacts(
                kind=Party.Kind.INDIVIDUAL, organisation="sole_proprietor", name="中村 大輔",
                name_kana="ナカムラ ダイスケ", postal_code="1440052", prefecture_code="13",
                address="東京都大田区蒲田5-13-14", phone="0337310000",
                industry=Industry.MANUFACTURING, employees=6,
                business_started_on=dt.date(2016, 4, 1),
            ),
            100_000,
            MandateFacts("0001", "001", "1", "5432109", "ﾅｶﾑﾗ ﾀﾞｲｽｹ"),
        ),
        agency=branch, received_on=today, idempotency_key="demo:bank:enrollment",
        acting_user=branch_clerk,
    )  # fmt: skip
    # One of the branch's book clients raises a premium of at most 50,000円 by 10,000円 (no
    # reason needed, far below the 積立限度額); a client of another 取扱店 of the bank moved.
    raised = Contract.objects.filter(
        handling_agency=branch, scheme=Scheme.TOSAN, status=Contract.Status.ACTIVE,
        premium_terms__monthly_yen__lte=50_000,
        joined_month__range=(add_months(month_of(today), -60), add_months(month_of(today), -12)),
    ).earliest("number")  # fmt: skip
    moved = (
        Contract.objects.filter(handling_agency__parent=head)
        .exclude(handling_agency=branch)
        .earliest("number")
    )
    do_receive_paper_change(
        raised.number,
        PremiumChangeRequest(
            term_on(raised, today).monthly_yen + 10_000, add_months(month_of(today), 1)
        ),
        agency=branch, received_on=today, idempotency_key="demo:bank:premium",
        acting_user=branch_clerk,
    )  # fmt: skip
    party = moved.party
    do_receive_paper_change(
        moved.number,
        PartyChange(
            party.name, party.name_kana, party.representative_name, "1440052", "13",
            "東京都大田区蒲田5-37-1", party.phone,
        ),
        agency=head, received_on=today, idempotency_key="demo:bank:address",
        acting_user=head_clerk,
    )  # fmt: skip


def _book(rng: random.Random, agencies: list[Agency], today: dt.date) -> int:
    with (DATA / "postal_codes.csv").open(encoding="utf-8") as handle:
        addresses = list(csv.DictReader(handle))
    prefecture_weight = {
        row["prefecture"]: BLOCK_TARGETS[block_of(row["prefecture"])] for row in addresses
    }
    weights = [prefecture_weight[row["prefecture"]] for row in addresses]
    parties = Party.objects.bulk_create(
        _party(rng, index, rng.choices(addresses, weights)[0]) for index in range(1, MEMBERS + 1)
    )
    plans = []
    for party in parties:
        schemes = rng.choices(
            [(Scheme.SHOKIBO,), (Scheme.TOSAN,), (Scheme.SHOKIBO, Scheme.TOSAN)], [62, 28, 10]
        )[0]
        plans += [(party, scheme) for scheme in schemes]
    first_serial = {
        scheme: reserve_in_sequence(f"contract:{scheme}", sum(s == scheme for _, s in plans))
        for scheme in Scheme
    }
    contracts, terms, mandates = [], [], []
    for offset, (party, scheme) in enumerate(plans):
        serial = first_serial[scheme]
        first_serial[scheme] += 1
        joined = add_months(today.replace(day=1), -rng.randint(1, 180))
        contract = Contract(
            scheme=scheme,
            number=contract_number(scheme, serial),
            party=party,
            position="sole_proprietor"
            if scheme == Scheme.SHOKIBO and party.kind == Party.Kind.INDIVIDUAL
            else "company_officer"
            if scheme == Scheme.SHOKIBO
            else "",
            joined_month=joined,
            handling_agency=rng.choice(agencies),
            # Issued in the month it took effect, so that the reports and an agency's 取扱実績 count
            # each contract in its own month (no draw from rng: the book stays the same).
            issued_at=_at(joined + dt.timedelta(days=offset % 28)),
            status=Contract.Status.SUSPENDED
            if scheme == Scheme.TOSAN and offset % 23 == 0
            else Contract.Status.ACTIVE,
        )
        contracts.append(contract)
        monthly = rng.choice(TOSAN_MONTHLY if scheme == Scheme.TOSAN else SHOKIBO_MONTHLY)
        terms.append(PremiumTerm(contract=contract, monthly_yen=monthly, valid_from_month=joined))
        mandates.append(
            DebitMandate(
                contract=contract,
                bank_code="0001",
                branch_code="001",
                account_type="1",
                account_number=f"{rng.randint(1, 9_999_999):07d}",
                holder_kana="ﾃﾞﾓ",
                valid_from=joined,
            )
        )
    Contract.objects.bulk_create(contracts)
    PremiumTerm.objects.bulk_create(terms)
    DebitMandate.objects.bulk_create(mandates)
    PremiumStop.objects.bulk_create(  # 掛止め from this month
        PremiumStop(contract=c, from_month=today.replace(day=1))
        for c in contracts
        if c.status == Contract.Status.SUSPENDED
    )
    return len(contracts)


def _party(rng: random.Random, index: int, address: dict[str, str]) -> Party:
    industry = rng.choices(list(INDUSTRY_TARGETS), list(INDUSTRY_TARGETS.values()))[0]
    surname, surname_kana = rng.choice(SURNAMES)
    corporate = rng.random() < 0.55
    if corporate:
        trade, trade_kana = TRADES[industry]
        name, kana = f"株式会社{surname}{trade}", f"カブシキガイシャ{surname_kana}{trade_kana}"
        base = f"{index:012d}"
        number: str | None = f"{corporate_check_digit(base)}{base}"
    else:
        given, given_kana = rng.choice(GIVEN_NAMES)
        name, kana, number = f"{surname} {given}", f"{surname_kana} {given_kana}", None
    return Party(
        kind=Party.Kind.CORPORATION if corporate else Party.Kind.INDIVIDUAL,
        organisation="company" if corporate else "sole_proprietor",
        name=name,
        name_kana=kana,
        corporate_number=number,
        postal_code=address["postal_code"],
        prefecture_code=prefecture_code(address["prefecture"]),
        address=f"{address['prefecture']}{address['city']}{address['town']}{rng.randint(1, 30)}-{rng.randint(1, 20)}",
        phone=f"0{rng.randint(100_000_000, 999_999_999)}",
        industry=industry,
        employees=rng.randint(0, 20) if not corporate else rng.randint(1, 120),
        capital_yen=rng.choice([3_000_000, 10_000_000, 30_000_000, 100_000_000])
        if corporate
        else None,
        business_started_on=add_months(dt.date(2000, 1, 1), rng.randint(0, 300)),
    )
