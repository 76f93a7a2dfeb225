"""``make demo``: the whole story on a bundled task, in the Docker sandbox with the embedded model.

attempt → failure → the same failure again (stuck) → a guarded LoRA update on that slice →
the next attempt from the updated model. Every step is real; the outcome is reported as it is.
This is a fixed two-attempt script, not the full agent loop (``unstuck run``, issue #4).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from .checks import run_check
from .trajectory import CheckResult, Step, Trajectory

TASK = Path(__file__).resolve().parent.parent / "examples" / "greet"
FILE = "greet.py"
CODE_BLOCK = re.compile(r"```(?:python)?\n(.*?)```", re.S)
console = Console()


def prompt_for(source: str, check: CheckResult) -> list[dict[str, str]]:
    failure = check.failures[0].text if check.failures else check.output[-1500:]
    return [{"role": "user", "content": (
        f"{FILE}:\n```python\n{source}```\nThe test fails:\n{failure}\n"
        f"Rewrite {FILE} so the test passes. Reply with the whole file in a python code block."
    )}]


def attempt(policy, sandbox, source: str, check: CheckResult, index: int, label: str) -> Step:
    """Ask the model for a new file, write it, re-run the check; one trajectory step."""
    started = time.perf_counter()
    messages = prompt_for(source, check)
    with console.status(f"[bold]{label}: the model is writing {FILE}…"):
        reply = policy.generate(messages, max_new_tokens=96)
    match = CODE_BLOCK.search(reply + ("```" if reply.count("```") == 1 else ""))
    console.print(Panel(reply.strip() or "(empty)", title=f"{label}: model reply", expand=False))
    if match is None:
        console.print("[yellow]no python code block in the reply: nothing written")
        return Step(index, messages, reply, None, "no code block", check, seconds=time.perf_counter() - started)
    sandbox.write_file(FILE, match.group(1))
    result = run_check(sandbox)
    status = "[green]passes" if result.passed else f"[red]fails ({result.n_failed} failing)"
    console.print(f"check {status}")
    return Step(index, messages, reply, {"kind": "write", "path": FILE}, result.output[-2000:], result,
                seconds=time.perf_counter() - started)


def main() -> int:
    from sandbox import DockerSandbox

    from .learn import Learner
    from .models import load_model
    from .policy import Policy

    console.rule("[bold]unstuck demo: a fact only the failing test reveals")
    with console.status("loading the embedded model (converted once, then cached)…"):
        policy = Policy(load_model("embedded"))
    trajectory = Trajectory(Path("out") / "demo-trajectory.jsonl")
    with DockerSandbox(TASK, say=lambda m: console.print(f"[dim]{m}")) as sandbox:
        source = sandbox.read_file(FILE)
        check = run_check(sandbox)
        first = check.failures[0].message if check.failures else ""
        console.print(f"starting check: {'passes' if check.passed else 'fails'} — {first}")
        for index, label in enumerate(("attempt 1", "attempt 2")):
            step = attempt(policy, sandbox, source, check, index, label)
            trajectory.append(step)
            if step.check and step.check.passed:
                return _finish(sandbox, True)
            sandbox.reset()
        fingerprints = {s.fingerprint for s in trajectory.steps}
        console.print(f"[bold red]stuck[/]: the same failure came back {len(trajectory)} times "
                      f"(fingerprint {fingerprints.pop()})")
        console.rule("[bold]updating beliefs: a LoRA update on the stuck slice")
        learner = Learner(policy)
        with console.status("training…") as status:
            report = learner.update(trajectory.steps, on_step=lambda s, loss, kl: status.update(
                f"training step {s}/{learner.settings.steps}: loss {loss:.3f}" + (f", KL {kl:.3f}" if kl else "")))
        verdict = "[green]accepted" if report.accepted else "[red]rolled back"
        console.print(f"update {verdict}: {report.reason}")
        console.print(f"  {report.steps} steps in {report.seconds:.1f} s; KL to base {report.kl:.3f}; "
                      f"truth log-prob {report.evidence_before.get('truth_logprob'):.2f} → "
                      f"{report.evidence_after.get('truth_logprob'):.2f}; failed action "
                      f"{report.evidence_before.get('failed_action_logprob'):.2f} → "
                      f"{report.evidence_after.get('failed_action_logprob'):.2f}")
        step = attempt(policy, sandbox, source, check, len(trajectory), "attempt 3 (updated model)")
        step.update = report.to_dict()
        trajectory.append(step)
        return _finish(sandbox, bool(step.check and step.check.passed))


def _finish(sandbox, fixed: bool) -> int:
    if fixed:
        console.print(Panel(sandbox.diff(), title="the patch (your repo is untouched)", expand=False))
        console.print("[bold green]fixed")
        return 0
    console.print("[bold yellow]not fixed by the embedded 135M model in this run (reported as it is); "
                  "the trajectory is in out/demo-trajectory.jsonl")
    return 1


if __name__ == "__main__":
    sys.exit(main())
