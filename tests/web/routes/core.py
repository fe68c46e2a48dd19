"""The routes of the foundation, registry, admission and collection capabilities."""

from __future__ import annotations

from sqlalchemy import select

from admission.models import Admission
from forms_registry.reports.models import Report
from tests.web.routes import (
    DUE_MONTH,
    LOGIN,
    OTHER_ORG,
    OTHER_REPORT,
    OWN_ORG,
    OWN_REPORT,
    everyone,
    only,
    statuses,
)

ORG_SCOPED = {"reviewer": 200, "owner": 200, "filler": (200, 404), "township": (200, 404)}

EXPECTED: dict[tuple[str, str], dict[str, tuple[int, int]]] = {
    ("static", "GET"): everyone(200),
    ("api-docs.openapi_json", "GET"): everyone(200),
    ("main.index", "GET"): everyone(200, LOGIN),
    ("main.healthz", "GET"): everyone(200),
    ("main.me", "GET"): everyone(200, LOGIN),
    ("auth.login", "GET"): everyone(200),
    ("auth.login", "POST"): everyone(422),
    ("auth.logout", "POST"): everyone(302, LOGIN),
    ("orgs.tree", "GET"): statuses(LOGIN, reviewer=200, owner=200, filler=302, township=302),
    ("orgs.detail", "GET"): statuses(LOGIN, **ORG_SCOPED),
    ("orgs.import_csv", "GET"): only({"reviewer": 200}),
    ("orgs.import_csv", "POST"): only({"reviewer": 422}),
    ("elements.index", "GET"): only({"reviewer": 200, "owner": 200}),
    ("elements.proposals", "GET"): only({"reviewer": 200}),
    ("elements.detail", "GET"): only({"reviewer": 200, "owner": 200}),
    ("elements.new", "GET"): only({"reviewer": 200}),
    ("elements.new", "POST"): only({"reviewer": 422}),
    ("elements.edit", "GET"): only({"reviewer": 200}),
    ("elements.edit", "POST"): only({"reviewer": 422}),
    ("elements.approve", "POST"): only({"reviewer": 409}),
    ("elements.reject", "POST"): only({"reviewer": 409}),
    ("reports.index", "GET"): only({"reviewer": 200, "owner": 200}),
    ("reports.upload", "GET"): only({"owner": 200}),
    ("reports.upload", "POST"): only({"owner": 422}),
    ("reports.create_blank", "POST"): only({"owner": 422}),
    ("reports.detail", "GET"): only({"reviewer": 200, "owner": (200, 404)}),
    ("reports.confirm_mapping", "POST"): only({"owner": (409, 404)}),
    ("reports.add", "POST"): only({"owner": (422, 404)}),
    ("reports.delete_field", "POST"): only({"owner": (409, 404)}),
    ("reports.propose", "POST"): only({"owner": (422, 404)}),
    ("reports.revise", "POST"): only({"owner": (302, 404)}),  # R0005 is frozen (applied for)
    ("admissions.apply", "GET"): only({"owner": (200, 404)}),
    ("admissions.apply", "POST"): only({"owner": (422, 404)}),
    ("admissions.index", "GET"): only({"reviewer": 200, "owner": 200}),
    ("admissions.detail", "GET"): only({"reviewer": 200, "owner": (200, 404)}),
    ("admissions.approve_view", "POST"): only({"reviewer": 409}),
    ("admissions.reject_view", "POST"): only({"reviewer": 409}),
    ("admissions.return_view", "POST"): only({"reviewer": 409}),
    ("admissions.revoke_view", "POST"): only({"reviewer": 422}),
    ("public.verify_code", "GET"): everyone(200),
    ("public.qr_image_png", "GET"): everyone(200),
    ("public.qr_image_svg", "GET"): everyone(200),
    ("public.notice", "GET"): everyone(200),
    ("public.register", "GET"): everyone(200),
    ("fill.start", "GET"): only({"filler": 302, "township": 302}),
    ("fill.due", "GET"): only({"filler": 200, "township": 200}),
    ("fill.form", "GET"): only({"filler": (200, 404), "township": (200, 404)}),
    ("fill.form", "POST"): only({"filler": (302, 404), "township": (302, 404)}),
    ("report_views.show", "GET"): only(
        {"reviewer": 200, "owner": 200, "filler": (200, 404), "township": (200, 404)}
    ),
    ("shared.index", "GET"): only({"reviewer": 200}),
    ("shared.upload", "POST"): only({"reviewer": 422}),
    ("shared.refresh", "POST"): only({"reviewer": 409}),  # no hub configured in tests
    ("shared.job", "GET"): only({"reviewer": 404}),
    ("collection_api.Due", "GET"): only(
        {"reviewer": 200, "filler": (200, 404), "township": (200, 404)}, 401
    ),
    ("collection_api.Form", "GET"): only(
        {"reviewer": 200, "filler": (200, 404), "township": (200, 404)}, 401
    ),
    ("collection_api.Values", "PUT"): only({"filler": (422, 404), "township": (422, 404)}, 401),
    ("admissions_api.Admissions", "GET"): everyone(200),
    ("admissions_api.AdmissionStanding", "GET"): everyone(200),
    ("me.Me", "GET"): everyone(200, 401),
    ("orgs_api.Org", "GET"): statuses(401, **ORG_SCOPED),
    ("elements_api.Elements", "GET"): only({"reviewer": 200, "owner": 200}, 401),
    ("elements_api.Elements", "POST"): only({"reviewer": 422}, 401),
    ("elements_api.Element", "GET"): only({"reviewer": 200, "owner": 200}, 401),
    ("elements_api.Element", "PUT"): only({"reviewer": 422}, 401),
    ("reports_api.Reports", "GET"): only({"reviewer": 200, "owner": 200}, 401),
    ("reports_api.ReportDetail", "GET"): only({"reviewer": 200, "owner": (200, 404)}, 401),
    ("reports_api.Merge", "GET"): only({"reviewer": 422}, 401),
}


