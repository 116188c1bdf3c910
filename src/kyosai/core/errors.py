"""Application errors raised by actions and shown to people as Japanese messages."""


class ApplicationError(Exception):
    """A request the system refuses; `message_ja` is what the person is told."""

    def __init__(self, message_ja: str) -> None:
        super().__init__(message_ja)
        self.message_ja = message_ja


class ProcedureError(ApplicationError):
    """A procedure that cannot move the way it was asked to (already decided, wrong state…)."""


class ContractError(ApplicationError):
    """A contract that cannot give what was asked of it (no premium record, wrong state…)."""
