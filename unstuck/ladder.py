"""The unsticking ladder: on each stuck verdict, climb one rung.

``learn`` (the default): nudge → LoRA update (up to ``max_updates`` times) → give up.
``reflect`` (``--no-learn``): the same ladder with every update replaced by a reflection (Reflexion).
``sample``: every update replaced by sampled attempts for the same wall-clock (the baseline that
test-time training must beat). ``retry``: verdicts are recorded, nothing else happens (what agents
do today). Progress (fewer failing tests than ever before) starts the ladder again from the bottom.

A reflect rung before the first update cost three turns and, with the embedded model, never got a
run unstuck on the knowledge-gap bench (reflect 0/6 there); the first update now comes one verdict
earlier.
"""

from __future__ import annotations

STRATEGIES = ("retry", "reflect", "learn", "sample")
NUDGE, REFLECT, LEARN, SAMPLE, GIVE_UP, NONE = "nudge", "reflect", "learn", "sample", "give-up", "none"
_INSTEAD_OF_UPDATE = {"learn": LEARN, "reflect": REFLECT, "sample": SAMPLE}


class Ladder:
    """Which rung comes next."""

    def __init__(self, strategy: str = "learn", max_updates: int = 3) -> None:
        if strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {strategy!r}; choose one of {', '.join(STRATEGIES)}")
        self.strategy = strategy
        self.max_updates = max_updates
        self.climbed = 0
        self.updates = 0

    def rungs(self) -> list[str]:
        if self.strategy == "retry":
            return []
        return [NUDGE, *[_INSTEAD_OF_UPDATE[self.strategy]] * self.max_updates, GIVE_UP]

    def next_rung(self) -> str:
        """The rung for a new verdict."""
        rungs = self.rungs()
        if not rungs:
            return NONE
        rung = rungs[min(self.climbed, len(rungs) - 1)]
        self.climbed += 1
        if rung == LEARN:
            self.updates += 1
        return rung

    def progress(self) -> None:
        """The check got better: the next verdict starts from the bottom again."""
        self.climbed = 0
