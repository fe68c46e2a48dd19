"""Admission settings from the configuration, and the signed verification link."""

from __future__ import annotations

from decimal import Decimal

from flask import current_app

from admission.codes import CodeStyle
from admission.findings import BurdenSettings
from admission.qr import verification_url


def code_style() -> CodeStyle:
    config = current_app.config
    return CodeStyle(
        prefix=config["ADMISSION_CODE_PREFIX"], display_prefix=config["ADMISSION_DISPLAY_PREFIX"]
    )


def burden_settings() -> BurdenSettings:
    return BurdenSettings(minutes_per_field=Decimal(current_app.config["BURDEN_MINUTES_PER_FIELD"]))


def signed_link(code: str) -> str:
    """Built from EXTERNAL_BASE_URL, never from the request's Host header."""
    config = current_app.config
    return verification_url(config["EXTERNAL_BASE_URL"], code, config["QR_SIGNING_KEYS"])
