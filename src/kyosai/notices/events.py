"""The notices other apps send at their events, one call each from the app (so the wording of
every notice lives here). The billing run's are set-based: one statement over the run's bills,
in the transaction that closes the run, so a resumed run sends them once."""

import datetime as dt

from django.utils import timezone

from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor
from kyosai.notices.actions import do_send_notice, send_notices_from
from kyosai.notices.models import CERTIFICATE_KEY, Notice
from kyosai.rules.scheme import Scheme

SCHEME_NAMES = {Scheme.SHOKIBO: "小規模企業共済", Scheme.TOSAN: "経営セーフティ共済"}


def contract_issued(contract: Contract, *, acting_user: Actor | None) -> Notice:
    """締結: the member's new contract, its number and where the certificate is."""
    scheme = SCHEME_NAMES[Scheme(contract.scheme)]
    return do_send_notice(
        party=contract.party, contract=contract, kind=Notice.Kind.CONTRACT_ISSUED,
        title=f"共済契約締結のお知らせ（{scheme}）",
        body=(
            f"{scheme}の共済契約を締結しました。共済契約者番号は {contract.number} です。"
            "共済契約締結証書は、マイページのご契約のページからダウンロードできます。"
        ),
        link=f"/portal/contracts/{contract.pk}/", key=f"contract:{contract.pk}",
        acting_user=acting_user,
    )  # fmt: skip


def bills_billed(
    *, run_id: int, scheme: Scheme, month: dt.date, debit_on: dt.date, cap_yen: int
) -> None:
    """請求金額のお知らせ for every bill of the run, and, for tosan, 積立限度のお知らせ once to
    each contract the run brought to the cap."""
    now = timezone.now()
    send_notices_from(
        """SELECT b.contract_id, b.amount_yen, %(debit_on)s AS due_on, '' AS link, NULL AS key
           FROM billing_bill b WHERE b.run_id = %(run)s AND b.amount_yen > 0""",
        {"run": run_id, "debit_on": debit_on},
        kind=Notice.Kind.BILLING_AMOUNT,
        title=f"請求金額のお知らせ（{month.year}年{month.month}月振替分）",
        body=(
            f"{SCHEME_NAMES[scheme]}の掛金等を、ご指定の口座から振替日に引き落とします。"
            "前日までに口座の残高をご確認ください。"
        ),
        now=now,
    )
    if scheme != Scheme.TOSAN:
        return
    send_notices_from(
        """SELECT s.contract_id, %(cap)s AS amount_yen, CAST(NULL AS DATE) AS due_on, '' AS link,
                  'cap:' || s.contract_id AS key
           FROM billing_billingstate s
           WHERE s.last_run_id = %(run)s AND s.billed_regular_yen >= %(cap)s""",
        {"run": run_id, "cap": cap_yen},
        kind=Notice.Kind.CAP_REACHED,
        title="積立限度のお知らせ（経営セーフティ共済）",
        body=(
            "掛金の総額が積立限度額に達しました。これ以降、掛金の引落しはありません。"
            "共済契約はこのまま続きます。"
        ),
        now=now,
    )


def termination_warnings(*, issued_on: dt.date) -> int:
    """解除予告 for every warning issued on `issued_on` (billing.arrears), once each."""
    return send_notices_from(
        """SELECT a.contract_id, a.arrears_yen AS amount_yen, a.deadline_on AS due_on,
                  '' AS link, 'arrears:' || a.id AS key
           FROM billing_arrearsnotice a
           WHERE a.kind = 'warning' AND a.issued_on = %(issued_on)s""",
        {"issued_on": issued_on},
        kind=Notice.Kind.TERMINATION_WARNING,
        title="解除予告（掛金の未納について）",
        body=(
            "掛金の未納が続いているため、口座振替を停止しました。下記の期限までに未納の掛金を"
            "お支払いいただけない場合、共済契約は解除となります。"
        ),
        now=timezone.now(),
        always_print=True,  # a step toward ending the contract: also sent on paper
    )


def repayment_billed(
    *, contract: Contract, bill_id: int, amount_yen: int, debit_on: dt.date
) -> Notice:
    """返済期日のお知らせ: what the loan's repayment run debits, and when."""
    return do_send_notice(
        party=contract.party, contract=contract, kind=Notice.Kind.REPAYMENT_DUE,
        title="返済期日のお知らせ",
        body="貸付金の償還金を、ご指定の口座から振替日に引き落とします。",
        amount_yen=amount_yen, due_on=debit_on, key=f"repayment:{bill_id}", acting_user=None,
    )  # fmt: skip


def certificates_issued(*, kind: str, label: str, year: int, low: int, high: int) -> int:
    """証明書のお知らせ for every certificate of `kind` and `year` just issued to the contracts
    with ids in (low, high] (certificates.issue_range, in its transaction): the member's inbox
    points to the contract's 証明書 page, where the PDF (and the e-Tax XML) are. Once each."""
    return send_notices_from(
        """SELECT c.contract_id, c.amount_yen, CAST(NULL AS DATE) AS due_on,
                  '/portal/contracts/' || c.contract_id || '/certificates/' AS link,
                  %(c_key)s || c.id AS key
           FROM certificates_issuedcertificate c
           WHERE c.kind = %(c_kind)s AND c.year = %(c_year)s
             AND c.contract_id > %(c_low)s AND c.contract_id <= %(c_high)s""",
        {"c_kind": kind, "c_year": year, "c_low": low, "c_high": high, "c_key": CERTIFICATE_KEY},
        kind=Notice.Kind.CERTIFICATE,
        title=f"{label}（{year}年分）を発行しました",
        document_name=f"{label}（{year}年分）",
        body=(
            f"{year}年分の{label}を発行しました。ご契約の「証明書」のページからPDFをダウンロード"
            "できます。年末調整や確定申告にお使いください。"
        ),
        now=timezone.now(),
    )
