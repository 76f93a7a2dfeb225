"""The recorded stuck slice the learner tests train on (shared with the learner benchmark)."""

from unstuck.bench.slices import FAILED_ACTION, FAILURE, FAILURE_TEXT, PROMPT, stuck_probe, stuck_steps

__all__ = ["FAILED_ACTION", "FAILURE", "FAILURE_TEXT", "PROMPT", "stuck_probe", "stuck_steps"]
