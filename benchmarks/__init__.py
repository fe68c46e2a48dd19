"""Benchmarks for `make bench`: speed as ratios against a baseline measured in the same run.

Absolute figures depend on the machine; the ratio to a baseline doing the least work any
implementation must do (on the same data, timed alternately with the subject) does not,
or much less. Every public module of this package is one benchmark exposing
`run(scale: float = 1.0, repeats: int = ...) -> list[Result]`; `python -m benchmarks`
finds and runs them all, so adding a benchmark is adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from types import ModuleType

__all__ = ["Result", "benchmark_modules"]


@dataclass(frozen=True)
class Result:
    """One timed workload next to its baseline; figures are median seconds per operation."""

    name: str
    figure: float
    unit: str  # what one operation is: "merge", "import"
    baseline_name: str
    baseline_figure: float
    explanation: str  # one line: what the ratio means

    @property
    def ratio(self) -> float:
        """Subject time over baseline time: how many baselines one operation costs."""
        return self.figure / self.baseline_figure

    @property
    def per_second(self) -> float:
        return 1.0 / self.figure

    @property
    def baseline_per_second(self) -> float:
        return 1.0 / self.baseline_figure


def benchmark_modules(names: list[str] | None = None) -> list[ModuleType]:
    """The benchmark modules of this package (all public ones, or those `names`), sorted."""
    available = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )
    unknown = sorted(set(names or ()) - set(available))
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(unknown)}; have {', '.join(available)}")
    chosen = [name for name in available if not names or name in names]
    return [importlib.import_module(f"{__name__}.{name}") for name in chosen]
