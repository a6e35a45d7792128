"""Group commit for the banner endpoint: many requests, one transaction, each acknowledged
only once its choice is durable.

A web server handling thousands of banner choices a second cannot afford one fsync each.
``GroupWriter.submit`` hands a choice to one writer thread, which gathers whatever arrives
within ``max_wait`` seconds (up to ``max_batch`` choices), writes them with
``ConsentBook.record_visitors`` in one transaction and then resolves every waiting future:
with the event id after the commit, or with the exception if the transaction failed, so an
endpoint never acknowledges a choice that is not in the ledger.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from skydd.consent.book import Choice, ConsentBook
from skydd.errors import SkyddError

_Item = tuple[str, Choice, "Future[str]"]


class GroupWriter:
    """One writer thread per book; ``submit`` from any thread (asyncio: ``wrap_future``)."""

    def __init__(self, book: ConsentBook, *, max_batch: int = 500, max_wait: float = 0.002) -> None:
        self.book = book
        self.max_batch = max_batch
        self.max_wait = max_wait
        self._queue: queue.Queue[_Item | None] = queue.Queue()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="skydd-consent-writer", daemon=True)
        self._thread.start()

    def submit(self, visitor: str, choice: Choice) -> Future[str]:
        """Queue one visitor's choice; the future gives its event id once committed."""
        if self._closed:
            raise SkyddError("the consent writer is closed")
        future: Future[str] = Future()
        self._queue.put((visitor, choice, future))
        return future

    def record(self, visitor: str, choice: Choice, timeout: float = 30.0) -> str:
        """Submit and wait: the event id, after the commit."""
        return self.submit(visitor, choice).result(timeout)

    def close(self) -> None:
        """Write what is queued, then stop the thread."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._queue.get()
            if first is None:
                return
            items = [first]
            while len(items) < self.max_batch:
                try:
                    item = self._queue.get(timeout=self.max_wait)
                except queue.Empty:
                    break
                if item is None:
                    stopping = True
                    break
                items.append(item)
            self._write(items)

    def _write(self, items: list[_Item]) -> None:
        batch = [(v, c) for v, c, _ in items]
        futures = [f for _, _, f in items]
        try:
            ids = self.book.record_visitors(batch)
        except BaseException as exc:  # noqa: BLE001 - handed to every waiting request
            if len(items) > 1:  # one bad choice must not fail the others: write them alone
                for item in items:
                    self._write([item])
                return
            futures[0].set_exception(exc)
            return
        for future, event_id in zip(futures, ids, strict=True):
            future.set_result(event_id)
