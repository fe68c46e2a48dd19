"""The routes of what the one collection gives back: progress, 数据回流, burden dashboard."""

from __future__ import annotations

from tests.web.routes import OTHER_ORG, OTHER_REPORT, OWN_ORG, only

OWN_ADMITTED_REPORT = "R0007"  # 县民政局's monthly report, admitted in the demo

EXPECTED: dict[tuple[str, str], dict[str, tuple[int, int]]] = {
    ("outputs.progress_index", "GET"): only({"reviewer": 200, "owner": 200}),
    ("outputs.progress", "GET"): only({"reviewer": 200, "owner": (200, 404)}),
    ("outputs.org_values", "GET"): only(
        {"reviewer": 200, "filler": (200, 404), "township": (200, 404)}
    ),
    ("outputs.dashboard", "GET"): only({"reviewer": 200}),
}


def arguments(rule, db_session) -> tuple[dict, dict]:
    """Own scope: the demo owner's admitted report and the demo filler's village; other:
    another department's report and a village of another township."""
    return (
        {"code": OWN_ADMITTED_REPORT, "org_code": OWN_ORG},
        {"code": OTHER_REPORT, "org_code": OTHER_ORG},
    )


ARGUMENTS = {"outputs": arguments}
