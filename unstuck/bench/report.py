"""What a bench found: a table per strategy, the solve-rate curve and its plot.

*Narrow* fixes pass the check and fail the task's hidden test (``hidden.py``); "of them narrow"
counts them among the fixes a hidden test was run on.

A run that was fixed in ``t`` model turns is a fix at every step budget ≥ ``t`` (the step budget
does not change what the agent does before it runs out), so one run at budget ``B`` gives the
whole curve for budgets 1…B.
"""

from __future__ import annotations

from pathlib import Path
from statistics import mean, median
from typing import Any

from rich.table import Table

Row = dict[str, Any]


def retry_stuck(rows: list[Row]) -> set[tuple[str, int]]:
    """(task, seed) pairs where ``retry`` got stuck: a stuck verdict and no fix."""
    return {(r["task"], r["seed"]) for r in rows if r["strategy"] == "retry" and r["stuck"] and not r["fixed"]}


def summarize(rows: list[Row]) -> list[dict[str, Any]]:
    """One line per strategy that has results, in ladder order."""
    stuck = retry_stuck(rows)
    retried = any(r["strategy"] == "retry" for r in rows)
    lines = []
    for strategy in _strategies(rows):
        mine = [r for r in rows if r["strategy"] == strategy]
        solved = [r for r in mine if r["fixed"]]
        on_stuck = [r for r in mine if (r["task"], r["seed"]) in stuck]
        updates = sum(r["updates"] for r in mine)
        kls = [kl for r in mine for kl in r["kl"]]
        update_seconds = [s for r in mine for s in r.get("update_seconds", [])]
        first_turns = [r["first_update_turn"] for r in mine if r.get("first_update_turn") is not None]
        hidden = [r for r in solved if r.get("general") is not None]
        lines.append({
            "strategy": strategy, "runs": len(mine), "solved": len(solved),
            "solve_rate": len(solved) / len(mine),
            "retry_stuck": len(on_stuck) if retried else None,
            "solved_where_retry_stuck": sum(1 for r in on_stuck if r["fixed"]) if retried else None,
            "mean_turns_to_solve": mean(r["turns"] for r in solved) if solved else None,
            "wall_seconds": sum(r["seconds"] for r in mine),
            "updates": updates, "accepted": sum(r["accepted"] for r in mine),
            "skipped_updates": sum(r.get("skipped_updates", 0) for r in mine),
            "acceptance_rate": sum(r["accepted"] for r in mine) / updates if updates else None,
            "mean_kl": mean(kls) if kls else None, "max_kl": max(kls) if kls else None,
            "median_update_seconds": median(update_seconds) if update_seconds else None,
            "median_first_update_turn": median(first_turns) if first_turns else None,
            "hidden_tested": len(hidden), "narrow": sum(1 for r in hidden if not r["general"]),
        })
    return lines


def summarize_by_split(rows: list[Row]) -> dict[str, list[dict[str, Any]]]:
    """``summarize`` for each split (``dev``, ``heldout``) present, and ``all``."""
    splits = sorted({r.get("split", "") for r in rows} - {""})
    result = {split: summarize([r for r in rows if r.get("split") == split]) for split in splits}
    result["all"] = summarize(rows)
    return result


def solve_curve(rows: list[Row], strategy: str, budget: int) -> list[float]:
    """Solve rate at step budgets 1…``budget`` for ``strategy``."""
    mine = [r for r in rows if r["strategy"] == strategy]
    if not mine:
        return []
    return [sum(1 for r in mine if r["fixed"] and r["turns"] <= b) / len(mine) for b in range(1, budget + 1)]


def _cells(line: dict[str, Any]) -> list[str]:
    def num(value: float | None, fmt: str) -> str:
        return "—" if value is None else format(value, fmt)

    stuck = ("—" if line["strategy"] == "retry" or line["retry_stuck"] is None
             else f"{line['solved_where_retry_stuck']}/{line['retry_stuck']}")
    skipped = f", {line['skipped_updates']} repeat(s) skipped" if line.get("skipped_updates") else ""
    updates = f"{line['updates']} ({num(line['acceptance_rate'], '.0%')} accepted{skipped})" if line["updates"] else "0"
    live = num(line.get("median_update_seconds"), ".1f") + (" s" if line.get("median_update_seconds") else "")
    narrow = f"{line['narrow']}/{line['hidden_tested']}" if line.get("hidden_tested") else "—"
    return [line["strategy"], f"{line['solved']}/{line['runs']} ({line['solve_rate']:.0%})", narrow, stuck,
            num(line["mean_turns_to_solve"], ".1f"), f"{line['wall_seconds'] / 60:.1f} min", updates,
            num(line["mean_kl"], ".3f"), live, num(line.get("median_first_update_turn"), ".0f")]


