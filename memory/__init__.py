"""unstuck's memory across tasks: episodes, lessons, adapters and successes in one SQLite file."""

from .store import Memory, MemoryUnusable, Recall

__all__ = ["Memory", "MemoryUnusable", "Recall"]
