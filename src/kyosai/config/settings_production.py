"""Production settings: the development defaults hardened for deployment.

Use with DJANGO_SETTINGS_MODULE=kyosai.config.settings_production. Required environment:
KYOSAI_SECRET_KEY (50+ random characters), KYOSAI_ALLOWED_HOSTS (comma-separated) and
KYOSAI_DB=postgres (with KYOSAI_PG_* for the connection). Anything missing stops start-up with
ImproperlyConfigured rather than falling back to a development default.

The site is assumed to run behind a TLS-terminating reverse proxy (load balancer, nginx) that
speaks plain HTTP to Django and sets X-Forwarded-Proto. That proxy MUST overwrite any
X-Forwarded-Proto sent by the client; otherwise a client could claim HTTPS over plain HTTP.
`manage.py check --deploy --fail-level WARNING` passes with these settings.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Star import is the documented way to layer Django settings modules.
from kyosai.config.settings import *  # noqa: F403


def _secret_key() -> str:
    key = os.environ.get("KYOSAI_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "KYOSAI_SECRET_KEY is not set: production needs its own secret key "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    # The same bar as Django's security.W009: long, varied and not Django's generated dev key.
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "KYOSAI_SECRET_KEY is too weak: it must be at least 50 random characters "
            '(generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))").'
        )
    return key


def _allowed_hosts() -> list[str]:
    hosts = [h.strip() for h in os.environ.get("KYOSAI_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts:
        raise ImproperlyConfigured(
            "KYOSAI_ALLOWED_HOSTS is not set: list the site's host names, comma-separated "
            "(e.g. kyosai.example.jp,www.kyosai.example.jp)."
        )
    return hosts


DEBUG = False  # never from KYOSAI_DEBUG: tracebacks would leak code, settings and member data
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _allowed_hosts()

# The base settings pick PostgreSQL only when KYOSAI_DB=postgres; the SQLite file is for
# development (one writer, no backups, no point-in-time recovery).
if os.environ.get("KYOSAI_DB") != "postgres":
    raise ImproperlyConfigured(
        "KYOSAI_DB must be 'postgres' in production (SQLite is for development only); "
        "set KYOSAI_DB=postgres and KYOSAI_PG_* for the connection."
    )

# The electronic 控除証明書 is signed with the operator's own key, never the test pair.
for _name in ("KYOSAI_CERT_SIGNING_KEY", "KYOSAI_CERT_SIGNING_CERT"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(
            f"{_name} is not set: production signs the TEG850 控除証明書 with its own key and "
            "certificate (PEM files); the pair under tests/ is for tests only."
        )
KYOSAI_CERT_SIGNING_KEY = os.environ["KYOSAI_CERT_SIGNING_KEY"]
KYOSAI_CERT_SIGNING_CERT = os.environ["KYOSAI_CERT_SIGNING_CERT"]

# HTTPS only. TLS ends at the proxy, which tells Django the original scheme in this header.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True  # anything arriving over plain HTTP is redirected to HTTPS
SESSION_COOKIE_SECURE = True  # the login session never travels over plain HTTP
CSRF_COOKIE_SECURE = True  # nor does the CSRF token
# HSTS: browsers refuse plain HTTP for a year, on every subdomain, and the domain may be
# submitted to the browsers' preload list. Hard to undo: every subdomain must serve HTTPS.
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

SECURE_CONTENT_TYPE_NOSNIFF = True  # browsers must not guess a response's type (uploads, CSVs)
SECURE_REFERRER_POLICY = "same-origin"  # member URLs never leak to other sites in Referer
X_FRAME_OPTIONS = "DENY"  # no page may be framed: no clickjacking of forms

# Sessions: a financial portal signs idle users out quickly. 30 minutes, extended by activity
# because every request saves the session (and so renews its expiry).
SESSION_COOKIE_HTTPONLY = True  # scripts cannot read the session cookie
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True

# One line per record on stdout, for the process manager or container runtime to collect.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        },
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        # Django's own loggers propagate to the root handler instead of their defaults.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# STATIC_ROOT is inherited from the base settings (var/static; collectstatic writes there).
