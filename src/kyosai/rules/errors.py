"""Errors raised by the rules. Each carries a Japanese message for users and an English one for logs."""


class RuleError(ValueError):
    """Input the rules cannot compute with (out of range, inconsistent, or outside a table)."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_ja} / {message_en}")
        self.message_ja = message_ja
        self.message_en = message_en


class ParameterFileError(Exception):
    """A parameter file that does not validate. Names the file and the key at fault."""

    def __init__(self, path: str, key: str, message: str) -> None:
        super().__init__(f"{path}: {key}: {message}")
        self.path = path
        self.key = key
