"""Progress of a provincial task from the agencies' tasks that carry it out (cascading plans):
pure counting, no database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CascadeProgress:
    total: int = 0       # linked tasks of issued agency plans
    accepted: int = 0    # accepted by the agency's office
    overdue: int = 0     # past due and not accepted
    plans: int = 0       # agency plans carrying the task out

    @property
    def ratio(self) -> float | None:
        """Share accepted (None without linked tasks: nothing to measure yet)."""
        return self.accepted / self.total if self.total else None

    @property
    def done(self) -> bool:
        return self.total > 0 and self.accepted == self.total


def summarize(rows: list[tuple[int, str | None, date | None]], today: date) -> CascadeProgress:
    """rows: (plan id, work state, due date) of each linked task; a task without work (its
    plan not issued yet) is not counted: a draft plan promises nothing to the province."""
    counted = [(p, s, d) for p, s, d in rows if s is not None]
    accepted = sum(1 for _, s, _ in counted if s == "accepted")
    overdue = sum(1 for _, s, d in counted if s != "accepted" and d is not None and d < today)
    return CascadeProgress(len(counted), accepted, overdue, len({p for p, _, _ in counted}))
