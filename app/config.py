"""Configuration classes; everything secret or site-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(os.environ.get("REPORTONCE_INSTANCE", Path.cwd() / "instance"))


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _local_secret(filename: str) -> str:
    """A random key kept under instance/ (never in the repository) for local runs."""
    path = INSTANCE_DIR / filename
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'reportonce.db'}"
    EXTERNAL_BASE_URL = os.environ.get("EXTERNAL_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    SESSION_COOKIE_NAME = "reportonce_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    WTF_CSRF_SSL_STRICT = True
    TRUSTED_HOSTS = _list("TRUSTED_HOSTS") or None
    HSTS = False
    JSON_AS_ASCII = False
    TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    ADMISSION_CODE_PREFIX = os.environ.get("ADMISSION_CODE_PREFIX", "HN")
    ADMISSION_DISPLAY_PREFIX = os.environ.get("ADMISSION_DISPLAY_PREFIX", "湘基准")
    BURDEN_MINUTES_PER_FIELD = os.environ.get("BURDEN_MINUTES_PER_FIELD", "2")
    SHARED_HUB_URL = os.environ.get(
        "SHARED_HUB_URL", ""
    )  # e.g. https://hub/api/{source}/{org}/{period}
    SHARED_HUB_TIMEOUT = float(os.environ.get("SHARED_HUB_TIMEOUT", "5"))
    JOBS_INLINE = False
    API_TITLE = "ReportOnce 只报一次 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret("secret_key")
        self.QR_SIGNING_KEYS = _list("QR_SIGNING_KEYS") or [_local_secret("qr_signing_key")]


class DevelopmentConfig(Config):
    pass


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    HSTS = True

    def __init__(self) -> None:
        for name in ("SECRET_KEY", "QR_SIGNING_KEYS", "DATABASE_URL", "EXTERNAL_BASE_URL"):
            if not os.environ.get(name):
                raise RuntimeError(f"{name} must be set in production")
        super().__init__()


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"
    QR_SIGNING_KEYS = ["test-qr-key-new", "test-qr-key-old"]
    EXTERNAL_BASE_URL = "https://reportonce.example.test"
    TRUSTED_HOSTS = None
    JOBS_INLINE = True  # tests share one connection; run background work in the request
    TIMEZONE = None  # the machine's day; the tests pin it to the run's day (tests/run_day.py)

    def __init__(self) -> None:  # no files written, no environment read
        pass


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_environment() -> Config:
    name = os.environ.get("REPORTONCE_ENV", "development")
    return CONFIGS[name]()
