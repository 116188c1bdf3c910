"""Helpers shared by everything that posts to the premium ledger (runs, results, discounts)."""

from kyosai.billing import sql
from kyosai.billing.models import Account


def balance_journal(journal_id: int, account: Account) -> None:
    """Close a journal with one control line on `account` that makes its postings sum to zero
    (nothing when the journal has no postings)."""
    sql.execute(
        f"""INSERT INTO billing_posting (journal_id, account, contract_id, bill_id, amount_yen)
            SELECT %(journal)s, '{account}', NULL, NULL, -SUM(amount_yen)
            FROM billing_posting WHERE journal_id = %(journal)s HAVING COUNT(*) > 0""",
        {"journal": journal_id},
    )
