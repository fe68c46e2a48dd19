"""A province's worth of data: 14 cities, about 120 counties, 1,900 townships and 29,000
villages; 100 admitted reports over 1,500 data elements; shared data for 20 elements of
every village (about 600,000 values); and the month before the load month submitted by
every village and township.

What people define (elements, reports, admissions) goes through the domain services, as on
the web; what there is a lot of (org units, accounts, values, history) is written in bulk.
`scale` shrinks the org tree (tests run it at a few dozen villages); the reports and the
dictionary keep their size."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from admission.collection import form_plan
from admission.shortcuts import admit_definition
from app.database import writer
from forms_registry.accounts.models import ApiToken, User
from forms_registry.accounts.passwords import hash_password
from forms_registry.accounts.service import NewUser, create_user
from forms_registry.accounts.tokens import digest, new_secret
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import load_library, load_starter_library
from forms_registry.merge import MergedField
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from loadtest.answers import sample_answer
from loadtest.bulk import BATCH, BulkWriter
from prefill.models import DataValue, FormState, SharedValue, Submission, ValueChange
from prefill.sources import bind_element, get_or_create_source
from prefill.store import rules_for_field
from prefill.values import canonical

SEED = 20261128
CITY_NAMES = [
    "长沙",
    "株洲",
    "湘潭",
    "衡阳",
    "邵阳",
    "岳阳",
    "常德",
    "张家界",
    "益阳",
    "郴州",
    "永州",
    "怀化",
    "娄底",
    "湘西",
]
SYLLABLES = [
    "东",
    "西",
    "南",
    "北",
    "中",
    "新",
    "青",
    "石",
    "桥",
    "河",
    "岭",
    "山",
    "塘",
    "坪",
    "田",
    "溪",
    "湖",
    "江",
    "源",
    "峰",
    "林",
    "竹",
    "桃",
    "花",
    "龙",
    "凤",
    "安",
    "和",
    "兴",
    "福",
]
DEPARTMENTS = [
    "省民政厅",
    "省人力资源和社会保障厅",
    "省农业农村厅",
    "省卫生健康委",
    "省教育厅",
    "省住房和城乡建设厅",
    "省应急管理厅",
    "省退役军人事务厅",
    "省乡村振兴局",
    "省自然资源厅",
    "省统计局",
    "省公安厅",
    "省司法厅",
    "省妇联",
    "省残联",
    "省医保局",
    "省林业局",
    "省水利厅",
    "省文化和旅游厅",
    "省委组织部",
]
FILLER_PASSWORD = "province-filler"  # one hash for every generated filler: scrypt is slow
FREQUENCY_OF_PROVINCE_REPORT = ("monthly", "quarterly", "yearly")
FREQUENCY_OF_CITY_REPORT = ("monthly", "monthly", "monthly", "quarterly", "yearly")
COMMON_ELEMENTS = 300  # asked by many reports (population, assistance, land …)
COMMON_PER_REPORT = 8
SPECIFIC_PER_REPORT = 12  # each report's own questions
PROVINCE_WIDE_REPORTS = 30


@dataclass(frozen=True)
class Shape:
    cities: int = 14
    counties: int = 120
    townships: int = 1900
    villages: int = 29000
    reports: int = 100
    elements: int = 1500
    shared_elements: int = 20

    @classmethod
    def scaled(cls, scale: float) -> Shape:
        """Fewer counties, townships and villages; still every city, so each village's form
        holds as many reports as at full size."""
        full = cls()
        counties = max(full.cities, round(full.counties * scale))
        townships = max(counties, round(full.townships * scale))
        return cls(
            counties=counties,
            townships=townships,
            villages=max(townships, round(full.villages * scale)),
        )


@dataclass(frozen=True)
class Province:
    """What the load test needs to know about the generated data."""

    load_month: Period
    tokens: dict[str, str]  # township code → its filler's bearer token
    villages: dict[str, list[str]]  # township code → its villages' codes
    counts: dict[str, int]

    def work(self) -> list[tuple[str, str]]:
        """(the township filler's token, village code) for every village."""
        return [
            (self.tokens[township], village)
            for township, villages in self.villages.items()
            for village in villages
        ]


def spread(total: int, parents: int) -> list[int]:
    """`total` children over `parents` as evenly as possible."""
    return [total // parents + (1 if index < total % parents else 0) for index in range(parents)]


def build_province(engine: Engine, shape: Shape, *, today: date) -> Province:
    rng = random.Random(SEED)
    load_month = Period.containing(today, "monthly").previous()
    bulk = BulkWriter(engine)
    with Session(writer(engine)) as session:
        orgs = _org_rows(shape, rng)
        bulk.write(OrgUnit.__table__, orgs)
        tokens = _accounts(session, bulk, orgs)
        codes = _elements(session, shape, rng)
        shared = _shared_sources(session, codes[: shape.shared_elements])
        _admitted_reports(session, shape, codes, rng, today)
        session.commit()
        counts = {"org units": len(orgs), "elements": len(codes), "reports": shape.reports}
        counts["shared values"] = _shared_values(session, bulk, orgs, shared, today, rng)
        counts |= _earlier_month(session, bulk, orgs, load_month.previous(), today, rng)
    villages: dict[str, list[str]] = {}
    by_id = {row["id"]: row for row in orgs}
    for row in orgs:
        if row["level"] == "village":
            villages.setdefault(by_id[row["parent_id"]]["code"], []).append(row["code"])
    return Province(load_month, tokens, villages, counts)


def _name(rng: random.Random, suffix: str) -> str:
    return "".join(rng.sample(SYLLABLES, 2)) + suffix


def _org_rows(shape: Shape, rng: random.Random) -> list[dict]:
    rows = [_org(1, "430000000000", "湖南省", "province", None)]

    def add(code: str, name: str, level: str, parent: dict) -> dict:
        row = _org(len(rows) + 1, code, name, level, parent["id"])
        rows.append(row)
        return row

    counties = iter(spread(shape.counties, shape.cities))
    townships = iter(spread(shape.townships, shape.counties))
    villages = iter(spread(shape.villages, shape.townships))
    for c in range(1, shape.cities + 1):
        city = add(f"43{c:02d}00000000", f"{CITY_NAMES[c - 1]}市", "city", rows[0])
        for k in range(1, next(counties) + 1):
            county = add(f"{city['code'][:4]}{k:02d}000000", _name(rng, "县"), "county", city)
            for t in range(1, next(townships) + 1):
                code = f"{county['code'][:6]}{100 + t:03d}000"
                township = add(code, _name(rng, "镇"), "township", county)
                for v in range(1, next(villages) + 1):
                    add(f"{code[:9]}{200 + v:03d}", _name(rng, "村"), "village", township)
    return rows


def _org(id_: int, code: str, name: str, level: str, parent_id: int | None) -> dict:
    return {"id": id_, "code": code, "name": name, "level": level, "parent_id": parent_id}


def _accounts(session: Session, bulk: BulkWriter, orgs: list[dict]) -> dict[str, str]:
    """A reviewer, an owner per department, a filler (with an API token) per township."""
    create_user(session, NewUser("reviewer", "province-reviewer", "reviewer", "省数据局审核员"))
    for index, name in enumerate(DEPARTMENTS, start=1):
        create_user(
            session,
            NewUser(
                f"owner{index:02d}", "province-owner", "owner", f"{name}联络员", department=name
            ),
        )
    session.commit()
    first_id = session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) + 1
    session.commit()
    password = hash_password(FILLER_PASSWORD)
    now = datetime.now(UTC)
    townships = [row for row in orgs if row["level"] == "township"]
    users, tokens, secrets = [], [], {}
    for offset, row in enumerate(townships):
        user_id = first_id + offset
        users.append(
            {
                "id": user_id,
                "username": f"t{row['code'][:9]}",
                "display_name": f"{row['name']}填报员",
                "password_hash": password,
                "role": "filler",
                "org_unit_id": row["id"],
                "active": True,
                "created_at": now,
            }
        )
        secrets[row["code"]] = new_secret("ro_")
        tokens.append(
            {"token_hash": digest(secrets[row["code"]]), "user_id": user_id, "created_at": now}
        )
    bulk.write(User.__table__, users)
    bulk.write(ApiToken.__table__, tokens, with_ids=False)
    return secrets


def _elements(session: Session, shape: Shape, rng: random.Random) -> list[str]:
    """The starter library plus generated elements up to `shape.elements`: the common ones
    first (the first of them shared), then every report's own."""
    load_starter_library(session)
    starter = list(session.scalars(select(DataElement).order_by(DataElement.id)))
    generated = [
        {
            "code": f"GEN_{index:04d}",
            "name": f"专项工作指标{index:04d}",
            "value_type": rng.choice(("integer", "integer", "integer", "decimal")),
            "kind": rng.choice(("stock", "flow")),
            "stability": rng.choice(("period", "period", "yearly")),
            "unit": "个",
            "min": "0",
            "category": "专项工作",
        }
        for index in range(1, shape.elements - len(starter) + 1)
    ]
    load_library(session, generated)
    shareable = [e.code for e in starter if e.value_type == "integer" and e.kind == "stock"]
    others = [e.code for e in starter if e.code not in shareable[: shape.shared_elements]]
    return shareable[: shape.shared_elements] + others + [entry["code"] for entry in generated]


def _shared_sources(session: Session, codes: list[str]) -> dict[str, int]:
    """Four source systems, each providing a quarter of the shared elements: code → source id."""
    sources = [
        get_or_create_source(session, f"SRC{index}", f"共享数据源{index}") for index in range(1, 5)
    ]
    for index, code in enumerate(codes):
        bind_element(session, sources[index % 4], code, source_field=code.lower())
    return {code: sources[index % 4].id for index, code in enumerate(codes)}


def _admitted_reports(
    session: Session, shape: Shape, codes: list[str], rng: random.Random, today: date
) -> None:
    owners = {
        user.department.name: user
        for user in session.scalars(select(User).where(User.role == "owner"))
    }
    reviewer = session.scalar(select(User).where(User.role == "reviewer"))
    common, specific = codes[:COMMON_ELEMENTS], codes[COMMON_ELEMENTS:]
    started = today - timedelta(days=400)
    for index in range(shape.reports):
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        if index < PROVINCE_WIDE_REPORTS:
            scope = "430000000000"
            frequency = FREQUENCY_OF_PROVINCE_REPORT[index % 3]
        else:
            city = (index - PROVINCE_WIDE_REPORTS) % shape.cities + 1
            scope = f"43{city:02d}00000000"
            frequency = FREQUENCY_OF_CITY_REPORT[(index - PROVINCE_WIDE_REPORTS) // 14 % 5]
        own = specific[index * SPECIFIC_PER_REPORT : (index + 1) * SPECIFIC_PER_REPORT]
        elements = rng.sample(common, COMMON_PER_REPORT) + own
        definition = {
            "title": f"{department.removeprefix('省')}基层情况{index + 1:03d}号报表",
            "frequency": frequency,
            "level": "township" if index % 10 == 9 else "village",
            "owner": department,
            "fields": [{"label": f"{code}情况", "element": code} for code in elements],
        }
        admit_definition(
            session,
            definition,
            owner=owners[department],
            reviewer=reviewer,
            scope=scope,
            valid_from=started,
            valid_to=today + timedelta(days=1000),
        )


def _shared_values(
    session: Session,
    bulk: BulkWriter,
    orgs: list[dict],
    shared: dict[str, int],
    today: date,
    rng: random.Random,
) -> int:
    """Last year's figure of every shared element for every village."""
    ids = dict(session.execute(select(DataElement.code, DataElement.id)).all())
    year = Period.containing(today, "yearly").previous().id
    session.commit()
    fetched = datetime.now(UTC)
    rows = (
        {
            "source_id": source_id,
            "org_unit_id": org["id"],
            "period": year,
            "element_id": ids[code],
            "value": str(rng.randint(0, 3000)),
            "fetched_at": fetched,
        }
        for org in orgs
        if org["level"] == "village"
        for code, source_id in shared.items()
    )
    return bulk.write(SharedValue.__table__, rows, with_ids=False)


def _earlier_month(
    session: Session,
    bulk: BulkWriter,
    orgs: list[dict],
    month: Period,
    today: date,
    rng: random.Random,
) -> dict[str, int]:
    """Every village's and township's form of `month` as submitted: the form and its
    submission record, then each answer (entered, or the shared value as submission stores
    it) with its history row, streamed in batches (a full province is millions of answers)."""
    filler_of = dict(
        session.execute(select(User.org_unit_id, User.id).where(User.role == "filler")).all()
    )
    ids = dict(session.execute(select(DataElement.code, DataElement.id)).all())
    shared = {
        (org_id, element_id): value
        for org_id, element_id, value in session.execute(
            select(SharedValue.org_unit_id, SharedValue.element_id, SharedValue.value)
        )
    }
    at = datetime.combine(today.replace(day=1) - timedelta(days=20), time(10), tzinfo=UTC)
    groups = list(_forms_by_schema(session, orgs, month, today))
    session.commit()
    questions = {  # per merged form: what answering each field needs, worked out once
        id(fields): [
            (field.period, ids[field.element], field.to_json(), rules_for_field(field))
            for field in fields
        ]
        for fields, _ in groups
    }
    forms = [
        (org, filler_of[org["id"] if org["level"] == "township" else org["parent_id"]], fields)
        for fields, group in groups
        for org in group
    ]
    submissions = [str(uuid.UUID(int=rng.getrandbits(128))) for _ in forms]
    bulk.write(
        FormState.__table__,
        (
            {"id": number, "org_unit_id": org["id"], "month": month.id, "version": 1}
            | {"status": "submitted", "submitted_at": at, "submitted_by_id": filler}
            | {"updated_at": at}
            for number, (org, filler, _) in enumerate(forms, start=1)
        ),
    )
    bulk.write(
        Submission.__table__,
        (
            {"id": submission, "form_id": number, "body_hash": "0" * 64, "status_code": 200}
            | {"response": {"version": 1, "status": "submitted"}, "created_at": at}
            for number, submission in enumerate(submissions, start=1)
        ),
        with_ids=False,
    )

    def answers() -> Iterator[tuple[dict, dict]]:
        value_id = 0
        for (org, filler, fields), submission in zip(forms, submissions, strict=True):
            written = {"changed_by_id": filler, "changed_at": at, "form_version": 1}
            written["submission_id"] = submission
            for period, element_id, question, rules in questions[id(fields)]:
                value_id += 1
                text = shared.get((org["id"], element_id))
                source = "shared" if text else "entered"
                text = text or canonical(sample_answer(question, rng), rules)
                yield (
                    {"id": value_id, "org_unit_id": org["id"], "period": period}
                    | {"element_id": element_id, "value": text, "source": source}
                    | written,
                    {"data_value_id": value_id, "new_value": text, "new_source": source} | written,
                )

    stored = 0
    stream = answers()
    while batch := list(islice(stream, BATCH)):
        stored += bulk.write(DataValue.__table__, (value for value, _ in batch))
        bulk.write(ValueChange.__table__, (change for _, change in batch), with_ids=False)
    return {"forms submitted": len(forms), "values submitted": stored}


def _forms_by_schema(
    session: Session, orgs: list[dict], month: Period, today: date
) -> Iterator[tuple[list[MergedField], list[dict]]]:
    """The org units grouped by their merged form (which depends on the city and level
    only), with that form's fields, merged by the same code the app uses."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for org in orgs:
        if org["level"] in ("village", "township"):
            groups.setdefault((org["code"][:4], org["level"]), []).append(org)
    for group in groups.values():
        sample = session.get(OrgUnit, group[0]["id"])
        yield list(form_plan(session, sample, month, today).schema.fields), group
