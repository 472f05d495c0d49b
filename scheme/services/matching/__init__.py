"""The office's matching (マッチング).

- problem.py, candidates.py, solver.py: the pure core on plain dataclasses (no Django), which
  bench/matching.py uses as it is: `solve(Problem(...)) -> Solution`.
- runs.py: the database side: `run_matching`, `set_pin`, `remove_pin`. Imported on first
  use, so the core stays importable without Django's settings."""

from .problem import ApplicationIn, Candidate, OfferIn, Outcome, Problem, Solution
from .solver import solve

__all__ = [
    "ApplicationIn",
    "Candidate",
    "OfferIn",
    "Outcome",
    "Problem",
    "Solution",
    "remove_pin",
    "run_matching",
    "set_pin",
    "solve",
]


def __getattr__(name):
    if name in ("run_matching", "set_pin", "remove_pin", "MatchingRefused"):
        from . import runs

        return getattr(runs, name)
    raise AttributeError(name)
