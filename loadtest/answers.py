"""A plausible, valid answer for any field of a merged form, from the field as the form API
gives it (type, limits, choices), so the generator and the load client fill forms alike."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal


def sample_answer(field: dict, rng: random.Random) -> object:
    """A JSON value the PUT values API accepts for this field."""
    kind = field["type"]
    if kind in ("choice", "multi_choice"):
        values = [choice["value"] for choice in field["choices"] or ()]
        if kind == "choice":
            return rng.choice(values)
        return rng.sample(values, rng.randint(1, len(values)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "text":
        return rng.choice(("正常", "已完成", "无异常", "按计划推进"))
    if kind == "date":
        return (date(2026, 1, 1) + timedelta(days=rng.randrange(300))).isoformat()
    low = Decimal(field["min"]) if field.get("min") is not None else Decimal(0)
    high = Decimal(field["max"]) if field.get("max") is not None else low + 5000
    if kind == "integer":
        return rng.randint(int(low), int(min(high, low + 5000)))
    hundredths = rng.randint(int(low * 100), int(min(high, low + 5000) * 100))
    return str(Decimal(hundredths) / 100)
