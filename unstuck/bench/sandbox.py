"""``python -m unstuck.bench.sandbox``: DockerSandbox against raw docker-py, side by side.

Start, ``run("true")`` round trip p50/p90 and ``reset()``; the baseline is ``containers.run``
and ``exec_run`` on the same image in the same run.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROUNDS = 30


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))]


def _example_repo(root: Path) -> Path:
    repo = root / "repo"
    (repo / "pkg").mkdir(parents=True)
    for i in range(20):
        (repo / "pkg" / f"m{i}.py").write_text(f"def f{i}(x):\n    return x + {i}\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def main() -> int:
    from sandbox import DockerSandbox
    from sandbox.docker_sandbox import engine_client
    from sandbox.image import ensure_image

    client = engine_client()
    image = ensure_image(client, say=lambda m: print(m, file=sys.stderr))
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        repo = _example_repo(Path(tmp))
        ours_start, raw_start, ours_run, raw_run, ours_reset, raw_reset = [], [], [], [], [], []
        for _ in range(5):
            t = time.perf_counter()
            box = DockerSandbox(repo, image=image, client=client)
            ours_start.append(time.perf_counter() - t)
            t = time.perf_counter()
            raw = client.containers.run(image, ["sleep", "infinity"], detach=True, network_mode="none")
            raw_start.append(time.perf_counter() - t)
            try:
                for _ in range(ROUNDS // 5):
                    t = time.perf_counter()
                    box.run("true")
                    ours_run.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    raw.exec_run(["true"])
                    raw_run.append(time.perf_counter() - t)
                box.write_file("pkg/m0.py", "changed\n")
                t = time.perf_counter()
                box.reset()
                ours_reset.append(time.perf_counter() - t)
                t = time.perf_counter()
                raw.exec_run(["sh", "-c", "cd /workspace && git status >/dev/null 2>&1 || true"])
                raw_reset.append(time.perf_counter() - t)
            finally:
                box.close()
                raw.remove(force=True)
    table = Table(title=f"sandbox overhead vs raw docker-py ({ROUNDS} commands, 5 starts)")
    for column in ("operation", "DockerSandbox", "raw docker-py", "ratio", "target"):
        table.add_column(column)
    ours_p50, ours_p90 = _percentiles(ours_run)
    raw_p50, raw_p90 = _percentiles(raw_run)
    start = statistics.median(ours_start), statistics.median(raw_start)
    reset = statistics.median(ours_reset), statistics.median(raw_reset)
    rows = [
        ("start (median)", *start, "≤ 1.0 s"),
        ("run('true') p50", ours_p50, raw_p50, "≤ 1.2× raw"),
        ("run('true') p90", ours_p90, raw_p90, ""),
        ("reset() (median)", *reset, "≤ 0.3 s"),
    ]
    for name, ours, raw, target in rows:
        table.add_row(name, f"{ours * 1000:.0f} ms", f"{raw * 1000:.0f} ms", f"{ours / raw:.2f}×", target)
    console.print(table)
    console.print("start: ours = volume + locked-down container + repo copy + git baseline; raw = `docker run -d`.\n"
                  "reset: ours = git reset --hard + clean; raw = one exec of a no-op git status (a floor).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
