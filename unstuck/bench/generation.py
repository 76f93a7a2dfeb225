"""``python -m unstuck.bench.generation``: how long greedy decoding of an agent action takes with
prompt-lookup drafts (the default) against plain decoding, on the same prompts, in the same run.

The prompts are real agent prompts from committed bench trajectories (the first and last model turn
of each ``learn`` run in ``--from``); each is decoded both ways with the base model, as the agent
decodes an action (``max_new_tokens`` 320, stopping at the end of the action). ``same`` says whether
the two texts are equal (drafts are checked against the model's own greedy choice, so they should be,
up to rounding).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

DEFAULT_FROM = ("docs/results/knowledge-gap-brewery", "docs/results/knowledge-gap-dev-learn-bd47f37")


def agent_prompts(folders: list[Path], limit: int) -> list[tuple[str, list[dict[str, str]]]]:
    """(label, messages) of the first and last model turn of each ``learn`` trajectory in ``folders``,
    up to ``limit``, as many from each folder as fit."""
    per_folder = []
    for folder in folders:
        found: list[tuple[str, list[dict[str, str]]]] = []
        for path in sorted((folder / "trajectories" / "learn").glob("*.jsonl")):
            turns = [step for step in map(json.loads, path.read_text().splitlines())
                     if step.get("messages") and step.get("output") and not step.get("rung")]
            for label, step in (("first", turns[:1]), ("last", turns[1:][-1:])):
                found += [(f"{path.stem} {label}", s["messages"]) for s in step]
        per_folder.append(found)
    share = max(1, limit // max(1, len(folders)))
    return [prompt for found in per_folder for prompt in found[:share]][:limit]


def main(argv: list[str] | None = None) -> int:
    from ..actions import ACTION_STOP
    from ..agent import AgentSettings
    from ..models import load_model
    from ..policy import PROMPT_LOOKUP_TOKENS, Policy

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="folders", nargs="*", default=[Path(f) for f in DEFAULT_FROM], type=Path)
    parser.add_argument("--prompts", type=int, default=16)
    parser.add_argument("--out", type=Path, default=None, help="write the rows and medians as JSON here")
    args = parser.parse_args(argv)

    policy = Policy(load_model())
    max_new_tokens = AgentSettings().max_new_tokens
    prompts = agent_prompts(args.folders, args.prompts)
    policy.generate(prompts[0][1], max_new_tokens=8)  # warm up

    def timed(messages: list[dict[str, str]], lookup: int) -> tuple[float, str]:
        began = time.perf_counter()
        text = policy.generate(messages, max_new_tokens=max_new_tokens, stop=[ACTION_STOP], prompt_lookup=lookup)
        return time.perf_counter() - began, text

    table = Table("prompt", "tokens", "plain s", "lookup s", "speed-up", "same")
    rows = []
    for label, messages in prompts:
        plain, plain_text = timed(messages, 0)
        lookup, lookup_text = timed(messages, PROMPT_LOOKUP_TOKENS)
        row = {"prompt": label, "tokens": len(policy.encode(plain_text)), "plain_s": round(plain, 2),
               "lookup_s": round(lookup, 2), "same": plain_text == lookup_text}
        rows.append(row)
        table.add_row(label, str(row["tokens"]), f"{plain:.2f}", f"{lookup:.2f}", f"{plain / lookup:.2f}×",
                      "yes" if row["same"] else "no")
    summary = {"prompts": len(rows), "median_plain_s": statistics.median(r["plain_s"] for r in rows),
               "median_lookup_s": statistics.median(r["lookup_s"] for r in rows),
               "same": sum(r["same"] for r in rows), "lookup_tokens": PROMPT_LOOKUP_TOKENS}
    Console().print(table)
    print(f"median {summary['median_plain_s']:.2f} s plain → {summary['median_lookup_s']:.2f} s with prompt "
          f"lookup ({PROMPT_LOOKUP_TOKENS} tokens); same text {summary['same']}/{len(rows)}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"summary": summary, "rows": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
