"""A member signs in with GビズID (a local provider on 127.0.0.1) and lands on マイページ."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.fixtures import Settings

from tests.oidc.provider import GBIZID_USERINFO, configure, running_provider

pytestmark = pytest.mark.browser


def test_gbizid_login_lands_on_my_page(
    page: Page, shot: Callable[[str], Path], settings: Settings
) -> None:
    with running_provider(subject="gbiz-browser", userinfo_claims=dict(GBIZID_USERINFO)) as op:
        settings.KYOSAI_OIDC_PROVIDERS = {}
        configure(settings, "gbizid", op)
        page.goto("/login/")
        expect(page.get_by_role("link", name="マイナンバーカードでログイン")).to_have_count(0)
        shot("login")
        page.get_by_role("link", name="GビズIDでログイン").click()
        # The provider approves at once and sends the browser back; no TOTP is asked.
        expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
        assert page.url.endswith("/portal/")
        shot("my-page")
