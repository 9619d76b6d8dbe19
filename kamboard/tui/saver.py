"""One serial background saver per app: changes are written off the UI thread.

Screens show a change at once and hand the saver a job, ``run(store) -> result``. Jobs run
strictly in the order given, one at a time, on one long-lived thread reading a queue; each
result (or the exception the job raised) comes back on the UI thread (``App.call_later``, which
posts a message: safe from any thread), to the ``done`` or ``failed`` callback given with the
job. So the UI never waits on the disk or the file lock: while another
process holds the lock the saver waits, and says so (``waiting``).

Rule for jobs: everything that touches the store or the undo history for a change happens in
the job (so in order); widgets are touched only in the callbacks (on the UI thread).
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App
from textual.signal import Signal

from kamboard.i18n import N_, _
from kamboard.store import BoardStore
from kamboard.tui.reporting import message_of

Run = Callable[[BoardStore], Any]
Done = Callable[[Any], None]
Failed = Callable[[Exception], None]

SAVING = N_("saving…")
WAITING = N_("waiting for the file (held by another save)")


@dataclass
class Job:
    label: str
    run: Run
    done: Done | None = None
    failed: Failed | None = None


class Saver:
    """Runs store jobs in order on one background thread; results come back on the UI thread.

    ``status`` publishes the saver on every change of ``pending`` or ``waiting``; ``on_saved``
    (given by the app) is called when the saver went idle having run at least one job without
    an error since it was last idle, after the ``when_idle`` callbacks.
    """

    def __init__(self, app: App[Any], store: BoardStore, on_saved: Callable[[], None] | None = None) -> None:
        self.app = app
        self.store = store
        self.on_saved = on_saved
        self.pending = 0  # jobs given and not yet answered (UI thread)
        self.waiting = False  # the running job waits for another process's lock
        self.status: Signal[Saver] = Signal(app, "saver-status")
        self._saved = False  # a job ran without an error since the saver was last idle
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._idle_callbacks: list[Callable[[], None]] = []
        self._idle: asyncio.Event | None = None
        self._started = False
        self._ended = threading.Event()
        self._held: list[Job] = []  # given, waiting for the next paint to go to the thread

    @property
    def busy(self) -> bool:
        return self.pending > 0

    @property
    def text(self) -> str:
        """What the status line says: '' when idle."""
        return _(WAITING) if self.waiting else _(SAVING) if self.pending else ""

    def start(self) -> None:
        """Start the thread (call once, on the UI thread, when the app runs).

        A plain thread rather than a Textual worker: the app's end waits for it (``close``),
        and a worker cancelled before it first ran would have left queued changes unsaved."""
        if self._started:
            return
        self._started = True
        self.store.on_lock_wait = self._lock_wait
        threading.Thread(target=self._serve, name="kamboard-saver", daemon=True).start()

    def close(self) -> None:
        """End the thread once the jobs given so far have run, and wait for that (the app's end:
        a change shown on the screen is in the file when the app is gone)."""
        self._hand_over()
        self._queue.put(None)
        if self._started:
            self._ended.wait()

    def submit(self, label: str, run: Run, done: Done | None = None, failed: Failed | None = None) -> None:
        """Queue ``run`` (called with the store on the saver thread); ``done(result)`` or
        ``failed(exception)`` is then called on the UI thread (no ``failed``: the app reports it)."""
        self.pending += 1
        if self._idle is not None:
            self._idle.clear()
        # handed to the thread once the screen has painted the change the key made: the job's
        # Python work would otherwise compete with that paint for the interpreter (the GIL)
        self._held.append(Job(label, run, done, failed))
        if len(self._held) == 1:
            self.app.call_after_refresh(self._hand_over)
        if self.pending == 1:
            self.status.publish(self)

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once, on the UI thread) when no job is left: now if none is."""
        if not self.pending:
            callback()
        elif callback not in self._idle_callbacks:
            self._idle_callbacks.append(callback)

    async def wait_idle(self) -> None:
        """Wait until every job given so far has been answered (for tests and the app's end)."""
        if self._idle is None:
            self._idle = asyncio.Event()
        if not self.pending:
            self._idle.set()
        await self._idle.wait()

    def _hand_over(self) -> None:
        held, self._held = self._held, []
        for job in held:
            self._queue.put(job)

    # the saver thread
    def _serve(self) -> None:
        try:
            while (job := self._queue.get()) is not None:
                result: Any = None
                error: Exception | None = None
                try:
                    result = job.run(self.store)
                except Exception as exc:  # delivered to the job's author on the UI thread
                    error = exc
                self.app.call_later(self._answer, job, result, error)
        finally:
            self._ended.set()

    def _lock_wait(self) -> None:
        """Called by the store (on the thread that saves) when another process holds the lock."""
        self.app.call_later(self._set_waiting)

    # the UI thread
    def _set_waiting(self) -> None:
        if self.pending and not self.waiting:
            self.waiting = True
            self.status.publish(self)

    def _answer(self, job: Job, result: Any, error: Exception | None) -> None:
        self.pending -= 1
        self.waiting = False
        self._saved = self._saved or error is None
        try:
            if error is None:
                if job.done is not None:
                    job.done(result)
            elif job.failed is not None:
                job.failed(error)
            else:
                self.app.notify(
                    _("Not saved ({label}): {error}").format(label=job.label, error=message_of(error)),
                    severity="error",
                    markup=False,
                    timeout=8,
                )
        finally:
            if not self.pending:
                callbacks, self._idle_callbacks = self._idle_callbacks, []
                for callback in callbacks:
                    callback()
            if not self.pending and self._saved:  # a callback may have given a new job
                self._saved = False
                if self.on_saved is not None:
                    self.on_saved()
            if not self.pending and self._idle is not None:
                self._idle.set()
            self.status.publish(self)
