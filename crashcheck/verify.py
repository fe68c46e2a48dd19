"""Verification: what the clients sent and heard against what the database holds."""

from __future__ import annotations

from collections import defaultdict

from crashcheck.clients import Attempt, Cell, Layout
from crashcheck.report import Report
from crashcheck.stored import Baseline, Stored


def verify(
    stored: Stored, layout: Layout, baseline: Baseline, attempts: list[Attempt], report: Report
) -> None:
    """Compare what the clients sent and heard with what the database holds."""
    problems = report.problems
    saves: dict[str, Attempt] = {}  # submission id → its first attempt (resends are alike)
    tries: dict[str, list[Attempt]] = defaultdict(list)
    for attempt in attempts:  # each client's attempts in the order it made them
        saves.setdefault(attempt.submission_id, attempt)
        tries[attempt.submission_id].append(attempt)
    acknowledged = {
        sid for sid, made in tries.items() if any(a.outcome == "acknowledged" for a in made)
    }
    kept = {sid for sid in saves if sid in stored.answers}  # has its submission row
    report.saves, report.requests = len(saves), len(attempts)
    report.acknowledged, report.stored_saves = len(acknowledged), len(kept)
    report.rejected = sum(a.outcome == "rejected" for a in attempts)
    report.in_flight = sum(a.outcome == "unknown" for a in attempts)
    report.resent = len(attempts) - len(saves)
    report.resent_acknowledged = sum(
        tries[sid][0].outcome != "acknowledged" for sid in acknowledged
    )
    answered = sorted(a.seconds for a in attempts if a.status is not None)
    if answered:
        report.save_seconds = (answered[len(answered) // 2], answered[-1])
    lost = [sid for sid in saves if sid not in acknowledged and tries[sid][0].outcome == "unknown"]
    report.unacknowledged = len(lost)
    report.unacknowledged_stored = sum(sid in kept for sid in lost)
    report.unacknowledged_absent = len(lost) - report.unacknowledged_stored
    report.history_rows = sum(len(changes) for changes in stored.history.values())
    report.cells, report.forms = len(stored.cells), len(stored.versions)
    problems += [
        f"save {a.submission_id}: answered {a.status}: {a.detail}"
        for a in attempts
        if a.outcome == "error"
    ]

    # all or nothing, both ways: a submission row exactly when all its values are in history
    written: dict[str, dict[Cell, str]] = defaultdict(dict)
    versions_of: dict[str, set[int]] = defaultdict(set)
    for cell, changes in stored.history.items():
        for form_version, _old, new, sid in changes:
            if cell in written[sid]:
                problems.append(f"save {sid} changed {cell} twice")
            written[sid][cell] = new
            versions_of[sid].add(form_version)
    for sid, save in saves.items():
        sent = {Cell(save.org, key): str(save.value) for key in save.keys}
        got = written.get(sid, {})
        if got != (sent if sid in kept else {}):
            report.partial_saves += 1
            problems.append(
                f"partial save {sid}: {len(got)} of its {len(sent)} values in history, "
                f"submission row {'present' if sid in kept else 'absent'}"
            )
    problems += [f"history rows of a save nobody sent: {sid}" for sid in set(written) - set(saves)]
    problems += [f"submission row nobody sent: {sid}" for sid in set(stored.answers) - set(saves)]

    # acknowledged saves are stored, with the version they were answered (resends replayed)
    for sid in sorted(acknowledged):
        heard = {a.version for a in tries[sid] if a.outcome == "acknowledged"}
        if sid not in kept:
            report.missing_acknowledged += 1
            problems.append(f"acknowledged save {sid} has no submission row")
        elif heard != {stored.answers[sid]["version"]} or versions_of[sid] != heard:
            problems.append(
                f"save {sid}: answered version(s) {sorted(heard)}, submission row "
                f"{stored.answers[sid]['version']}, history {sorted(versions_of[sid])}"
            )
    for sid in kept - acknowledged:
        if any(a.outcome == "rejected" for a in tries[sid]):
            problems.append(f"save {sid} was answered 409 but is stored")

    # every cell holds the last stored save (in its client's order) that wrote it
    expected: dict[Cell, str] = {}
    writers: dict[Cell, int] = defaultdict(int)
    for sid, save in saves.items():
        if sid in kept:
            for key in save.keys:
                expected[Cell(save.org, key)] = sid
                writers[Cell(save.org, key)] += 1
    overwritten = set()
    for cell, sid in expected.items():
        held = stored.cells.get(cell)
        if held is None or held[:2] != (str(saves[sid].value), sid):
            overwritten.add(sid)
            problems.append(f"{cell} holds {held and held[:2]}, not save {sid}'s value")
    report.missing_acknowledged += len(overwritten & acknowledged)
    for cell, held in stored.cells.items():
        if cell not in expected and held[0] != baseline.values.get(cell):
            problems.append(f"{cell} holds {held[0]}, which no stored save wrote")

    # history: one row per stored write, an unbroken chain ending at the cell's value
    for cell, held in stored.cells.items():
        changes = stored.history.get(cell, [])
        previous, last_version = baseline.values.get(cell), None
        for form_version, old, new, _sid in changes:
            if old != previous or (last_version is not None and form_version <= last_version):
                problems.append(f"{cell}: history breaks at version {form_version}")
                break
            previous, last_version = new, form_version
        if changes and (previous, last_version) != (held[0], held[2]):
            problems.append(f"{cell}: history ends at {previous}, the cell holds {held[0]}")
        if len(changes) != writers[cell]:
            problems.append(f"{cell}: {len(changes)} history rows for {writers[cell]} saves")

    # form versions: each stored save raised its form's version by exactly one
    for org, before in layout.versions.items():
        after = stored.versions.get(org, before)
        carried = sorted(v for sid in kept if saves[sid].org == org for v in versions_of[sid])
        if carried != list(range(before + 1, after + 1)):
            problems.append(
                f"form {org}: version {before} → {after}, but its {len(carried)} stored "
                f"saves carry versions {carried[:10]}"
            )
