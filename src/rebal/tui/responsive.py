"""The event loop keeps the interpreter while a worker thread runs Python.

CPython lets one thread run Python at a time; a thread that wants to run waits
for the switch interval (5 ms by default) before the running one must let go.
The file reader spends its first ~200 ms importing pydantic and the model, in
pure Python: each time the event loop woke (a key, a timer, a paint) it waited
up to 5 ms, many times over, and the screen painted while the file was checked
(step 1's first look) was finished 20-30 ms late. With a short interval while
such a worker runs, the loop gets the interpreter back within half a millisecond;
the worker loses little, since the loop mostly sleeps (and then asks for nothing).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Short enough for the loop to answer within a frame's fraction; long enough that a
# worker running alone (the loop asleep) does not switch at all.
WORKER_SWITCH_INTERVAL = 0.0005

_lock = threading.Lock()
_running = 0
_interval_before = 0.0


@contextmanager
def loop_first() -> Iterator[None]:
    """Shorten the switch interval while the block runs (nested and concurrent uses
    share one shortening; the last to finish restores the interval found by the first)."""
    global _running, _interval_before
    with _lock:
        if _running == 0:
            _interval_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval_before, WORKER_SWITCH_INTERVAL))
        _running += 1
    try:
        yield
    finally:
        with _lock:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_interval_before)
