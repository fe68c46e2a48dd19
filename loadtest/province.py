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
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.database import writer
from forms_registry.orgs.models import OrgUnit
from forms_registry.periods import Period
from loadtest.bulk import BulkWriter
from loadtest.definitions import accounts, admitted_reports, elements, shared_sources
from loadtest.history import earlier_month, shared_values
from loadtest.org_tree import org_rows
from loadtest.shape import Shape

SEED = 20261128


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


def build_province(engine: Engine, shape: Shape, *, today: date) -> Province:
    rng = random.Random(SEED)
    load_month = Period.containing(today, "monthly").previous()
    bulk = BulkWriter(engine)
    with Session(writer(engine)) as session:
        orgs = org_rows(shape, rng)
        bulk.write(OrgUnit.__table__, orgs)
        tokens = accounts(session, bulk, orgs)
        codes = elements(session, shape, rng)
        shared = shared_sources(session, codes[: shape.shared_elements])
        admitted_reports(session, shape, codes, rng, today)
        session.commit()
        counts = {"org units": len(orgs), "elements": len(codes), "reports": shape.reports}
        counts["shared values"] = shared_values(session, bulk, orgs, shared, today, rng)
        counts |= earlier_month(session, bulk, orgs, load_month.previous(), today, rng)
    villages: dict[str, list[str]] = {}
    by_id = {row["id"]: row for row in orgs}
    for row in orgs:
        if row["level"] == "village":
            villages.setdefault(by_id[row["parent_id"]]["code"], []).append(row["code"])
    return Province(load_month, tokens, villages, counts)
