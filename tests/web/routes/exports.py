"""The routes of department exports (数据回流 downloads and the data API).

The matrix sends no query string, so a caller allowed to export gets 422 (no period
chosen); an owner asking for another department's report gets 404 first."""

from __future__ import annotations

from tests.web.routes import OTHER_REPORT, OWN_REPORT, only

EXPECTED: dict[tuple[str, str], dict[str, tuple[int, int]]] = {
    ("exports.download", "GET"): only({"reviewer": 422, "owner": (422, 404)}),
    ("exports_api.ReportData", "GET"): only({"reviewer": 422, "owner": (422, 404)}, 401),
}


def _reports(rule, db_session) -> tuple[dict, dict]:
    return {"code": OWN_REPORT}, {"code": OTHER_REPORT}


ARGUMENTS = {"exports": _reports, "exports_api": _reports}
