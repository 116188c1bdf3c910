"""Local OpenID Connect providers (tests/oidc/provider.py) wired into the settings."""

from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from tests.oidc.provider import GBIZID_USERINFO, LocalProvider, configure, running_provider


@pytest.fixture
def no_providers(settings: Settings) -> None:
    settings.KYOSAI_OIDC_PROVIDERS = {}


@pytest.fixture
def gbizid(settings: Settings, no_providers: None) -> Iterator[LocalProvider]:
    with running_provider(subject="gbiz-0001", userinfo_claims=dict(GBIZID_USERINFO)) as op:
        configure(settings, "gbizid", op)
        yield op


@pytest.fixture
def myna(settings: Settings, no_providers: None) -> Iterator[LocalProvider]:
    with running_provider(client_id="RP00000001", subject="myna-0001") as op:
        configure(settings, "myna", op, scopes="openid")
        yield op
