"""Starting a campaign (set-based: the targets and their letters in three statements), reminding
the members who have not answered, and taking a member's answer (once)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from kyosai.billing import sql
from kyosai.campaigns.models import Campaign, Reconfirmation
from kyosai.contracts.models import Contract
from kyosai.core.audit import Actor, record, signed_in
from kyosai.core.errors import ApplicationError
from kyosai.notices.actions import send_notices_from
from kyosai.notices.models import Notice
from kyosai.rules.shokibo.reconfirmation import applicable_checks, follow_ups

LETTER_TITLE = "加入資格の再確認のお願い（小規模企業共済）"
LETTER_BODY = (
    "小規模企業共済の適正な運営のため、ご加入時に加入資格を満たしていたかの再確認をお願いして"
    "おります（小規模企業共済法施行規則第24条の2）。二次元コードまたはお知らせのリンクから、"
    "期限までにご回答ください。スマートフォンで数分で終わります。"
)

REMINDER_TITLE = "【再度のお願い】加入資格の再確認（小規模企業共済）"
REMINDER_BODY = (
    "先にお送りした加入資格の再確認のお願いについて、まだご回答をいただいておりません。"
    "お手数ですが、二次元コードまたはお知らせのリンクから、新しい期限までにご回答ください。"
    "スマートフォンで数分で終わります。行き違いでご回答済みの場合はご容赦ください。"
)


def _random_token() -> str:
    """SQL for a fresh secret per row: 128 bits from the database's strong random source."""
    if sql.postgres():
        return "replace(CAST(gen_random_uuid() AS text), '-', '')"
    return "lower(hex(randomblob(16)))"


@transaction.atomic
def do_start_campaign(
    *,
    name: str,
    joined_from: dt.date | None,
    joined_until: dt.date | None,
    answer_by: dt.date,
    idempotency_key: str,
    now: dt.datetime,
    acting_user: Actor | None,
) -> Campaign:
    """A campaign over every shokibo contract in force that joined in the range: one
    reconfirmation each with its secret link, and a letter to each member (inbox and print
    data, always on paper). A second call with the same key returns the first campaign."""
    if (made := Campaign.objects.filter(idempotency_key=idempotency_key).first()) is not None:
        return made
    if joined_from and joined_until and joined_from > joined_until:
        raise ApplicationError("加入年月の範囲が逆です（開始が終了より後です）。")
    campaign = Campaign.objects.create(
        name=name, joined_from=joined_from, joined_until=joined_until, answer_by=answer_by,
        idempotency_key=idempotency_key, created_at=now, created_by=signed_in(acting_user),
    )  # fmt: skip
    params = {"campaign": campaign.pk, "from": joined_from or dt.date(1, 1, 1),
              "until": joined_until or dt.date(9999, 12, 31)}  # fmt: skip
    targets = sql.execute(
        f"""INSERT INTO campaigns_reconfirmation (campaign_id, contract_id, token, status,
                follow_up_checks)
            SELECT %(campaign)s, k.id, {_random_token()}, 'not_answered', ''
            FROM contracts_contract k
            WHERE k.scheme = 'shokibo' AND k.status IN ('active', 'suspended')
              AND k.joined_month >= %(from)s AND k.joined_month <= %(until)s""",
        params,
    )
    send_notices_from(
        """SELECT r.contract_id, CAST(NULL AS BIGINT) AS amount_yen, %(answer_by)s AS due_on,
                  '/reconfirm/' || r.token || '/' AS link, 'reconfirm:' || r.id AS key
           FROM campaigns_reconfirmation r WHERE r.campaign_id = %(campaign)s""",
        {"campaign": campaign.pk, "answer_by": answer_by},
        kind=Notice.Kind.RECONFIRMATION, title=LETTER_TITLE, body=LETTER_BODY, now=now,
        always_print=True,
    )  # fmt: skip
    Campaign.objects.filter(pk=campaign.pk).update(targets=targets)
    campaign.refresh_from_db()
    record("campaign.start", campaign, actor=acting_user, targets=targets)
    return campaign


@transaction.atomic
def do_send_reminders(
    campaign: Campaign, *, answer_by: dt.date, now: dt.datetime, acting_user: Actor | None
) -> int:
    """A second letter (inbox and paper, the same link) to every contract of the campaign not
    answered yet, with a new deadline, which becomes the campaign's. Once a day: sent again the
    same day, it reaches nobody twice. The number sent."""
    if answer_by <= timezone.localdate(now):
        raise ApplicationError("新しい回答期限は明日以降の日付にしてください。")
    sent = send_notices_from(
        """SELECT r.contract_id, CAST(NULL AS BIGINT) AS amount_yen, %(answer_by)s AS due_on,
                  '/reconfirm/' || r.token || '/' AS link,
                  'reconfirm:' || r.id || ':' || %(day)s AS key
           FROM campaigns_reconfirmation r
           WHERE r.campaign_id = %(campaign)s AND r.status = 'not_answered'""",
        {"campaign": campaign.pk, "answer_by": answer_by, "day": str(timezone.localdate(now))},
        kind=Notice.Kind.RECONFIRMATION, title=REMINDER_TITLE, body=REMINDER_BODY, now=now,
        always_print=True,
    )  # fmt: skip
    Campaign.objects.filter(pk=campaign.pk).update(answer_by=answer_by)
    record("campaign.remind", campaign, actor=acting_user, sent=sent, answer_by=str(answer_by))
    return sent


def checks_for(reconfirmation: Reconfirmation) -> tuple[str, ...]:
    contract: Contract = reconfirmation.contract
    return tuple(c.code for c in applicable_checks(contract.position, contract.joined_month))


@transaction.atomic
def do_answer(
    reconfirmation: Reconfirmation,
    answers: dict[str, bool],
    *,
    now: dt.datetime | None = None,
    acting_user: Actor | None,
) -> Reconfirmation:
    """The member's answer, kept once: a second submit (a double tap, the back button) returns
    the first answer unchanged. Any check answered 「該当する」 puts the contract on the
    follow-up list with those checks."""
    locked = Reconfirmation.objects.select_for_update().get(pk=reconfirmation.pk)
    if locked.answered_at is not None:
        return locked
    if set(answers) != set(checks_for(locked)):
        raise ApplicationError("すべての項目にお答えください。")
    applied = follow_ups(answers)
    locked.answers = answers
    locked.follow_up_checks = ",".join(applied)
    locked.status = Reconfirmation.Status.FOLLOW_UP if applied else Reconfirmation.Status.ANSWERED
    locked.answered_at = now or timezone.now()
    locked.save(update_fields=["answers", "follow_up_checks", "status", "answered_at"])
    record("reconfirmation.answer", locked, actor=acting_user, follow_up=locked.follow_up_checks)
    return locked
