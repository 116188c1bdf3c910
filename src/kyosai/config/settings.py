"""Django settings. Development defaults; production overrides come from the environment.

KYOSAI_DB=postgres switches from the embedded SQLite file to PostgreSQL (KYOSAI_PG_* for the
connection; the defaults match the local server at 127.0.0.1:5432 with trust auth).
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[3]

DEBUG = os.environ.get("KYOSAI_DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("KYOSAI_SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("KYOSAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kyosai.core",
    "kyosai.parties",
    "kyosai.agencies",
    "kyosai.contracts",
    "kyosai.procedures",
    "kyosai.billing",
    "kyosai.payouts",
    "kyosai.loans",
    "kyosai.cancellations",
    "kyosai.benefits",
    "kyosai.notices",
    "kyosai.campaigns",
    "kyosai.intake",
    "kyosai.reports",
    "kyosai.scorecards",
    "kyosai.certificates",
    "kyosai.accounts",
    "kyosai.web.public",
    "kyosai.web.customer",
    "kyosai.web.staff",
    "kyosai.web.agency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kyosai.web.public.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kyosai.config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "kyosai.config.wsgi.application"

if os.environ.get("KYOSAI_DB") == "postgres":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ.get("KYOSAI_PG_NAME", "kyosai"),
            "USER": os.environ.get("KYOSAI_PG_USER", "postgres"),
            "PASSWORD": os.environ.get("KYOSAI_PG_PASSWORD", ""),
            "HOST": os.environ.get("KYOSAI_PG_HOST", "127.0.0.1"),
            "PORT": os.environ.get("KYOSAI_PG_PORT", "5432"),
            # Reuse connections: opening one costs more than most requests (make bench-web).
            "CONN_MAX_AGE": int(os.environ.get("KYOSAI_PG_CONN_MAX_AGE", "60")),
            "CONN_HEALTH_CHECKS": True,
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("KYOSAI_SQLITE_PATH", str(BASE_DIR / "var" / "kyosai.sqlite3")),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "public:after_login"
OTP_TOTP_ISSUER = "共済契約管理システム"
LOGOUT_REDIRECT_URL = "public:home"

# OpenID Connect login (kyosai.accounts, web/accounts). Per provider: KYOSAI_OIDC_<NAME>_ISSUER
# (discovery is read at <issuer>/.well-known/openid-configuration), _CLIENT_ID, _CLIENT_SECRET,
# _SCOPES. A provider missing the issuer, client id or secret shows no button (URLs answer 404).
KYOSAI_OIDC_PROVIDERS = {
    name: {
        "issuer": os.environ.get(f"KYOSAI_OIDC_{name.upper()}_ISSUER", ""),
        "client_id": os.environ.get(f"KYOSAI_OIDC_{name.upper()}_CLIENT_ID", ""),
        "client_secret": os.environ.get(f"KYOSAI_OIDC_{name.upper()}_CLIENT_SECRET", ""),
        "scopes": os.environ.get(f"KYOSAI_OIDC_{name.upper()}_SCOPES", scopes),
    }
    for name, scopes in (
        ("gbizid", "openid profile email"),  # GビズID: attributes come from UserInfo
        ("myna", "openid"),  # デジタル認証アプリ: add "name address birthdate gender" for 基本4情報
    )
}

# 全銀 口座振替: where bank files are written and kept, and the requester (委託者) the banks know
# us by. Bank-to-bank differences (formats.md §1.5 point 3) go in KYOSAI_BANK_PROFILES by bank code.
KYOSAI_BANK_FILES_DIR = Path(
    os.environ.get("KYOSAI_BANK_FILES_DIR", str(BASE_DIR / "var" / "bank"))
)
KYOSAI_DEBIT_REQUESTER = {
    "requester_code": os.environ.get("KYOSAI_DEBIT_REQUESTER_CODE", "0000000001"),
    "requester_name": "ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ",
}
# Loan repayments (償還金) are debited under a requester code of their own: the member gives a
# separate mandate for them (様式 中303), and their results come back in files of their own.
KYOSAI_REPAYMENT_REQUESTER = {
    "requester_code": os.environ.get("KYOSAI_REPAYMENT_REQUESTER_CODE", "0000000003"),
    "requester_name": "ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ",
}
# 全銀 総合振込 (every payout: payouts): our own account the payments leave
# from, as the paying (仕向) bank knows it. The defaults are demo values (委託者コード and account
# of a made-up 普通預金 at bank 0001 branch 001); production sets them from the environment.
KYOSAI_TRANSFER_PAYER = {
    "requester_code": os.environ.get("KYOSAI_TRANSFER_PAYER_CODE", "0000000002"),
    "requester_name": "ﾄﾞｸ)ﾁﾕｳｼﾖｳｷｷﾞﾖｳｷﾊﾞﾝｾｲﾋﾞｷｺｳ",
    "bank_code": os.environ.get("KYOSAI_TRANSFER_PAYER_BANK", "0001"),
    "branch_code": os.environ.get("KYOSAI_TRANSFER_PAYER_BRANCH", "001"),
    "account_type": "1",  # 普通
    "account_number": os.environ.get("KYOSAI_TRANSFER_PAYER_ACCOUNT", "0000001"),
}
KYOSAI_BANK_PROFILES: dict[str, dict[str, object]] = {}
# Chunks of the monthly billing run billed side by side (PostgreSQL; one per database core for the
# national run). 1 by default: a worker's own connection cannot see a test's uncommitted rows.
KYOSAI_BILLING_WORKERS = int(os.environ.get("KYOSAI_BILLING_WORKERS", "1"))
# Contracts billed per chunk, each chunk one transaction: what a killed run redoes at most.
KYOSAI_BILLING_CHUNK = int(os.environ.get("KYOSAI_BILLING_CHUNK", "100000"))

# The key and certificate (PEM files) that sign the electronic 控除証明書 (TEG850 XML). The pair in
# tests/certificates is a throw-away self-signed one, the default only while DEBUG is on;
# settings_production requires both to be set.
_TEST_SIGNING = BASE_DIR / "tests" / "certificates"
KYOSAI_CERT_SIGNING_KEY = os.environ.get(
    "KYOSAI_CERT_SIGNING_KEY", str(_TEST_SIGNING / "test_signing_key.pem") if DEBUG else ""
)
KYOSAI_CERT_SIGNING_CERT = os.environ.get(
    "KYOSAI_CERT_SIGNING_CERT", str(_TEST_SIGNING / "test_signing_cert.pem") if DEBUG else ""
)
# Worker processes that issue a year's certificates side by side (PostgreSQL; each its own
# connection over its own range of contract ids). 1: in this process (SQLite, the tests).
KYOSAI_CERT_WORKERS = int(os.environ.get("KYOSAI_CERT_WORKERS", "1"))
# Print data of notices (manage.py notices print): PDFs and their CSV manifest, per day.
KYOSAI_PRINT_DIR = Path(os.environ.get("KYOSAI_PRINT_DIR", str(BASE_DIR / "var" / "print")))
KYOSAI_PRINT_PER_FILE = int(os.environ.get("KYOSAI_PRINT_PER_FILE", "500"))
# The site's address as printed on paper (the QR code of a reconfirmation letter).
KYOSAI_PUBLIC_URL = os.environ.get("KYOSAI_PUBLIC_URL", "http://127.0.0.1:8000")
