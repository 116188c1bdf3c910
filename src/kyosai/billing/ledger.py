"""The ledger's two ways in: set-based statements close their journals with `balance_journal`
(runs, results, discounts: millions of lines), and the few journals of one member's decision
(a cancellation, a loan, a transfer) are posted whole by `post_journal`."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from kyosai.billing import sql
from kyosai.billing.models import Account, Journal, Posting
from kyosai.contracts.models import Contract


def balance_journal(journal_id: int, account: Account) -> None:
    """Close a journal with one control line on `account` that makes its postings sum to zero
    (nothing when the journal has no postings)."""
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{account}', NULL, NULL, -SUM(amount_yen)
            FROM billing_posting WHERE journal_id = %(journal)s HAVING COUNT(*) > 0""",
        {"journal": journal_id},
    )


@dataclass(frozen=True)
class Line:
    """A posting to be made: debits positive, credits negative; per-member accounts name the
    contract, control accounts do not."""

    account: Account
    amount_yen: int
    contract: Contract | None = None


class UnbalancedJournalError(ValueError):
    """A journal whose lines do not sum to zero: a bug in the caller, never a member's input."""


def post_journal(
    kind: Journal.Kind, reference: str, posted_on: dt.date, lines: list[Line]
) -> tuple[Journal, bool]:
    """Post `lines` as one journal under the idempotency key `reference`: (the journal, whether
    it was posted now). A reference posted before returns its journal and posts nothing, so an
    action repeated after a crash or a double submit moves no money twice. Zero lines are left
    out; a journal must balance."""
    kept = [line for line in lines if line.amount_yen != 0]
    if sum(line.amount_yen for line in kept) != 0:
        raise UnbalancedJournalError(f"journal {reference} does not balance: {kept}")
    with transaction.atomic():
        existing = Journal.objects.filter(reference=reference).first()
        if existing is not None:
            return existing, False
        journal = Journal.objects.create(kind=kind, reference=reference, posted_on=posted_on)
        Posting.objects.bulk_create(
            Posting(
                journal=journal,
                account=line.account,
                contract=line.contract,
                amount_yen=line.amount_yen,
            )
            for line in kept
        )
    return journal, True


def balance_of(contract: Contract, account: Account) -> int:
    """A member's balance on one account (debits positive, credits negative)."""
    [(total,)] = sql.rows(
        "SELECT COALESCE(SUM(amount_yen), 0) FROM billing_posting WHERE contract_id = %s AND account = %s",
        [contract.pk, str(account)],
    )
    return int(total)
