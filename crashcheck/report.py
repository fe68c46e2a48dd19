"""The report of a check: counts, the database checks run, and every problem found."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Report:
    backend: str
    rounds: int
    clients: int
    kills: int = 0
    kills_mid_request: int = 0
    restart_seconds: float = 0.0  # mean time from a kill to the replacement serving
    saves: int = 0  # distinct submission ids sent
    requests: int = 0
    acknowledged: int = 0  # saves answered 200 (at least once)
    rejected: int = 0  # 409 answers
    in_flight: int = 0  # requests whose connection broke: outcome unknown to the client
    resent: int = 0  # of those, sent again under the same submission id
    resent_acknowledged: int = 0  # saves whose acknowledgement came from a resend
    unacknowledged: int = 0  # saves never answered 200 (their answers were lost)
    unacknowledged_stored: int = 0  # of those, stored whole anyway (killed after commit)
    unacknowledged_absent: int = 0  # of those, absent without a trace (rolled back)
    save_seconds: tuple[float, float] = (0.0, 0.0)  # median and slowest answered request
    partial_saves: int = 0
    missing_acknowledged: int = 0
    stored_saves: int = 0
    history_rows: int = 0
    cells: int = 0
    forms: int = 0
    checks: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems and self.partial_saves == 0 and self.missing_acknowledged == 0

    def summary(self) -> str:
        lines = [
            f"crash check on {self.backend}: {self.rounds} rounds, {self.kills} workers killed "
            f"with SIGKILL ({self.kills_mid_request} in the middle of a request), "
            f"{self.clients} clients; a replacement served after {self.restart_seconds:.2f} s "
            "on average",
            f"saves: {self.saves} sent in {self.requests} requests, {self.acknowledged} "
            f"acknowledged ({self.resent_acknowledged} on a resend under the same id), "
            f"{self.rejected} answered 409 (after an answer was lost), {self.in_flight} "
            f"answers lost in flight ({self.resent} resent); answered in "
            f"{self.save_seconds[0]:.2f} s (median), {self.save_seconds[1]:.2f} s (slowest)",
            f"unacknowledged saves: {self.unacknowledged} ({self.unacknowledged_stored} stored "
            f"whole, {self.unacknowledged_absent} absent)",
            f"partial saves: {self.partial_saves}; acknowledged saves missing: "
            f"{self.missing_acknowledged}; stored saves checked: {self.stored_saves}; history "
            f"rows: {self.history_rows}; cells: {self.cells}; forms: {self.forms}",
            "database checks: " + "; ".join(self.checks),
            f"problems: {len(self.problems)}",
            *(f"  - {problem}" for problem in self.problems[:50]),
            f"took {self.seconds:.1f} s — {'OK' if self.ok else 'FAILED'}",
        ]
        return "\n".join(lines)
