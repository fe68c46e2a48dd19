"""Fillers' landing: what is due now (the merged form builds on this)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select

from admission.due import reports_due
from app import clock
from app.database import get_session
from app.permissions import allow, signed_in_user
from forms_registry.orgs.models import OrgUnit

blueprint = Blueprint("fill", __name__)


@blueprint.get("/fill/<report_code>")
@allow("filler")
def start(report_code: str):
    """Where a scanned QR code's 去填报 leads after login."""
    return redirect(url_for("fill.due", report=report_code))


@blueprint.get("/due")
@allow("filler")
def due():
    user = signed_in_user()
    org = user.org_unit
    units = [org] + list(
        get_session().scalars(
            select(OrgUnit).where(OrgUnit.parent_id == org.id).order_by(OrgUnit.code)
        )
    )
    today = clock.today()
    rows = [(unit, item) for unit in units for item in reports_due(get_session(), unit, today)]
    return render_template(
        "fill/due.html", rows=rows, highlight=request.args.get("report"), today=today
    )
