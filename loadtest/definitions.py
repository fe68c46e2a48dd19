"""What people define, generated and stored through the domain services as on the web:
accounts (in bulk for the fillers), the data element dictionary, shared sources and 100
admitted reports."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from admission.shortcuts import admit_definition
from forms_registry.accounts.models import ApiToken, User
from forms_registry.accounts.passwords import hash_password
from forms_registry.accounts.service import NewUser, create_user
from forms_registry.accounts.tokens import digest, new_secret
from forms_registry.elements.models import DataElement
from forms_registry.elements.service import load_library, load_starter_library
from loadtest.bulk import BulkWriter
from loadtest.shape import Shape
from prefill.sources import bind_element, get_or_create_source

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


def accounts(session: Session, bulk: BulkWriter, orgs: list[dict]) -> dict[str, str]:
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


def elements(session: Session, shape: Shape, rng: random.Random) -> list[str]:
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


def shared_sources(session: Session, codes: list[str]) -> dict[str, int]:
    """Four source systems, each providing a quarter of the shared elements: code → source id."""
    sources = [
        get_or_create_source(session, f"SRC{index}", f"共享数据源{index}") for index in range(1, 5)
    ]
    for index, code in enumerate(codes):
        bind_element(session, sources[index % 4], code, source_field=code.lower())
    return {code: sources[index % 4].id for index, code in enumerate(codes)}


def admitted_reports(
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
