"""An HTTP JSON adapter for the shared data hub (省大数据总枢纽).

The hub answers one GET per (source, org unit, period) at a URL built from a template such
as ``http://127.0.0.1:8081/hub/{source}/{org}/{period}``:

- ``{source}`` the shared source code (``GA_HUJI``), ``{org}`` the 12-digit org unit code,
  ``{period}`` the period id (``2025-03``, ``2025Q1``, ``2025``);
- 200 with a JSON object whose ``values`` maps data element codes (or the source's own
  field names, as bound in `SharedBinding.source_field`) to values; other keys are ignored::

      {"values": {"POP_REG": 1234, "HH_REG": "456", "PENSION_RATE": 93.5, "DIBAO_P": null}}

  Numbers keep every digit (parsed as Decimal); ``null`` means "no value" and is skipped;
- 404 means the hub has no data for that org unit and period (an empty answer);
- 5xx, timeouts and refused or broken connections are retried; other statuses are not.

`fetch` only talks HTTP; `check_values` checks an answer against the source's bindings and
the data elements' rules.
"""

from __future__ import annotations

import http.client
import json
import socket
import string
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from forms_registry.errors import DomainError, InvalidInput
from prefill.models import SharedSource
from prefill.shared_import import SharedRecord, element_rules
from prefill.values import InvalidValue, canonical, is_blank

PLACEHOLDERS = frozenset({"source", "org", "period"})
MAX_BODY_BYTES = 1_000_000
NOTHING_STORED = "本次未更新任何数据"


class HubUnavailable(DomainError):
    """The hub could not be reached or would not answer; nothing was stored."""


@dataclass(frozen=True)
class HubSettings:
    url_template: str
    timeout: float = 5.0  # seconds, per attempt
    retries: int = 2  # further attempts after the first
    backoff: float = 0.2  # seconds before the first retry, doubled each time

    def __post_init__(self) -> None:
        if not self.url_template.lower().startswith(("http://", "https://")):
            raise InvalidInput("共享数据平台地址须以 http:// 或 https:// 开头")
        try:
            fields = string.Formatter().parse(self.url_template)
            names = {name for _, name, _, _ in fields if name is not None}
        except ValueError as exc:
            raise InvalidInput("共享数据平台地址模板的花括号不成对") from exc
        if not names <= PLACEHOLDERS:
            unknown = "、".join(f"{{{name}}}" for name in sorted(names - PLACEHOLDERS))
            raise InvalidInput(
                f"共享数据平台地址模板只能含 {{source}}、{{org}}、{{period}}：{unknown}"
            )
        if self.timeout <= 0 or self.retries < 0 or self.backoff < 0:
            raise InvalidInput("超时须大于 0，重试次数和等待时间不能为负数")

    def url(self, source_code: str, org_code: str, period: str) -> str:
        return self.url_template.format(
            source=quote(source_code, safe=""),
            org=quote(org_code, safe=""),
            period=quote(period, safe=""),
        )


@dataclass(frozen=True)
class CheckedValues:
    records: list[SharedRecord]
    ignored: int  # values for data elements this source is not bound to


class _Retryable(Exception):
    """One failed attempt that may succeed later; `reason` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def fetch(
    settings: HubSettings,
    source_code: str,
    org_code: str,
    period: str,
    *,
    source_name: str | None = None,
) -> dict[str, object]:
    """The hub's values for one org unit and period: {element code or field name: value}."""
    label = source_name or source_code
    url = settings.url(source_code, org_code, period)
    attempts = settings.retries + 1
    for attempt in range(attempts):
        try:
            body = _get(url, settings.timeout, label)
        except _Retryable as failure:
            if attempt + 1 == attempts:
                raise HubUnavailable(
                    f"共享数据平台暂时无法访问（{label}：{failure.reason}），"
                    f"{NOTHING_STORED}，请稍后重试",
                    details={"行政区划代码": org_code, "尝试次数": str(attempts)},
                ) from failure
            time.sleep(settings.backoff * 2**attempt)
            continue
        return {} if body is None else _values(body, label, org_code)
    raise AssertionError("unreachable")


def _get(url: str, timeout: float, label: str) -> bytes | None:
    """The body of a 200 answer, None for a 404; raises _Retryable or HubUnavailable."""
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "ReportOnce"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(MAX_BODY_BYTES + 1)
    except urllib.error.HTTPError as error:
        error.close()
        if error.code == 404:
            return None
        if error.code >= 500:
            raise _Retryable(f"HTTP {error.code}") from error
        raise HubUnavailable(
            f"共享数据平台拒绝了请求（{label}：HTTP {error.code}），{NOTHING_STORED}，"
            "请检查接口地址和权限"
        ) from error
    except urllib.error.URLError as error:
        raise _Retryable(_reason(error.reason)) from error
    except (OSError, http.client.HTTPException) as error:
        raise _Retryable(_reason(error)) from error
    if len(body) > MAX_BODY_BYTES:
        raise InvalidInput(f"共享数据平台返回的数据过大（{label}），{NOTHING_STORED}")
    return body


def _reason(error: object) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "连接超时"
    if isinstance(error, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(error, socket.gaierror):
        return "找不到服务器地址"
    if isinstance(error, ConnectionError | http.client.HTTPException):
        return "连接中断"
    return f"网络错误 {error}"


def _values(body: bytes, label: str, org_code: str) -> dict[str, object]:
    try:
        document = json.loads(body.decode("utf-8"), parse_float=Decimal)
    except (UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(
            f"共享数据平台返回的不是有效的 JSON（{label}，{org_code}），{NOTHING_STORED}"
        ) from exc
    values = document.get("values") if isinstance(document, dict) else None
    if not isinstance(values, dict):
        raise InvalidInput(
            f'共享数据平台返回的数据格式不对（{label}，{org_code}）：应为 {{"values": {{…}}}}，'
            f"{NOTHING_STORED}"
        )
    return values


def check_values(
    source: SharedSource, org_code: str, period: str, values: dict[str, object]
) -> CheckedValues:
    """Canonical records for the elements bound to `source`; InvalidInput names the org unit
    and every element whose value breaks its rules."""
    bindings = {}
    for binding in source.bindings:
        bindings[binding.element.code] = binding
        bindings.setdefault(binding.source_field, binding)
    records: dict[str, SharedRecord] = {}
    errors: dict[str, str] = {}
    ignored = 0
    for key, raw in values.items():
        binding = bindings.get(key)
        if binding is None:
            ignored += 1
            continue
        element = binding.element
        if is_blank(raw):
            continue
        if element.code in records or element.code in errors:
            errors[element.code] = f"{element.code}（{element.name}）重复出现"
            continue
        try:
            records[element.code] = SharedRecord(
                org_code, period, element.code, canonical(raw, element_rules(element))
            )
        except InvalidValue as error:
            errors[element.code] = f"{element.code}（{element.name}）{error}"
    if errors:
        raise InvalidInput(
            f"共享数据平台返回的数据有误（{source.name}，{org_code}：{'；'.join(errors.values())}），"
            f"{NOTHING_STORED}"
        )
    return CheckedValues(list(records.values()), ignored)
