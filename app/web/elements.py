"""The data element dictionary pages (指标库)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.database import get_session
from app.permissions import allow
from app.web.element_forms import ElementDecisionForm, ElementForm, choices_text, units_text
from forms_registry.elements.service import (
    ElementInput,
    approve_proposal,
    categories,
    create_element,
    get_element,
    list_elements,
    reject_proposal,
    update_element,
    usage_counts,
)
from forms_registry.errors import Conflict, InvalidInput
from forms_registry.reports.usage import reports_using

blueprint = Blueprint("elements", __name__, url_prefix="/elements")


@blueprint.get("/")
@allow("reviewer", "owner")
def index():
    db = get_session()
    query = request.args.get("q", "").strip()
    category = request.args.get("category", "").strip()
    elements = list_elements(db, query=query or None, category=category or None)
    return render_template(
        "elements/index.html",
        elements=elements,
        counts=usage_counts(db),
        categories=categories(db),
        query=query,
        category=category,
        proposals=len(list_elements(db, status="proposed")),
    )


@blueprint.get("/proposals")
@allow("reviewer")
def proposals():
    db = get_session()
    return render_template(
        "elements/proposals.html",
        elements=list_elements(db, status="proposed"),
        form=ElementDecisionForm(),
    )


@blueprint.get("/<code>")
@allow("reviewer", "owner")
def detail(code: str):
    db = get_session()
    element = get_element(db, code)
    return render_template(
        "elements/detail.html", element=element, reports=reports_using(db, element)
    )


def _save(form: ElementForm, action):
    """Run `action(ElementInput)`; on a domain error put its messages on the form's fields."""
    db = get_session()
    try:
        element = action(ElementInput.from_mapping(form.to_mapping()))
    except (InvalidInput, Conflict) as error:
        db.rollback()
        if not error.details:
            form.form_errors.append(error.message)
        for key, message in error.details.items():
            getattr(form, key, form.code).errors.append(message)
        return None, 409 if isinstance(error, Conflict) else 422
    db.commit()
    return element, 200


@blueprint.route("/new", methods=["GET", "POST"])
@allow("reviewer")
def new():
    form = ElementForm()
    status = 200
    if form.validate_on_submit():
        element, status = _save(form, lambda data: create_element(get_session(), data))
        if element is not None:
            flash(f"已新增指标 {element.code} {element.name}")
            return redirect(url_for("elements.detail", code=element.code))
    elif form.is_submitted():
        status = 422
    return render_template("elements/edit.html", form=form, element=None), status


@blueprint.route("/<code>/edit", methods=["GET", "POST"])
@allow("reviewer")
def edit(code: str):
    db = get_session()
    element = get_element(db, code)
    form = ElementForm()
    status = 200
    if form.validate_on_submit():
        expected = int(form.version.data or 0)
        saved, status = _save(
            form, lambda data: update_element(db, code, data, expected_version=expected)
        )
        if saved is not None:
            flash(f"已保存指标 {saved.code}")
            return redirect(url_for("elements.detail", code=saved.code))
    elif form.is_submitted():
        status = 422
    else:
        _fill(form, element)
    return render_template("elements/edit.html", form=form, element=element), status


def _fill(form: ElementForm, element) -> None:
    form.code.data = element.code
    form.name.data = element.name
    form.aliases.data = "\n".join(element.aliases or [])
    form.value_type.data = element.value_type
    form.unit.data = element.unit or ""
    form.also_counted_in.data = units_text(element.also_counted_in)
    form.kind.data = element.kind
    form.stability.data = element.stability
    form.choices.data = choices_text(element.choices)
    form.minimum.data = element.minimum
    form.maximum.data = element.maximum
    form.category.data = element.category
    form.parent.data = element.parent.code if element.parent else ""
    form.description.data = element.description
    form.version.data = str(element.version)


@blueprint.post("/<code>/approve")
@allow("reviewer")
def approve(code: str):
    ElementDecisionForm()
    db = get_session()
    element = approve_proposal(db, code)
    db.commit()
    flash(f"已批准新指标 {element.code} {element.name}，已加入指标库")
    return redirect(url_for("elements.proposals"))


@blueprint.post("/<code>/reject")
@allow("reviewer")
def reject(code: str):
    ElementDecisionForm()
    db = get_session()
    reject_proposal(db, code)
    db.commit()
    flash(f"已驳回新指标提议 {code}")
    return redirect(url_for("elements.proposals"))
