"""The `make bench` workloads still run: each benchmark module, at a tiny size and one
sample, returns results with positive figures. Behaviour only, never speed (and the
database benchmark on SQLite only, so no PostgreSQL server is started)."""

from __future__ import annotations

import pytest

from benchmarks import Result, _timing, benchmark_modules
from benchmarks.__main__ import format_table

MODULES = benchmark_modules()
TINY_OPTIONS = {"benchmarks.collection": {"backends": ("sqlite",)}}


def test_every_benchmark_module_is_found() -> None:
    names = {module.__name__ for module in MODULES}
    assert {"benchmarks.collection", "benchmarks.merge", "benchmarks.template_import"} <= names


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_benchmark_runs_at_tiny_scale(module, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_timing, "MIN_SAMPLE_SECONDS", 0.0)  # one call a sample

    results = module.run(scale=0.02, repeats=1, **TINY_OPTIONS.get(module.__name__, {}))

    assert results
    for result in results:
        assert isinstance(result, Result)
        assert result.figure > 0
        assert result.baseline_figure > 0
        assert result.ratio > 0
        assert result.name and result.baseline_name and result.explanation
    assert len(format_table(results)) == len(results) + 2
