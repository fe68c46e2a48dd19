"""Saving answers to a merged form (SPEC.md *Versions*): per-field conflicts against the
version the client read, idempotent submission ids, all-or-nothing, one history row per
changed value, exact decimals."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from forms_registry.db import inline_in
from forms_registry.errors import Conflict, InvalidInput
from forms_registry.merge import MergedField, MergedSchema
from forms_registry.orgs.models import OrgUnit
from prefill.forms import lock_form
from prefill.models import DataValue, FormState, Submission, ValueChange
from prefill.new_answers import NewAnswer, insert_new_answers
from prefill.reduction import reduction_of_sources
from prefill.resolution import Prefilled, element_ids, prefill
from prefill.values import InvalidValue, ValueRules, canonical, is_blank, to_json_value


class VersionConflict(Conflict):
    """Fields the client writes were changed by someone after the version it read."""

    def __init__(self, conflicts: list[dict]) -> None:
        super().__init__("数据已被他人修改，请核对后重新提交")
        self.conflicts = conflicts


@dataclass(frozen=True)
class SaveRequest:
    submission_id: str
    version: int
    values: dict[str, object]
    submit: bool = False

    def body_hash(self) -> str:
        body = {"version": self.version, "values": self.values, "submit": self.submit}
        return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Actor:
    user_id: int
    name: str


def rules_for_field(field: MergedField) -> ValueRules:
    return ValueRules(field.value_type, field.minimum, field.maximum, field.choices)


def save_answers(
    session: Session,
    *,
    org: OrgUnit,
    schema: MergedSchema,
    request: SaveRequest,
    actor: Actor,
    now: datetime,
    today: date,
    due: date | None,
    elements: Mapping[str, Row] | None = None,
) -> dict:
    """`elements`: code → (id, code, stability) of the schema's elements, when the caller
    has them (the form plan does); read here otherwise."""
    state = lock_form(session, org, schema.month.id, now=now)
    replay = _replay(session, state, request)
    if replay is not None:
        return replay
    if state.status == "submitted" and due is not None and today > due:
        raise Conflict(
            f"已过截止日（{due}），已提交的报表不能再修改", details={"form": "已过截止日"}
        )
    elements = elements or element_ids(session, [field.element for field in schema.fields])
    before = prefill(session, org, schema.fields, elements)
    prefilled = {item.field.key: item for item in before}
    parsed = _parse(request.values, prefilled)
    current = _stored(session, org, prefilled, elements)
    _check_conflicts(parsed, current, request.version)
    if request.submit:
        _check_required(parsed, prefilled, current)
    changes = _changes(parsed, prefilled, current, elements)
    if request.submit:
        changes |= _shared_answers(parsed, prefilled, current, elements)
    _apply(session, org, list(changes.values()), state, request, actor, now)
    if changes or (request.submit and state.status != "submitted"):
        state.version += 1
    if request.submit:
        state.status, state.submitted_at, state.submitted_by_id = "submitted", now, actor.user_id
    state.updated_at = now
    response = {
        "version": state.version,
        "status": state.status,
        "changed": len(changes),
        "reduction": reduction_of_sources(schema, _sources_after(before, changes)),
    }
    session.add(
        Submission(
            id=request.submission_id,
            form_id=state.id,
            body_hash=request.body_hash(),
            response=response,
            status_code=200,
            created_at=now,
        )
    )
    session.flush()
    return response


def _sources_after(before: list[Prefilled], changes: dict[str, _Change]) -> list[str | None]:
    """Where the form's values come from once this save is applied (for 减填率), without
    reading it again."""
    return [
        changes[item.field.key].source if item.field.key in changes else item.source
        for item in before
    ]


def _replay(session: Session, state: FormState, request: SaveRequest) -> dict | None:
    previous = session.get(Submission, request.submission_id)
    if previous is None:
        return None
    if previous.form_id == state.id and previous.body_hash == request.body_hash():
        return previous.response
    raise Conflict(
        "该提交编号已用于不同的内容",
        details={"submission_id": "该提交编号已用于不同的内容，请生成新的编号"},
    )


def _parse(values: dict[str, object], prefilled: dict[str, Prefilled]) -> dict[str, str]:
    errors: dict[str, str] = {}
    parsed: dict[str, str] = {}
    for key, raw in values.items():
        item = prefilled.get(key)
        if item is None:
            errors[key] = "表中没有该字段"
        elif item.locked:
            if not is_blank(raw) and _same(raw, item):
                continue  # sending the shared value back unchanged is harmless
            errors[key] = "该项由共享数据提供（免填），不能修改"
        elif not is_blank(raw):
            try:
                parsed[key] = canonical(raw, rules_for_field(item.field))
            except InvalidValue as error:
                errors[key] = str(error)
    if errors:
        raise InvalidInput("部分数据有误，未保存", details=errors)
    return parsed


def _same(raw: object, item: Prefilled) -> bool:
    try:
        return canonical(raw, rules_for_field(item.field)) == item.value
    except InvalidValue:
        return False


def _stored(session, org, prefilled, elements) -> dict[str, DataValue]:
    wanted = {
        (elements[prefilled[key].field.element].id, prefilled[key].field.period): key
        for key in prefilled
    }
    rows = (
        session.scalars(
            select(DataValue).where(
                DataValue.org_unit_id == org.id,
                inline_in(DataValue.period, {period for _, period in wanted}),
                inline_in(DataValue.element_id, {element_id for element_id, _ in wanted}),
            )
        )
        if wanted
        else []
    )
    return {
        wanted[(row.element_id, row.period)]: row
        for row in rows
        if (row.element_id, row.period) in wanted
    }


def _check_conflicts(parsed: dict[str, str], current: dict[str, DataValue], version: int) -> None:
    conflicts = [
        {
            "element": key,
            "yours": parsed[key],
            "theirs": row.value,
            "by": row.changed_by.display_name if row.changed_by else None,
            "at": row.changed_at.isoformat(),
        }
        for key, row in current.items()
        if key in parsed and row.form_version > version and row.value != parsed[key]
    ]
    if conflicts:
        raise VersionConflict(conflicts)


def _check_required(parsed, prefilled, current) -> None:
    missing = {
        key: "必填项，请填写"
        for key, item in prefilled.items()
        if item.field.required
        and key not in parsed
        and key not in current
        and item.source != "shared"
    }
    if missing:
        raise InvalidInput("还有必填项未填写，未提交", details=missing)


@dataclass(frozen=True)
class _Change:
    """One answer to write: into its stored row, or a new row when `row` is None."""

    row: DataValue | None
    element_id: int
    period: str
    text: str
    source: str


def _changes(parsed, prefilled, current, elements) -> dict[str, _Change]:
    changes: dict[str, _Change] = {}
    for key, text in parsed.items():
        item = prefilled[key]
        row = current.get(key)
        if row is not None and row.value == text:
            continue
        element_id = elements[item.field.element].id
        changes[key] = _Change(row, element_id, item.field.period, text, _source(item, text, row))
    return changes


def _source(item: Prefilled, text: str, row: DataValue | None) -> str:
    """A suggested (carried) or shared value sent back unchanged keeps where it came from."""
    if row is None and text == item.value and item.source in ("carried", "shared"):
        return item.source
    return "entered"


def _shared_answers(parsed, prefilled, current, elements) -> dict[str, _Change]:
    """On submission the shared values the form showed become answers too, so every report
    (and every export) reads them from the one store."""
    return {
        key: _Change(None, elements[item.field.element].id, item.field.period, item.value, "shared")
        for key, item in prefilled.items()
        if item.source == "shared"
        and not item.stored
        and key not in current
        and key not in parsed  # a correctable shared value the filler corrected: theirs
    }


def _apply(
    session: Session,
    org: OrgUnit,
    changes: list[_Change],
    state: FormState,
    request: SaveRequest,
    actor: Actor,
    now: datetime,
) -> None:
    """New answers inserted in bulk, changed ones updated in place, and one history row
    for each."""
    written = {
        "changed_by_id": actor.user_id,
        "changed_at": now,
        "form_version": state.version + 1,
        "submission_id": request.submission_id,
    }
    insert_new_answers(
        session,
        org.id,
        [
            NewAnswer(change.element_id, change.period, change.text, change.source)
            for change in changes
            if change.row is None
        ],
        written,
    )
    history = []
    for change in changes:
        row = change.row
        if row is None:
            continue
        history.append(
            {"data_value_id": row.id, "old_value": row.value, "old_source": row.source}
            | {"new_value": change.text, "new_source": change.source}
        )
        row.value, row.source, row.changed_by_id, row.changed_at = (
            change.text,
            change.source,
            actor.user_id,
            now,
        )
        row.form_version, row.submission_id = written["form_version"], request.submission_id
    if history:
        session.execute(insert(ValueChange), [entry | written for entry in history])


def json_values(prefilled: list[Prefilled]) -> dict[str, object]:
    return {item.field.key: to_json_value(item.value, item.field.value_type) for item in prefilled}
