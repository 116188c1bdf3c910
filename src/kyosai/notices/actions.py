"""Sending notices, one at a time (`do_send_notice`, the one way to send) or set-based from a
statement (`send_notices_from`, for the billing run's millions), and the read receipt."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyosai.billing import sql
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record
from kyosai.notices.models import Notice
from kyosai.parties.models import Party


@transaction.atomic
def do_send_notice(
    *,
    party: Party,
    kind: Notice.Kind,
    title: str,
    body: str,
    contract: Contract | None = None,
    amount_yen: int | None = None,
    due_on: dt.date | None = None,
    link: str = "",
    document: bytes | None = None,
    document_name: str = "",
    key: str | None = None,
    always_print: bool = False,
    now: dt.datetime | None = None,
    acting_user: Actor | None,
) -> Notice:
    """Put a notice in the member's inbox, and in the print data when the member wants paper
    (or `always_print`, for a mailing). A notice with a `key` is sent once: a second call with
    the same key returns the first notice."""
    if key is not None and (sent := Notice.objects.filter(key=key).first()) is not None:
        return sent
    notice = Notice.objects.create(
        party=party, contract=contract, kind=kind, title=title, body=body,
        amount_yen=amount_yen, due_on=due_on, link=link, document=document,
        document_name=document_name, key=key, created_at=now or timezone.now(),
        print_state=_print_state(party.wants_paper or always_print),
    )  # fmt: skip
    record("notice.send", notice, actor=acting_user, kind=kind, party=party.pk, key=key)
    return notice


def _print_state(on_paper: bool) -> Notice.PrintState:
    return Notice.PrintState.PENDING if on_paper else Notice.PrintState.NONE


def send_notices_from(
    rows: str,
    params: dict[str, object],
    *,
    kind: Notice.Kind,
    title: str,
    body: str,
    now: dt.datetime,
    always_print: bool = False,
    document_name: str = "",
) -> int:
    """One INSERT … SELECT: a notice for every row of the statement `rows` (columns
    contract_id, amount_yen, due_on, link, key), to the contract's member. Rows whose key was
    sent before are skipped. Called inside the caller's transaction; the number sent.
    `document_name` names the document the notices send (printing.py encloses it).

    In the order of the inbox index, which then grows page by page instead of at random (15 %
    faster for the billing run's 1.6 million on PostgreSQL)."""
    return sql.execute(
        f"""
        INSERT INTO notices_notice (party_id, contract_id, kind, title, body, amount_yen, due_on,
            link, key, document_name, created_at, print_state)
        SELECT k.party_id, r.contract_id, %(n_kind)s, %(n_title)s, %(n_body)s, r.amount_yen,
               r.due_on, r.link, r.key, %(n_document)s, %(n_now)s,
               CASE WHEN p.wants_paper OR %(n_always)s THEN 'pending' ELSE 'none' END
        FROM ({rows}) r
        JOIN contracts_contract k ON k.id = r.contract_id
        JOIN parties_party p ON p.id = k.party_id
        WHERE 1 = 1
        ORDER BY k.party_id
        ON CONFLICT DO NOTHING""",
        {
            **params,
            "n_kind": str(kind),
            "n_title": title,
            "n_body": body,
            "n_now": now,
            "n_always": always_print,
            "n_document": document_name,
        },
    )


@transaction.atomic
def do_open_notice(notice: Notice, *, acting_user: Actor) -> Notice:
    """The member opened the notice: the first opening is its read receipt."""
    if notice.read_at is None:
        notice.read_at = timezone.now()
        # Only the first of two openings at once records the receipt.
        if Notice.objects.filter(pk=notice.pk, read_at__isnull=True).update(read_at=notice.read_at):
            record("notice.read", notice, actor=acting_user)
        else:
            notice.refresh_from_db(fields=["read_at"])
    return notice


@transaction.atomic
def do_set_paper_preference(party: Party, wants_paper: bool, *, acting_user: Actor) -> None:
    """Whether the member also receives notices on paper (from the next notice sent)."""
    if party.wants_paper != wants_paper:
        Party.objects.filter(pk=party.pk).update(wants_paper=wants_paper)
        party.wants_paper = wants_paper
        record("party.paper_preference", party, actor=acting_user, wants_paper=wants_paper)
