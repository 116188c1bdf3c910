"""Yes/no decisions with reasons a member can read (eligibility, 通算, receipt methods, changes)."""

from dataclasses import dataclass

from kyosai.rules.trace import Explainer, Trace


@dataclass(frozen=True)
class Reason:
    """Why a request fails: `code` is stable for programs, `message_ja` is for the member."""

    code: str
    message_ja: str


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reasons: tuple[Reason, ...]
    trace: Trace


class Checks:
    """Collects failed checks into reasons, each also recorded as a trace step."""

    def __init__(self, explainer: Explainer) -> None:
        self.t = explainer
        self.reasons: list[Reason] = []

    def require(self, ok: bool, label: str, code: str, message_ja: str) -> bool:
        self.t.step(label, "可" if ok else "不可", "" if ok else message_ja)
        if not ok:
            self.reasons.append(Reason(code, message_ja))
        return ok

    def decision(self, conclusion: str) -> Decision:
        allowed = not self.reasons
        self.t.step(conclusion, "可" if allowed else "不可")
        return Decision(allowed, tuple(self.reasons), self.t.trace())
