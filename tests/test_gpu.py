"""The learner's GPU path (CUDA, bf16): skipped on machines without a CUDA device."""

from __future__ import annotations

import math

import pytest
import torch

from tests.stuck_greet import PROMPT, stuck_probe, stuck_steps
from unstuck.learn import Learner
from unstuck.models import load_model
from unstuck.policy import Policy

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")]


def test_an_update_on_the_gpu_trains_in_bf16_and_keeps_everything_on_the_device():
    policy = Policy(load_model("embedded"))
    assert policy.device == "cuda" and policy.loaded.dtype == torch.bfloat16
    before = policy.logprob(PROMPT, "Ahoy")
    report = Learner(policy, format_probe=stuck_probe(policy)).update(stuck_steps())
    print(report)
    assert report.steps > 0 and math.isfinite(report.loss_after) and report.loss_after < report.loss_before
    assert report.kl is not None and math.isfinite(report.kl)
    assert all(p.device.type == "cuda" for p in policy.adapter_parameters().values())
    assert report.accepted, report.reason
    assert report.evidence_after["truth_logprob"] > report.evidence_before["truth_logprob"]
    assert policy.logprob(PROMPT, "Ahoy") > before