def _report(db_session, code: str) -> Report:
    return db_session.scalar(select(Report).where(Report.code == code))


def _admission(db_session, report_code: str) -> Admission:
    return db_session.scalar(
        select(Admission).where(
            Admission.version.has(report_id=_report(db_session, report_code).id)
        )
    )


def _report_args(db_session, code: str) -> dict:
    return {"code": code, "field_id": _report(db_session, code).latest.fields[0].id}


def arguments(rule, db_session) -> tuple[dict, dict]:
    """URL arguments from the caller's own scope and from outside it."""
    prefix = rule.endpoint.split(".")[0]
    approved = _admission(db_session, OTHER_REPORT)  # approved and valid in the demo
    if rule.endpoint == "admissions.detail":
        own = {"admission_id": _admission(db_session, OWN_REPORT).id}
        other = {"admission_id": approved.id}
    elif "admission_id" in rule.arguments:
        own = other = {"admission_id": approved.id}
    elif prefix in ("public", "admissions_api"):
        own = other = {"code": approved.code}
    elif prefix in ("reports", "reports_api", "admissions"):
        own, other = _report_args(db_session, OWN_REPORT), _report_args(db_session, OTHER_REPORT)
    elif prefix == "shared":
        own = other = {"code": "GA_HUJI"}
    elif prefix in ("elements", "elements_api"):
        own = other = {"code": "POP_REG"}
    else:
        own, other = {"code": OWN_ORG}, {"code": OTHER_ORG}
    if prefix in ("fill", "collection_api", "report_views") and "org_code" in rule.arguments:
        own, other = {"org_code": OWN_ORG}, {"org_code": OTHER_ORG}
    monthly_admitted = "R0007"  # 县民政局's monthly report, admitted in the demo
    report_code = monthly_admitted if rule.endpoint == "report_views.show" else OWN_REPORT
    extra = {
        "filename": "app.css",
        "report_code": report_code,
        "month": DUE_MONTH,
        "job_id": 999999,
    }
    return own | extra, other | extra
