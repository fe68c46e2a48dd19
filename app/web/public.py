"""What anyone may see without logging in: QR verification, QR images, the printable
admission notice and the public register of admitted reports (目录清单)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import select

from admission.models import Admission
from admission.qr import qr_png, qr_svg, verify
from admission.queries import admission_by_code
from app import clock
from app.admission_settings import signed_link
from app.database import get_session
from app.permissions import PUBLIC, allow
from forms_registry.accounts.models import Department
from forms_registry.errors import NotFound
from forms_registry.reports.models import FREQUENCY_NAMES, Report, ReportVersion

blueprint = Blueprint("public", __name__)

STANDING_TEXT = {
    "valid": "有效",
    "revoked": "已撤销",
    "expired": "已过期",
    "not_yet_valid": "尚未生效",
    "invalid": "无效",
}


@blueprint.get("/v/<code>")
@allow(PUBLIC)
def verify_code(code: str):
    """The page a scanned QR code opens: a forged, altered, revoked or expired code says so."""
    admission = None
    standing = "invalid"
    if verify(code, request.args.get("s"), current_app.config["QR_SIGNING_KEYS"]):
        try:
            admission = admission_by_code(get_session(), code)
        except NotFound:
            admission = None
        if admission is not None:
            standing = admission.standing_on(clock.today())
            standing = "invalid" if standing == "not_admitted" else standing
    return render_template(
        "public/verify.html",
        admission=admission if standing != "invalid" else None,
        standing=standing,
        standing_text=STANDING_TEXT[standing],
        code=code,
    )


def _approved(code: str) -> Admission:
    admission = admission_by_code(get_session(), code)
    if admission.code is None:
        raise NotFound("未找到该准入编号")
    return admission


@blueprint.get("/admissions/<code>/qr.png")
@allow(PUBLIC)
def qr_image_png(code: str):
    admission = _approved(code)
    return Response(qr_png(signed_link(admission.code)), mimetype="image/png")


@blueprint.get("/admissions/<code>/qr.svg")
@allow(PUBLIC)
def qr_image_svg(code: str):
    admission = _approved(code)
    return Response(qr_svg(signed_link(admission.code)), mimetype="image/svg+xml")


@blueprint.get("/admissions/<code>/notice")
@allow(PUBLIC)
def notice(code: str):
    admission = _approved(code)
    return render_template(
        "public/notice.html",
        admission=admission,
        standing_text=STANDING_TEXT[admission.standing_on(clock.today())],
        link=signed_link(admission.code),
    )


@blueprint.get("/register")
@allow(PUBLIC)
def register():
    """目录清单: admitted reports with search and filters (valid today by default)."""
    db = get_session()
    query = request.args.get("q", "").strip()
    department = request.args.get("department", "").strip()
    frequency = request.args.get("frequency", "").strip()
    show = request.args.get("show", "valid")
    statement = (
        select(Admission)
        .where(Admission.code.is_not(None))
        .order_by(Admission.year, Admission.sequence)
    )

    def of_report(criterion):
        return Admission.version.has(ReportVersion.report.has(criterion))

    if query:
        statement = statement.where(
            of_report(Report.title.contains(query, autoescape=True))
            | Admission.code.icontains(query, autoescape=True)
        )
    if department:
        statement = statement.where(of_report(Report.department.has(Department.name == department)))
    if frequency in FREQUENCY_NAMES:
        statement = statement.where(of_report(Report.frequency == frequency))
    today = clock.today()
    admissions = [
        admission
        for admission in db.scalars(statement)
        if show == "all" or admission.standing_on(today) == "valid"
    ]
    return render_template(
        "public/register.html",
        admissions=admissions,
        today=today,
        standing_text=STANDING_TEXT,
        departments=list(db.scalars(select(Department.name).order_by(Department.name))),
        frequencies=FREQUENCY_NAMES,
        query=query,
        department=department,
        frequency=frequency,
        show=show,
    )
