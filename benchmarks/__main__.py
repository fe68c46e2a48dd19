"""`python -m benchmarks [NAME ...]`: run every benchmark module (or the named ones) and
print machine facts, a table of figures and their ratios to same-run baselines."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence

from benchmarks import Result, benchmark_modules


def machine_facts() -> list[str]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cpus = f"{os.cpu_count()} CPUs" + (f" ({usable} usable)" if usable is not None else "")
    return [
        f"Machine: {cpus}, {platform.machine() or 'unknown architecture'}",
        f"Python:  {platform.python_implementation()} {platform.python_version()}",
        f"System:  {platform.platform()}",
    ]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.2f} ms"


def format_table(results: Sequence[Result]) -> list[str]:
    headers = ("benchmark", "median", "per second", "baseline", "baseline median", "ratio")
    rows = [
        (
            r.name,
            f"{_ms(r.figure)}/{r.unit}",
            f"{r.per_second:,.1f}",
            r.baseline_name,
            _ms(r.baseline_figure),
            f"{r.ratio:,.1f}x",
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    right = {1, 2, 4, 5}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if i in right else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="workload size factor (default: 1.0)"
    )
    args = parser.parse_args(argv)

    print(*machine_facts(), sep="\n")
    if args.scale != 1.0:
        print(f"Scale:   {args.scale} (figures not comparable with a full run)")
    print()
    started = time.perf_counter()
    results: list[Result] = []
    for module in benchmark_modules(args.names or None):
        name = module.__name__.rpartition(".")[2]
        print(f"running {name} ...", end=" ", flush=True)
        module_started = time.perf_counter()
        results.extend(module.run(scale=args.scale))
        print(f"{time.perf_counter() - module_started:.1f} s", flush=True)

    print()
    print(*format_table(results), sep="\n")
    print()
    print("ratio = median time of the benchmark / median time of its baseline, same run:")
    width = max((len(f"{r.ratio:,.1f}") for r in results), default=0)
    for r in results:
        print(f"  {r.ratio:>{width},.1f}x  {r.name}: {r.explanation}")
    print()
    print(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
