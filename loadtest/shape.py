"""How big a generated province is: the full one, or a smaller org tree for quick runs."""

from __future__ import annotations

from dataclasses import dataclass


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


def spread(total: int, parents: int) -> list[int]:
    """`total` children over `parents` as evenly as possible."""
    return [total // parents + (1 if index < total % parents else 0) for index in range(parents)]
