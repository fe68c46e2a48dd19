"""Select options for WTForms (3.3 wants SelectChoice objects, not tuples)."""

from __future__ import annotations

from collections.abc import Iterable

from wtforms.fields.choices import SelectChoice


def select_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]
