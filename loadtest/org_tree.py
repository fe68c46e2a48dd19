"""The generated org tree: a province, its cities, counties, townships and villages, with
12-digit codes in the national pattern and plausible names, as rows for a bulk insert."""

from __future__ import annotations

import random

from loadtest.shape import Shape, spread

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


def _name(rng: random.Random, suffix: str) -> str:
    return "".join(rng.sample(SYLLABLES, 2)) + suffix


def org_rows(shape: Shape, rng: random.Random) -> list[dict]:
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
