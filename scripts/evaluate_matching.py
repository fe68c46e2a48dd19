"""Score the label -> data element matcher against truth files.

    .venv/bin/python scripts/evaluate_matching.py [--proposing] [DIR ...]

Each DIR holds templates and a truth.json (samples/reports format). Without arguments it
scores the shared samples and the held-out set (tests/data/heldout). With --proposing the
templates arrive in order and each column nothing fits is proposed as the new element
offered, which later templates are matched to (see evaluation `evaluate_directory`).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from forms_registry.matching.catalog import load_starter_catalog  # noqa: E402
from forms_registry.matching.evaluation import (  # noqa: E402
    ColumnResult,
    Evaluation,
    evaluate_directory,
)
from tests.samples_path import SAMPLES  # noqa: E402

DEFAULT_DIRS = (SAMPLES / "reports", ROOT / "tests" / "data" / "heldout")


def _column(column: ColumnResult) -> str:
    got = column.element or (f"[{column.role}]" if column.role else "None")
    return f"{column.template} «{column.label}» truth={column.concept} got={got}"


def report(directory: Path, evaluation: Evaluation) -> str:
    pairs, roles = evaluation.pairs, evaluation.roles
    lines = [
        f"== {directory}",
        f"precision {pairs.precision:.3f}  recall {pairs.recall:.3f}  F1 {pairs.f1:.3f}"
        f"  (pairs: {pairs.true_positives} right, {pairs.false_positives} wrongly joined,"
        f" {pairs.false_negatives} missed)",
        f"role accuracy {roles.accuracy:.3f}  ({roles.correct}/{roles.total} columns)",
    ]
    for pair in pairs.wrong_pairs:
        what = "JOINED, differ" if pair.kind == "false_positive" else "MISSED, same  "
        lines.append(f"  {what}: {_column(pair.first)}  <->  {_column(pair.second)}")
    for column in roles.wrong:
        lines.append(f"  WRONG ROLE: {_column(column)}")
    for column in evaluation.missing:
        lines.append(f"  NOT IMPORTED: {column.template} «{column.label}»")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    proposing = "--proposing" in argv
    directories = [Path(arg) for arg in argv if arg != "--proposing"] or list(DEFAULT_DIRS)
    catalog = load_starter_catalog()
    for directory in directories:
        print(report(directory, evaluate_directory(directory, catalog, proposing=proposing)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
