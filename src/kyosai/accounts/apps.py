from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kyosai.accounts"
    verbose_name = "外部認証"
