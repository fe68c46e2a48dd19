"""Signed verification links and the QR codes that carry them.

The link is EXTERNAL_BASE_URL + /v/<code>?s=<signature>; the signature is an HMAC of the
admission code under the newest QR key. Older keys still verify, so printed codes survive
a key rotation. The link carries no login and no token."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
from collections.abc import Sequence
from urllib.parse import quote

import qrcode
import qrcode.image.svg

SIGNATURE_BYTES = 16


def signature(code: str, key: str) -> str:
    digest = hmac.new(key.encode(), f"admission:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).rstrip(b"=").decode()


def verify(code: str, candidate: str | None, keys: Sequence[str]) -> bool:
    if not candidate:
        return False
    return any(hmac.compare_digest(signature(code, key), candidate) for key in keys)


def verification_url(base_url: str, code: str, keys: Sequence[str]) -> str:
    return f"{base_url.rstrip('/')}/v/{quote(code)}?s={signature(code, keys[0])}"


def _qr(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(url)
    code.make(fit=True)
    return code


def qr_png(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    _qr(url).make_image(image_factory=qrcode.image.svg.SvgPathImage).save(buffer)
    return buffer.getvalue()
