"""Admission codes: an ASCII id (HN-2025-0012) and its human form (湘基准〔2025〕12号)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from admission.models import Admission


@dataclass(frozen=True)
class CodeStyle:
    prefix: str = "HN"
    display_prefix: str = "湘基准"

    def code(self, year: int, sequence: int) -> str:
        return f"{self.prefix}-{year}-{sequence:04d}"

    def display(self, year: int, sequence: int) -> str:
        return f"{self.display_prefix}〔{year}〕{sequence}号"


def next_sequence(session: Session, year: int) -> int:
    current = session.scalar(select(func.max(Admission.sequence)).where(Admission.year == year))
    return (current or 0) + 1
