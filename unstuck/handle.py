"""A run in flight: it works on its own thread; the handle streams its events and takes commands.

```
handle = agent.start(task)          # returns at once
for event in handle.events: ...     # typed events until RunFinished
handle.interject(text) · handle.teach(text) · handle.pause() · handle.resume() · handle.cancel()
outcome = handle.wait()
```
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .control import Control
from .events import Event, RunFinished

if TYPE_CHECKING:
    from .agent import Outcome

EventCallback = Callable[[Event], None]


class RunHandle:
    """The surface's side of one run. Every method is safe to call from any thread."""

    def __init__(self, work: Callable[[Callable[[Event], None], Control], Outcome],
                 on_event: EventCallback | None = None, name: str = "unstuck-run") -> None:
        self.control = Control()
        self._queue: queue.Queue[Event] = queue.Queue()
        self._callbacks = [on_event] if on_event else []
        self._outcome: Outcome | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._work, args=(work,), name=name, daemon=True)

    def _start(self) -> RunHandle:
        self._thread.start()
        return self

    def _emit(self, event: Event) -> None:
        self._queue.put(event)
        for callback in self._callbacks:
            callback(event)

    def _work(self, work: Callable[[Callable[[Event], None], Control], Outcome]) -> None:
        try:
            self._outcome = work(self._emit, self.control)
        except BaseException as error:  # noqa: BLE001 - handed to whoever waits
            self._error = error
            self._emit(RunFinished("error", False, False, f"{type(error).__name__}: {error}"))
        finally:
            self._done.set()

    # -- watching --------------------------------------------------------------------------------

    @property
    def events(self) -> Iterator[Event]:
        """The run's events as they happen; the iteration ends after ``RunFinished``."""
        while True:
            event = self._queue.get()
            yield event
            if isinstance(event, RunFinished):
                return

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> Outcome:
        """The outcome once the run ends; the run's exception if it failed; ``TimeoutError`` if still running."""
        if not self._done.wait(timeout):
            raise TimeoutError(f"the run is still going after {timeout:g} s")
        if self._error is not None:
            raise self._error
        assert self._outcome is not None
        return self._outcome

    # -- commands --------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Stop the run (within about a second, wherever it is); its status becomes ``cancelled``."""
        self.control.cancel()

    def pause(self) -> None:
        """Stop at the next step boundary until ``resume``."""
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def interject(self, text: str) -> None:
        """The manager's words: into every prompt from the next turn on, and into the trajectory."""
        self.control.say("interject", text)

    def teach(self, text: str) -> None:
        """A fact the manager states: a guarded weight update with it as the truth, at the next step boundary."""
        self.control.say("teach", text)
