"""A health check's verdict: the ``Check``s made and the ``HealthReport`` of a run."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    value: float | int | str | None
    limit: float | int | str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "value": _rounded(self.value),
            "limit": _rounded(self.limit),
            "message": self.message,
        }


def _rounded(value: float | int | str | None) -> float | int | str | None:
    return round(value, 4) if isinstance(value, float) else value


@dataclass(frozen=True)
class HealthReport:
    ok: bool
    checks: list[Check]
    skipped: dict[str, str] = field(default_factory=dict)
    """Checks that did not apply to this run, with the reason."""
    run_id: int | None = None
    source: str | None = None
    mode: str | None = None
    recovered: bool = False
    """Healthy, after the newsroom's previous checked run was not."""
    checked_at: str | None = None

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def with_check(self, check: Check) -> HealthReport:
        return dataclasses.replace(self, checks=[*self.checks, check], ok=self.ok and check.ok)

    def summary(self) -> str:
        """One line: the verdict and the names of the failed checks."""
        run = f"run {self.run_id} ({self.source}, {self.mode})" if self.run_id else "run"
        if self.ok:
            extra = f", {len(self.skipped)} not applicable" if self.skipped else ""
            back = " (recovered)" if self.recovered else ""
            n = len(self.checks)
            return f"{run}: healthy{back}, {n} check{'s' if n != 1 else ''} passed{extra}"
        names = ", ".join(c.name for c in self.failed)
        return f"{run}: UNHEALTHY, {len(self.failed)} of {len(self.checks)} checks failed: {names}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "mode": self.mode,
            "ok": self.ok,
            "recovered": self.recovered,
            "summary": self.summary(),
            "checked_at": self.checked_at,
            "failed": [c.name for c in self.failed],
            "checks": [c.as_dict() for c in self.checks],
            "skipped": dict(self.skipped),
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)
