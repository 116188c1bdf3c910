"""Django's deployment checks pass in the production settings and fail in the development ones.

Each case runs `manage.py check --deploy` in a fresh interpreter, because settings modules are
read once per process. `check` does not connect to the database (no --database), so no
PostgreSQL server is needed.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PRODUCTION = "kyosai.config.settings_production"
DEVELOPMENT = "kyosai.config.settings"


def check_deploy(settings: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the deployment checks with only the given KYOSAI_* variables set."""
    # A deployment has neither our settings nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE
    # (which Django's own check rightly refuses in production).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("KYOSAI_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def good_env() -> dict[str, str]:
    return {
        "KYOSAI_SECRET_KEY": secrets.token_hex(32),  # 64 random characters
        "KYOSAI_ALLOWED_HOSTS": "kyosai.example.jp,www.kyosai.example.jp",
        "KYOSAI_DB": "postgres",
        # Any PEM pair of the operator's; the check only needs the settings to be given.
        "KYOSAI_CERT_SIGNING_KEY": "/etc/kyosai/signing-key.pem",
        "KYOSAI_CERT_SIGNING_CERT": "/etc/kyosai/signing-cert.pem",
    }


def test_production_settings_pass_the_deployment_checks() -> None:
    result = check_deploy(PRODUCTION, **good_env())
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output
    assert "WARNING" not in output and "security.W" not in output, output


def test_production_ignores_kyosai_debug() -> None:
    result = check_deploy(PRODUCTION, **good_env(), KYOSAI_DEBUG="1")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"KYOSAI_SECRET_KEY": ""}, "KYOSAI_SECRET_KEY is not set"),
        ({"KYOSAI_SECRET_KEY": secrets.token_hex(24)}, "KYOSAI_SECRET_KEY is too weak"),
        ({"KYOSAI_ALLOWED_HOSTS": ""}, "KYOSAI_ALLOWED_HOSTS is not set"),
        ({"KYOSAI_ALLOWED_HOSTS": " , "}, "KYOSAI_ALLOWED_HOSTS is not set"),
        ({"KYOSAI_DB": ""}, "KYOSAI_DB must be 'postgres' in production"),
        ({"KYOSAI_DB": "sqlite"}, "KYOSAI_DB must be 'postgres' in production"),
        ({"KYOSAI_CERT_SIGNING_KEY": ""}, "KYOSAI_CERT_SIGNING_KEY is not set"),
        ({"KYOSAI_CERT_SIGNING_CERT": ""}, "KYOSAI_CERT_SIGNING_CERT is not set"),
    ],
    ids=[
        "no-secret",
        "short-secret",
        "no-hosts",
        "blank-hosts",
        "no-db",
        "sqlite",
        "no-key",
        "no-cert",
    ],
)
def test_production_settings_refuse_a_bad_environment(change: dict[str, str], message: str) -> None:
    env = {k: v for k, v in {**good_env(), **change}.items() if v}  # "" means unset
    result = check_deploy(PRODUCTION, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


def test_development_settings_fail_the_deployment_checks() -> None:
    result = check_deploy(DEVELOPMENT)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    found = {w for w in ("W004", "W008", "W012", "W016", "W018") if f"security.{w}" in output}
    assert found, output
