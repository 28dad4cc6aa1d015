"""Micro-batching: score requests that arrive together are embedded together.

Embedding one text at a time wastes most of the model's throughput; clients send
one draft per request. Requests therefore enqueue their documents and await a
future; worker threads take whatever is queued (up to ``max_items`` documents),
group it by profile and call ``score_documents`` once per group, then store the
results in one transaction per group and wake the requests. A batch request is
one job and is never split, so it is embedded in one call (unless it is long: below).

How long to wait for company. The clients a batch just answered are the ones most
likely to send next: a publishing tool checks its posts one after another. So a
worker that finds fewer requests queued than the last batch held waits for the
rest, at most ``wait_ms`` after that batch was answered, and no longer once they
are here. A lone client (last batch: one request) never waits, and neither does
the first request after a quiet spell (its deadline has passed). Before, a
worker waited a fixed 6 ms from the first request: with 8 clients on 2 cores,
answers that came back later split the clients into two groups of about 4, each
batch half as full. Waiting for the returners keeps batches of 8: 77-81 against
73-75 requests/s and a p99 of 144-152 against 188-211 ms in 4 alternated pairs
(benchmarks/bench_service.py; docs/service.md has these and later runs).

A long group of drafts does not hold the others. A group of more than ``FAIR_SHARE_CHARS`` characters is
scored in slices of about that size, and between two slices the worker scores the requests queued meanwhile
that are no longer than a slice (their results are stored first; the long group's are stored together, once
all of it is scored, as before). One request of ten 50,000-character drafts had held a short draft of another
profile for 83 s, while /healthz answered 200 (an integrator's review).

One worker is the default. The model's forward pass already keeps every core
busy, so a second worker overlaps little, and its batches are half as full.

A request cancelled while it waits (uvicorn cancels the requests still running
when its grace period at shutdown is over) is withdrawn: its drafts are stored
only if the worker had already begun storing them, and then the request waits
for that (milliseconds) and gets its results. Before, a batch cancelled at
shutdown was still stored while its client got a 500, and a retry stored it twice.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from voicecheck.documents import Document
from voicecheck.profile import VoiceProfile
from voicecheck.results import ScoreResult
from voicecheck.scoring import score_documents

__all__ = ["MicroBatcher"]

log = logging.getLogger("voicecheck.api")

#: A group of drafts longer than this (characters) is scored in slices of about this size, with the short
#: requests queued meanwhile scored between them (module docstring).
FAIR_SHARE_CHARS = 20_000


@dataclass
class _Job:
    profile: VoiceProfile
    documents: Sequence[Document]
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop
    name: str = ""  # the route name the results are stored under
    explain_in: str | None = None  # the language of the reasons (wording.explain_language)
    store: bool = True  # False: a check before publishing, answered but not kept in the history
    state: str = "queued"  # then "storing" (its results are being stored) or "withdrawn" (never stored)


class MicroBatcher:
    """Collects score jobs from the event loop and runs them in worker threads."""

    def __init__(self, embedder_for: Callable[[VoiceProfile], Any],
                 record: Callable[[str, VoiceProfile, list[ScoreResult]], None] | None = None, *,
                 max_items: int = 64, wait_ms: float = 25.0, workers: int = 1) -> None:
        self._embedder_for = embedder_for
        self._record = record
        self.max_items = max(1, int(max_items))
        self.wait = max(0.0, float(wait_ms)) / 1000.0
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._threads = [threading.Thread(target=self._run, name=f"voicecheck-batcher-{i}", daemon=True)
                         for i in range(max(1, int(workers)))]
        self._take = threading.Lock()  # one worker collects at a time, so batches fill up
        self._claim = threading.Lock()  # a job is either withdrawn or stored, never both
        self._last_jobs = 0  # requests in the last batch, and when they were answered
        self._answered_at = 0.0
        self.batches = 0
        self.items = 0

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 10.0) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for t in self._threads:
            t.join(timeout)

    async def score(self, profile: VoiceProfile, documents: Sequence[Document], name: str = "",
                    explain_in: str | None = None, *, store: bool = True) -> list[ScoreResult]:
        """Score ``documents`` against ``profile`` in the next batch; recorded under ``name`` unless not ``store``.

        ``name`` is the route (folder) name, not ``profile.name``: the display name a
        profile was learned with may differ, and history is looked up by the route name.
        """
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        job = _Job(profile, list(documents), future, loop, name, explain_in, store)
        self._queue.put(job)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if self._withdraw(job):
                raise  # nothing of it is or will be stored
            return await future  # already being stored: its results are moments away

    def _withdraw(self, job: _Job) -> bool:
        """Mark ``job`` withdrawn unless its results are being stored; True when they never will be."""
        with self._claim:
            if job.state == "storing":
                return False
            job.state = "withdrawn"
            return True

    # ------------------------------------------------------------------ worker side
    def _collect(self) -> list[_Job] | None:
        with self._take:
            first = self._queue.get()
            if first is None:
                return None
            jobs = [first]
            count = len(first.documents)
            # Wait for the clients the last batch answered (module docstring), not for anyone else.
            expected = self._last_jobs
            deadline = self._answered_at + self.wait
            while count < self.max_items:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    remaining = deadline - time.monotonic()
                    if len(jobs) >= expected or remaining <= 0:
                        break
                    try:
                        job = self._queue.get(timeout=remaining)
                    except queue.Empty:
                        break
                if job is None:
                    self._queue.put(None)  # leave the stop signal for this worker's next round
                    break
                jobs.append(job)
                count += len(job.documents)
            self._last_jobs = len(jobs)
            return jobs

    def _run(self) -> None:
        while True:
            jobs = self._collect()
            if jobs is None:
                return
            for group in _groups(jobs):
                self._score_group(group)
            self._answered_at = time.monotonic()

    def _score_fairly(self, profile: VoiceProfile, docs: list[Document], explain_in: str | None, *,
                      between: bool) -> list[ScoreResult]:
        """``score_documents`` of ``docs``; when they are long, slice by slice, with the short requests queued
        meanwhile scored between the slices (``between``: not within such a request itself)."""
        embedder = self._embedder_for(profile)
        slices = _slices(docs, FAIR_SHARE_CHARS) if between else [docs]
        results: list[ScoreResult] = []
        for k, part in enumerate(slices):
            if k:
                self._serve_short_jobs()
            results += score_documents(profile, part, embedder=embedder, explain_in=explain_in,
                                       warn=False)  # many requests' ids
        return results

    def _serve_short_jobs(self) -> None:
        """Score the requests queued now whose drafts are no longer than a slice, in the order they came, as many
        as one batch holds (``max_items`` drafts, a slice's characters): a hundred of them had been scored in one
        call of 1.5 million characters while the long request waited (a code review)."""
        short: list[_Job] = []
        items = chars = 0
        with self._queue.mutex:  # taken out of the queue where they wait; longer ones and a stop signal stay
            for j in self._queue.queue:
                size = _chars(j.documents) if j is not None else 0
                if j is None or size > FAIR_SHARE_CHARS:
                    continue
                if short and (items + len(j.documents) > self.max_items or chars + size > FAIR_SHARE_CHARS):
                    break
                short.append(j)
                items, chars = items + len(j.documents), chars + size
            taken = {id(j) for j in short}  # by identity: two jobs of equal drafts are two requests
            kept = [j for j in self._queue.queue if id(j) not in taken]
            self._queue.queue.clear()
            self._queue.queue.extend(kept)
        for group in _groups(short):
            self._score_group(group, between=False)

    def _score_group(self, group: list[_Job], *, between: bool = True) -> None:
        live = [j for j in group if j.state != "withdrawn" and not j.future.cancelled()]
        if not live:
            return
        profile = live[0].profile
        docs = [d for j in live for d in j.documents]
        try:
            results = self._score_fairly(profile, docs, live[0].explain_in, between=between)
            per_job, start = [], 0
            for j in live:
                per_job.append(results[start:start + len(j.documents)])
                start += len(j.documents)
            with self._claim:  # requests withdrawn while their drafts were scored are not stored
                kept = [(j, r) for j, r in zip(live, per_job) if j.state != "withdrawn"]
                for j, _ in kept:
                    j.state = "storing"
            live = [j for j, _ in kept]
        except BaseException as e:  # noqa: BLE001 - handed to the waiting requests, mapped at the door
            for j in live:
                _resolve(j, error=e)
            return
        self.batches += 1
        self.items += len(docs)
        # A check that asked not to be stored (store=false) is answered before the others are stored, whatever
        # becomes of that: it had failed with their StorageError, or with the 404 of a profile deleted meanwhile (a
        # code review), and waited for a database that stopped answering (an operations review).
        for j, r in kept:
            if not j.store:
                _resolve(j, value=r)
        stored = [x for j, r in kept if j.store for x in r]
        failed: BaseException | None = None
        if self._record is not None and stored:
            try:
                self._record(live[0].name, profile, stored)
            except BaseException as e:  # noqa: BLE001 - only the requests that asked to be stored failed
                failed = e
        for j, r in kept:
            if j.store and failed is not None:
                _resolve(j, error=failed)
            elif j.store:
                _resolve(j, value=r)


def _chars(documents: Sequence[Document]) -> int:
    return sum(len(d.text) for d in documents)


def _groups(jobs: Sequence[_Job]) -> list[list[_Job]]:
    """``jobs`` by profile, route name and language (one ``score_documents`` call each), the short groups first and a
    request longer than a slice in a group of its own: a short check collected with a long request had waited for
    all of its slices, merged with it or behind it (a code review)."""
    groups: dict[tuple[str, int, str | None, int], list[_Job]] = {}
    for job in jobs:
        alone = id(job) if _chars(job.documents) > FAIR_SHARE_CHARS else 0
        groups.setdefault((job.name, id(job.profile), job.explain_in, alone), []).append(job)
    return sorted(groups.values(), key=lambda group: sum(_chars(j.documents) for j in group) > FAIR_SHARE_CHARS)


def _slices(documents: Sequence[Document], size: int) -> list[list[Document]]:
    """``documents`` in order, cut into runs of about ``size`` characters (at least one document each)."""
    out: list[list[Document]] = [[]]
    held = 0
    for d in documents:
        if out[-1] and held + len(d.text) > size:
            out.append([])
            held = 0
        out[-1].append(d)
        held += len(d.text)
    return out


def _resolve(job: _Job, *, value: Any = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if job.future.done():
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(value)
    try:
        job.loop.call_soon_threadsafe(settle)
    except RuntimeError:  # the loop has closed: the client is gone
        log.debug("dropped a result for a closed event loop")
