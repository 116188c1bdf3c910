"""The two schemes, by the code names used throughout the system."""

from enum import StrEnum


class Scheme(StrEnum):
    SHOKIBO = "shokibo"  # 小規模企業共済
    TOSAN = "tosan"  # 中小企業倒産防止共済（経営セーフティ共済）
