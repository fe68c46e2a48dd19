"""Measure the matcher against a truth file (samples/reports/truth.json format).

Pairwise scores: over all element columns of all templates, a pair of columns is
*predicted-same* when both got the same non-null element and *truly-same* when they
share the truth concept. Identity and filler columns (ORG_NAME, ORG_CODE, META) take no
part in pairs; they are scored by role accuracy, as is every element column (which must
get no role). Everything here is pure except `evaluate_directory`, which reads the files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from pathlib import Path

from forms_registry.importers.model import ImportedField, ImportedReport
from forms_registry.importers.reading import read_template
from forms_registry.matching.catalog import CatalogElement
from forms_registry.matching.matcher import FieldMatch, match_report
from forms_registry.matching.proposals import proposals_for
from forms_registry.matching.roles import META, ORG_CODE, ORG_NAME

TRUTH_FILE = "truth.json"
ROLE_OF_CONCEPT = {"ORG_NAME": ORG_NAME, "ORG_CODE": ORG_CODE, "META": META}


@dataclass(frozen=True)
class ColumnResult:
    template: str
    label: str
    concept: str  # the truth concept
    element: str | None  # the predicted element
    role: str | None  # the predicted role
    found: bool = True  # False when the importer produced no field with this label

    @property
    def expected_role(self) -> str | None:
        return ROLE_OF_CONCEPT.get(self.concept)


@dataclass(frozen=True)
class WrongPair:
    kind: str  # "false_positive" (joined but different) | "false_negative" (same but not joined)
    first: ColumnResult
    second: ColumnResult


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int
    wrong_pairs: tuple[WrongPair, ...]


@dataclass(frozen=True)
class RoleScores:
    accuracy: float
    correct: int
    total: int
    wrong: tuple[ColumnResult, ...]


@dataclass(frozen=True)
class Evaluation:
    pairs: PairScores
    roles: RoleScores
    columns: tuple[ColumnResult, ...]

    @property
    def missing(self) -> tuple[ColumnResult, ...]:
        return tuple(column for column in self.columns if not column.found)


def align(
    template: str,
    truth_columns: Sequence[Mapping[str, str]],
    fields: Sequence[ImportedField],
    matches: Sequence[FieldMatch],
    frequency: str | None = None,
) -> list[ColumnResult]:
    """Pair each truth column with the field of the same label (the n-th truth column of a
    label with the n-th field of that label). A figure worked out from an element is its
    own: a to-date total (本年累计) is the same only as another of a report of the same
    `frequency` (January to March is a quarterly report's, January to the month a
    monthly one's)."""
    by_label: dict[str, list[FieldMatch]] = {}
    for field, match in zip(fields, matches, strict=True):
        by_label.setdefault(field.label.strip(), []).append(match)
    results = []
    for column in truth_columns:
        label = column["label"].strip()
        queue = by_label.get(label)
        match = queue.pop(0) if queue else None
        results.append(
            ColumnResult(
                template=template,
                label=label,
                concept=column["concept"],
                element=_figure(match, frequency) if match else None,
                role=match.role if match else None,
                found=match is not None,
            )
        )
    return results


def _figure(match: FieldMatch, frequency: str | None) -> str | None:
    if match.element is None or match.derivation is None:
        return match.element
    return f"{match.element}@{match.derivation}:{frequency}"


def pair_scores(columns: Sequence[ColumnResult]) -> PairScores:
    element_columns = [column for column in columns if column.expected_role is None]
    true_positives = false_positives = false_negatives = 0
    wrong: list[WrongPair] = []
    for first, second in combinations(element_columns, 2):
        truly_same = first.concept == second.concept
        predicted_same = first.element is not None and first.element == second.element
        if truly_same and predicted_same:
            true_positives += 1
        elif predicted_same:
            false_positives += 1
            wrong.append(WrongPair("false_positive", first, second))
        elif truly_same:
            false_negatives += 1
            wrong.append(WrongPair("false_negative", first, second))
    precision = _ratio(true_positives, true_positives + false_positives)
    recall = _ratio(true_positives, true_positives + false_negatives)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(
        precision=precision,
        recall=recall,
        f1=f1,
        true_positives=true_positives,
        false_positives=false_positives,
        false_negatives=false_negatives,
        wrong_pairs=tuple(wrong),
    )


def role_scores(columns: Sequence[ColumnResult]) -> RoleScores:
    """Every column must get its expected role: the right one for an identity or filler
    column, none for an element column."""
    wrong = tuple(column for column in columns if column.role != column.expected_role)
    total = len(columns)
    return RoleScores(
        accuracy=_ratio(total - len(wrong), total),
        correct=total - len(wrong),
        total=total,
        wrong=wrong,
    )


def evaluate(columns: Sequence[ColumnResult]) -> Evaluation:
    return Evaluation(
        pairs=pair_scores(columns), roles=role_scores(columns), columns=tuple(columns)
    )


def evaluate_directory(
    directory: Path, catalog: Sequence[CatalogElement], *, proposing: bool = False
) -> Evaluation:
    """Import every template named in `directory/truth.json`, match it, and score it.

    With `proposing`, the templates arrive one after another as reports do: for each column
    nothing fits, its owner proposes the new element offered (matching.proposals), and
    later templates are matched against the dictionary and every proposal before them."""
    truth = json.loads((directory / TRUTH_FILE).read_text(encoding="utf-8"))
    known = list(catalog)
    columns: list[ColumnResult] = []
    for filename, entry in truth.items():
        report = read_template((directory / filename).read_bytes(), filename)
        matches = match_report(report, known)
        if proposing:
            matches = _propose(report, matches, known)
        columns.extend(align(filename, entry["columns"], report.fields, matches, report.frequency))
    return evaluate(columns)


def _propose(
    report: ImportedReport, matches: list[FieldMatch], known: list[CatalogElement]
) -> list[FieldMatch]:
    """Add the offered proposals to `known`; each proposing column is mapped to its own."""
    proposals = proposals_for(report, matches, known)
    codes = {position: f"NEW_{len(known) + number}" for number, position in enumerate(proposals)}
    known.extend(proposal.as_element(codes[position]) for position, proposal in proposals.items())
    return [
        replace(match, element=codes[position], derivation=None) if position in codes else match
        for position, match in enumerate(matches)
    ]


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0
