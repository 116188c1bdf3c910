"""Reads of campaigns: a reconfirmation by its secret token (the member's form), the staff
overview with counts by status, and the follow-ups (audited: they name members)."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from kyosai.campaigns.models import Campaign, Reconfirmation
from kyosai.core.audit import Actor, record
from kyosai.rules.shokibo.reconfirmation import CHECKS

MARKS = {check.code: check.mark for check in CHECKS}
FOLLOW_UPS_SHOWN = 200


def reconfirmation_by_token(token: str) -> Reconfirmation:
    """The reconfirmation the member's link names; an unknown token is a 404."""
    found = (
        Reconfirmation.objects.select_related("campaign", "contract__party")
        .filter(token=token)
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class CampaignCounts:
    campaign: Campaign
    answered: int
    follow_up: int
    not_answered: int


def _counted(campaigns: "object") -> list[CampaignCounts]:
    status = Reconfirmation.Status
    rows = campaigns.annotate(  # type: ignore[attr-defined]
        answered=Count("reconfirmations", filter=Q(reconfirmations__status=status.ANSWERED)),
        follow_up=Count("reconfirmations", filter=Q(reconfirmations__status=status.FOLLOW_UP)),
        not_answered=Count(
            "reconfirmations", filter=Q(reconfirmations__status=status.NOT_ANSWERED)
        ),
    )
    return [CampaignCounts(c, c.answered, c.follow_up, c.not_answered) for c in rows]


def campaigns_overview() -> list[CampaignCounts]:
    return _counted(Campaign.objects.order_by("-created_at", "-pk")[:100])


def campaign_counts(pk: int) -> CampaignCounts:
    found = _counted(Campaign.objects.filter(pk=pk))
    if not found:
        raise Http404
    return found[0]


@dataclass(frozen=True)
class FollowUp:
    reconfirmation: Reconfirmation
    checks: str  # 「①⑦」


def follow_ups_of(
    campaign: Campaign, *, actor: Actor, limit: int | None = None
) -> Iterator[FollowUp]:
    """The contracts whose answer needs a follow-up, with the checks that applied; reading them
    is audited (they name members)."""
    record("campaign.follow_ups_view", campaign, actor=actor)
    rows = (
        campaign.reconfirmations.filter(status=Reconfirmation.Status.FOLLOW_UP)
        .select_related("contract__party")
        .order_by("answered_at", "pk")
    )
    for r in rows[:limit] if limit else rows.iterator(chunk_size=2000):
        yield FollowUp(r, "".join(MARKS[c] for c in r.follow_up_checks.split(",") if c))


def access_campaign(pk: int) -> Campaign:
    return get_object_or_404(Campaign, pk=pk)
