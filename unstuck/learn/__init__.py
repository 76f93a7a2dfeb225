"""Learning from a stuck episode: examples, LoRA training, and the collapse guard."""

from .examples import Example, ExampleSet, build_examples
from .guard import FormatProbe
from .learner import Learner, LearnerSettings, UpdateReport

__all__ = ["Example", "ExampleSet", "FormatProbe", "Learner", "LearnerSettings", "UpdateReport", "build_examples"]
