from django.apps import AppConfig

from kyosai.reference.banks import bank
from kyosai.rules.params import default_parameters


class CoreConfig(AppConfig):
    name = "kyosai.core"
    label = "core"

    def ready(self) -> None:
        # Parse the rule parameters and index the bank master once per process, at start-up
        # (before gunicorn forks with --preload), not on some member's first request.
        default_parameters()
        bank("0001")
