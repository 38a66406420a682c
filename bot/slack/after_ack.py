"""The work that follows an acknowledgement, on a small pool of threads of its own.

Slack gives every request three seconds. Bolt's default runs each listener on a pool of five
threads and holds the HTTP request, polling every 10 ms, until that listener calls `ack()`: under
a burst of clicks the acknowledgement queues behind other listeners' database and Slack calls
(measured by `bench/load_bench.py`: p99 0.4-0.7 s for 50 requests in flight). So the app is built
with `process_before_response=True`: each listener runs in the request's own thread, validates,
acknowledges and hands the rest here, and the answer goes back at once. Bolt's lazy listeners do
the same, but their failures skip the app's error handler and are logged with the exception's
text, which can carry claim data; here a failure is logged by type and the person is told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

from slack_bolt import Respond

log = logging.getLogger(__name__)

WORKERS = 5  # as many as Bolt's own listener pool; the database pool (5 + 10) has room for them
SOMETHING_WENT_WRONG = (
    "Something went wrong on our side and nothing was changed. Try again in a minute; "
    "if it keeps happening, tell your practice manager."
)

# Set by `bot.slack.once` while a listener runs: whether this process is the one to handle the
# request. Asked in the worker, before the work, so that the receipt is written after the
# answer went out and a request another replica already has is still not handled twice.
FIRST_DELIVERY: ContextVar[Callable[[], bool] | None] = ContextVar("first_delivery", default=None)


class AfterAck:
    """`after_ack(work, respond)` runs `work()` soon, in the background; `close()` waits for it."""

    def __init__(self, workers: int = WORKERS) -> None:
        # Threads start on the first submit, so commands that never serve Slack pay nothing.
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="after-ack")

    def __call__(self, work: Callable[[], object], respond: Respond | None = None) -> None:
        self._pool.submit(self._guarded, work, respond, FIRST_DELIVERY.get())

    def close(self, *, drop_queued: bool = False) -> None:
        """Finish the work in flight (and, unless told to drop it, the work queued)."""
        self._pool.shutdown(wait=True, cancel_futures=drop_queued)

    @staticmethod
    def _guarded(
        work: Callable[[], object],
        respond: Respond | None,
        first_delivery: Callable[[], bool] | None = None,
    ) -> None:
        try:
            if first_delivery is not None and not first_delivery():
                log.info("another replica handles this request; its work here is skipped")
                return
            work()
        except Exception as error:  # the last resort: the pool would swallow it silently
            log.error("listener failed: %s", type(error).__name__)
            log.debug("listener failure", exc_info=error)
            tell_something_went_wrong(respond)


def tell_something_went_wrong(respond: Respond | None) -> None:
    """An ephemeral apology where the request came with a response_url; never raises."""
    if respond is None:
        return
    try:
        respond(text=SOMETHING_WENT_WRONG, response_type="ephemeral", replace_original=False)
    except Exception as error:  # Slack unreachable too: the log line above is all we can do
        log.warning("could not tell the user: %s", type(error).__name__)
