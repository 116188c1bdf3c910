"""Real-browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Chromium comes from `tools/ensure_chromium.sh` (apt-get; `make test` runs it first), never from
Playwright's own download. Every test gets a phone-sized page and a `shot(name)` helper that keeps
a full-page screenshot of each step under test-artifacts/<test name>/ (git-ignored).
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an asyncio event loop in a greenlet of the test thread, and the loop
# stays "running" between calls for as long as the session-scoped Playwright is alive. Django then
# sees a running loop in the test thread and refuses every ORM call made there (creating the test
# database, call_command("load_demo"), the transactional flush after each test) with
# SynchronousOnlyOperation, although nothing is actually async. The flag must be set before Django
# first touches the database, hence here at import time rather than in a fixture. It is process
# wide, so it also holds for the rest of the suite in the same run; the project has no async views
# or ORM calls, so no real check is lost. The live server itself answers from its own thread,
# where there is no loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and silent on the closed network: without these Chromium hangs on connection attempts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 5_000  # small, so that a missing element fails in seconds rather than hanging


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: run `bash tools/ensure_chromium.sh` (make test does) "
            "to install Debian's chromium and fonts-noto-cjk; never `playwright install`"
        )
    browser = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=30_000
    )
    yield browser
    browser.close()


def _is_favicon(url: str) -> bool:
    # Chromium asks for /favicon.ico on its own; the site has none (yet), which is no failure.
    return url.endswith("/favicon.ico")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Django's default PBKDF2 costs ~0.6 s per hash here and a journey hashes several times
    # (load_demo, each login). The live server thread shares these settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A phone-sized page on the live server; relative URLs (page.goto("/")) go there.

    live_server makes the test transactional (rows are committed so the server thread sees them,
    and flushed afterwards), which works the same on SQLite and PostgreSQL. The test fails if the
    page logs a console error or any request (stylesheet, form post…) answers 4xx/5xx.
    """
    context = browser.new_context(
        base_url=live_server.url,
        # A phone: 390×844 CSS pixels at 2× (an iPhone 12-15 class screen), in Japan.
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type == "error" and not _is_favicon(message.location.get("url", ""))
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400 and not _is_favicon(response.url)
            else None
        ),
    )
    yield page
    context.close()
    assert not problems, "the browser reported problems:\n" + "\n".join(problems)


def _file_name(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


@pytest.fixture
def shot(page: Page, request: pytest.FixtureRequest) -> Callable[[str], Path]:
    """shot("login") saves test-artifacts/<test name>/<nn>-login.png, a full-page screenshot.

    The folder is emptied when the test starts, so it holds this run's steps only (the SQLite and
    PostgreSQL runs of `make test` write the same folders; the last run's shots remain).
    """
    folder = request.config.rootpath / "test-artifacts" / _file_name(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)  # only this run's steps, numbered from 01
    folder.mkdir(parents=True, exist_ok=True)
    taken = 0

    def take(name: str) -> Path:
        nonlocal taken
        taken += 1
        path = folder / f"{taken:02d}-{_file_name(name)}.png"
        # scale="css": one image pixel per CSS pixel. The page is still rendered at 2×, but the
        # home page is ~12,000 CSS px tall and saving it at 2× costs ~1.5 s per shot instead of
        # ~0.5 s; at 1× the Japanese text stays legible.
        page.screenshot(path=path, full_page=True, scale="css")
        return path

    return take