HEADERS = ["strategy", "solved", "of them narrow (hidden test)", "solved where retry stuck", "mean turns to solve",
           "wall time", "updates", "mean KL", "update → live (median)", "first update at turn (median)"]


def summary_table(lines: list[dict[str, Any]], title: str = "") -> Table:
    table = Table(*HEADERS, title=title or None)
    for line in lines:
        table.add_row(*_cells(line))
    return table


def markdown_table(lines: list[dict[str, Any]]) -> str:
    rows = [HEADERS, ["---"] * len(HEADERS), *(_cells(line) for line in lines)]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def plot_solve_rate(rows: list[Row], budget: int, path: Path, title: str) -> Path:
    """A PNG of solve rate against step budget, one line per strategy."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6, 4), dpi=120)
    budgets = list(range(1, budget + 1))
    styles = {"retry": ("-", "o"), "reflect": ("--", "s"), "learn": (":", "^"), "sample": ("-.", "D"),
              "interject": ("--", "v"), "teach": (":", "*")}
    for strategy in _strategies(rows):
        curve = solve_curve(rows, strategy, budget)
        if curve:
            line, marker = styles.get(strategy, ("-", "."))
            axes.plot(budgets, [100 * v for v in curve], linestyle=line, marker=marker, label=strategy, linewidth=2,
                      drawstyle="steps-post", alpha=0.85)
    axes.set_xlabel("step budget (model turns)")
    axes.set_ylabel("tasks solved (%)")
    axes.set_ylim(-2, 102)
    axes.set_xticks(budgets)
    axes.set_title(title, fontsize=10)
    axes.grid(alpha=0.3)
    axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    pyplot.close(figure)
    return path


def _strategies(rows: list[Row]) -> list[str]:
    """The strategies that have rows, in the bench's order."""
    from .runner import BENCH_STRATEGIES

    present = {r["strategy"] for r in rows}
    return [s for s in BENCH_STRATEGIES if s in present]


def per_task_table(rows: list[Row]) -> str:
    """A markdown table: one row per task, one column per strategy (fixed in N turns, or how it ended)."""
    strategies = _strategies(rows)
    tasks = sorted({r["task"] for r in rows})
    lines = ["| task | " + " | ".join(strategies) + " |", "|---" * (len(strategies) + 1) + "|"]
    for task in tasks:
        cells = []
        for strategy in strategies:
            row = next((r for r in rows if r["task"] == task and r["strategy"] == strategy), None)
            if row is None:
                cells.append("—")
                continue
            cell = f"✓ {row['turns']} turns" if row["fixed"] else row["status"]
            if row.get("general") is False:
                cell += " (narrow: fails the hidden test)"
            if row["updates"]:
                cell += f" · {row['accepted']}/{row['updates']} accepted"
            cells.append(cell)
        lines.append(f"| {task} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m unstuck.bench.report DIR``: the summary tables of a bench folder, from its
    ``results.jsonl`` alone (what the README's tables are made from)."""
    import argparse

    from .runner import read_results

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--per-task", action="store_true", help="also a table of every run")
    args = parser.parse_args(argv)
    rows = read_results(args.folder)
    if not rows:
        parser.exit(2, f"no results.jsonl with runs in {args.folder}\n")
    by_split = summarize_by_split(rows)
    for split, lines in by_split.items():
        if split == "all" and len(by_split) == 2:  # one split: "all" would repeat it
            continue
        print(f"**{split}** ({len({r['task'] for r in rows if split == 'all' or r.get('split') == split})} tasks)\n")
        print(markdown_table(lines))
    if args.per_task:
        print(per_task_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
