"""The routes of the Excel round trip for fillers (download and upload the merged form)."""

from __future__ import annotations

from tests.web.routes import DUE_MONTH, OTHER_ORG, OWN_ORG, only

FILLERS = {"filler": (200, 404), "township": (200, 404)}

EXPECTED: dict[tuple[str, str], dict[str, tuple[int, int]]] = {
    ("excel.download", "GET"): only(FILLERS),
    # the matrix posts only a CSRF token: no file is a 422
    ("excel.upload", "POST"): only({"filler": (422, 404), "township": (422, 404)}),
}


def arguments(_rule, _db_session) -> tuple[dict, dict]:
    return (
        {"org_code": OWN_ORG, "month": DUE_MONTH},
        {"org_code": OTHER_ORG, "month": DUE_MONTH},
    )


ARGUMENTS = {"excel": arguments}
