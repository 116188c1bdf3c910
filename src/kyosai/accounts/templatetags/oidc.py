"""{% oidc_providers as providers %}: the configured providers, for the login page buttons."""

from django import template

from kyosai.accounts.providers import Provider, configured_providers

register = template.Library()


@register.simple_tag
def oidc_providers() -> list[Provider]:
    return configured_providers()
