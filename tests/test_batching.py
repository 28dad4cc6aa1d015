"""Micro-batching: who waits for company, for how long, and what is never split.

``score_documents`` is replaced by a recorder, so these tests see the batches the
worker forms, not scores. Timings use wide margins (a 2 s wait against 0.1 s of
client delay) so that a slow machine cannot turn a pass into a failure or back.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

import voicecheck_api.batching as batching
from voicecheck_api.batching import MicroBatcher
from voicecheck.documents import Document


class Recorder:
    """Stands in for ``score_documents``: records each batch's document ids, takes ``cost`` seconds."""

    def __init__(self, cost: float = 0.0) -> None:
        self.cost = cost
        self.batches: list[list[str]] = []
        self.languages: list[str | None] = []  # each batch's explain_in
        self.lock = threading.Lock()

    def __call__(self, profile, docs, embedder=None, explain_in=None, warn=True):
        assert warn is False  # a batch gathers many requests' drafts, whose ids may well be the same
        time.sleep(self.cost)
        with self.lock:
            self.batches.append([d.id for d in docs])
            self.languages.append(explain_in)
        return [d.id for d in docs]


@pytest.fixture()
def recorder(monkeypatch):
    rec = Recorder()
    monkeypatch.setattr(batching, "score_documents", rec)
    return rec


def _batcher(wait_ms: float, start: bool = True) -> MicroBatcher:
    b = MicroBatcher(lambda profile: None, None, max_items=64, wait_ms=wait_ms)
    if start:
        b.start()
    return b


def _doc(i: int) -> Document:
    return Document(text=f"draft number {i}", id=f"d{i}")


def test_a_lone_client_never_waits(recorder):
    """One request after another: each is answered at once, though the wait allowed is 2 s."""
    b = _batcher(wait_ms=2000)
    try:
        async def client():
            took = []
            for i in range(5):
                t = time.monotonic()
                assert await b.score(object(), [_doc(i)]) == [f"d{i}"]
                took.append(time.monotonic() - t)
            return took
        took = asyncio.run(client())
    finally:
        b.stop()
    assert max(took[1:]) < 1.0  # far under the 2 s a wait would take
    assert recorder.batches == [[f"d{i}"] for i in range(5)]


def test_the_clients_just_answered_are_waited_for(recorder):
    """Four clients in lock-step: after the first round, every batch holds all four again,
    even when one client comes back 0.1 s after the others."""
    recorder.cost = 0.02
    b = _batcher(wait_ms=2000, start=False)
    profile = object()
    try:
        async def client(k: int):
            for r in range(4):
                if k == 3 and r > 0:
                    await asyncio.sleep(0.1)  # the slow one
                await b.score(profile, [_doc(10 * r + k)])

        async def main():
            clients = asyncio.gather(*(client(k) for k in range(4)))
            await asyncio.sleep(0.05)  # all four first requests are queued before the worker starts
            b.start()
            t = time.monotonic()
            await clients
            return time.monotonic() - t
        took = asyncio.run(main())
    finally:
        b.stop()
    rounds = [sorted(f"d{10 * r + k}" for k in range(4)) for r in range(4)]
    assert [sorted(x) for x in recorder.batches] == rounds
    assert took < 1.5  # the wait ended when the fourth came back (~0.1 s), not at its 2 s deadline


def test_the_wait_ends_at_its_deadline(recorder):
    """Of two clients answered together, one never returns: the other waits at most ``wait_ms``."""
    b = _batcher(wait_ms=300, start=False)
    profile = object()
    try:
        async def main():
            pair = asyncio.gather(b.score(profile, [_doc(0)]), b.score(profile, [_doc(1)]))
            await asyncio.sleep(0.05)
            b.start()
            await pair
            t = time.monotonic()
            await b.score(profile, [_doc(2)])  # its partner never comes back
            waited = time.monotonic() - t
            await asyncio.sleep(0.5)  # a quiet spell longer than the wait
            t = time.monotonic()
            await b.score(profile, [_doc(3)])
            return waited, time.monotonic() - t
        waited, after_quiet = asyncio.run(main())
    finally:
        b.stop()
    assert recorder.batches == [["d0", "d1"], ["d2"], ["d3"]]
    assert 0.1 < waited < 2.0  # it waited (about 0.3 s) and then gave up
    assert after_quiet < 0.2  # the deadline had passed: no wait at all


def test_a_batch_request_is_one_job_and_never_split(recorder):
    b = _batcher(wait_ms=0)
    try:
        docs = [_doc(i) for i in range(100)]  # more than max_items
        result = asyncio.run(b.score(object(), docs))
    finally:
        b.stop()
    assert result == [d.id for d in docs]
    assert recorder.batches == [[d.id for d in docs]]


def test_a_long_request_lets_short_ones_in_between_its_slices(recorder):
    """One request of ten 50,000-character drafts had held a short draft of another profile for 83 s (an integrator's
    review): a long group is scored in slices, and the short requests queued meanwhile between them. The long one is
    still answered and stored whole, once."""
    recorder.cost = 0.3
    stored: list[list[str]] = []
    b = MicroBatcher(lambda profile: None, lambda name, profile, results: stored.append(list(results)), wait_ms=0)
    long_docs = [Document(text="x" * 15_000, id=f"long{i}") for i in range(4)]
    answered: list[str] = []

    async def run():
        async def long():
            result = await b.score(object(), long_docs, "a")
            answered.append("long")
            return result

        async def short():
            await asyncio.sleep(0.1)  # queued while the long one's first slice is scored
            result = await b.score(object(), [_doc(1)], "b")
            answered.append("short")
            return result

        return await asyncio.gather(long(), short())

    b.start()
    try:
        long_result, short_result = asyncio.run(run())
    finally:
        b.stop()
    assert long_result == [d.id for d in long_docs] and short_result == ["d1"]
    assert answered == ["short", "long"]
    assert recorder.batches[0] == ["long0"] and ["d1"] in recorder.batches[1:-1]
    assert [i for batch in recorder.batches for i in batch if i.startswith("long")] == [d.id for d in long_docs]
    assert stored == [["d1"], [d.id for d in long_docs]]  # the long one stored in one go, after it was all scored
    assert batching._slices(long_docs, batching.FAIR_SHARE_CHARS) == [[d] for d in long_docs]
    assert batching._slices([_doc(i) for i in range(3)], 1) == [[_doc(i)] for i in range(3)]  # one at least


@pytest.mark.parametrize("same_profile", [False, True])
def test_a_short_request_collected_with_a_long_one_is_scored_first(recorder, same_profile):
    """Both queued while the worker was busy, they are collected together: the short one had waited for every slice
    of the long one, merged with it when both were for one profile (a code review)."""
    recorder.cost = 0.2
    b = _batcher(wait_ms=0, start=False)
    profile = object()
    long_docs = [Document(text="x" * 15_000, id=f"long{i}") for i in range(3)]
    answered: list[str] = []

    async def run():
        async def ask(docs, name, tag):
            result = await b.score(profile if same_profile else object(), docs, name)
            answered.append(tag)
            return result

        task = asyncio.ensure_future(asyncio.gather(ask(long_docs, "a", "long"), ask([_doc(1)], "a", "short")))
        await asyncio.sleep(0.05)  # both queued before the worker starts
        b.start()
        return await task

    try:
        long_result, short_result = asyncio.run(run())
    finally:
        b.stop()
    assert long_result == [d.id for d in long_docs] and short_result == ["d1"]
    assert answered == ["short", "long"] and recorder.batches[0] == ["d1"]


def test_the_short_requests_between_two_slices_are_one_batch_at_most(recorder):
    """A hundred short batch requests queued behind a long one had been scored in one call of 1.5 million characters
    between two of its slices (a code review): at most max_items drafts and a slice's characters at a time."""
    recorder.cost = 0.05
    b = MicroBatcher(lambda profile: None, None, max_items=8, wait_ms=0)
    long_docs = [Document(text="x" * 15_000, id=f"long{i}") for i in range(3)]
    shared = object()  # one profile: without a bound they would be one group, one call

    async def run():
        async def shorts():
            await asyncio.sleep(0.02)  # queued while the long one's first slice is scored
            return await asyncio.gather(*(b.score(shared, [_doc(10 * k + i) for i in range(3)], "s")
                                          for k in range(12)))

        return await asyncio.gather(b.score(object(), long_docs, "a"), shorts())

    b.start()
    try:
        long_result, short_results = asyncio.run(run())
    finally:
        b.stop()
    assert long_result == [d.id for d in long_docs] and len(short_results) == 12
    between = recorder.batches[1:recorder.batches.index(["long1"])]
    assert between and all(len(batch) <= 8 for batch in between)


def test_requests_asking_for_other_languages_are_scored_apart(recorder):
    """Drafts batched together share one call, so one call cannot explain in two languages: one per language."""
    b = _batcher(wait_ms=500, start=False)
    profile = object()

    async def clients():
        return await asyncio.gather(b.score(profile, [_doc(1)], "p", "it"), b.score(profile, [_doc(2)], "p", "en"),
                                    b.score(profile, [_doc(3)], "p", "it"))

    async def run():
        task = asyncio.ensure_future(clients())
        await asyncio.sleep(0.05)  # all three queued before the worker starts: they are collected together
        b.start()
        return await task

    try:
        results = asyncio.run(run())
    finally:
        b.stop()
    assert results == [["d1"], ["d2"], ["d3"]]
    assert sorted(zip(recorder.languages, recorder.batches)) == [("en", ["d2"]), ("it", ["d1", "d3"])]


def test_a_request_cancelled_while_scored_is_not_stored(recorder):
    """uvicorn cancels the requests still running when its grace period at shutdown is over. A batch cancelled
    while it was scored used to be stored all the same: its client got a 500, and its retry stored it twice."""
    recorder.cost = 0.5
    stored: list[list[str]] = []
    b = MicroBatcher(lambda profile: None, lambda name, profile, results: stored.append(list(results)), wait_ms=0)
    b.start()
    try:
        async def main():
            task = asyncio.ensure_future(b.score(object(), [_doc(1), _doc(2)], "n"))
            await asyncio.sleep(0.1)  # the worker is scoring it now
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return await b.score(object(), [_doc(3)], "n")  # the worker carries on
        assert asyncio.run(main()) == ["d3"]
    finally:
        b.stop()
    assert stored == [["d3"]]


def test_a_request_cancelled_while_its_drafts_are_stored_gets_its_results(recorder):
    """Cancelled once storing has begun: the drafts are stored, so the request waits the moment it takes
    and answers with its results, rather than an error for drafts that are in the history."""
    storing, release = threading.Event(), threading.Event()
    stored: list[list[str]] = []

    def record(name, profile, results):
        storing.set()
        release.wait(5)
        stored.append(list(results))

    b = MicroBatcher(lambda profile: None, record, wait_ms=0)
    b.start()
    try:
        async def main():
            task = asyncio.ensure_future(b.score(object(), [_doc(1)], "n"))
            assert await asyncio.get_running_loop().run_in_executor(None, storing.wait, 5)
            task.cancel()
            await asyncio.sleep(0.05)
            release.set()
            return await task
        assert asyncio.run(main()) == ["d1"]
    finally:
        b.stop()
    assert stored == [["d1"]]


def test_a_check_not_to_store_shares_a_batch_and_is_not_recorded(recorder):
    """store=False (an editor's check before publishing) is scored with the others, but only the others are kept."""
    kept: list[list[str]] = []
    b = MicroBatcher(lambda profile: None, lambda name, profile, results: kept.append(list(results)), max_items=64,
                     wait_ms=500)
    b.start()
    try:
        async def both():
            return await asyncio.gather(b.score(None, [_doc(1)], "acme", store=False),
                                        b.score(None, [_doc(2)], "acme"))

        answers = asyncio.run(both())
    finally:
        b.stop()
    assert answers == [["d1"], ["d2"]] and recorder.batches == [["d1", "d2"]]
    assert kept == [["d2"]]


def test_a_check_not_to_store_is_answered_when_storing_the_others_fails(recorder):
    """A StorageError (or a 404: the profile deleted meanwhile) while storing the other requests' drafts was
    handed to the store=False check too, which stores nothing (a code review)."""
    from voicecheck.errors import StorageError

    def record(name, profile, results):
        raise StorageError("the database is gone")

    b = MicroBatcher(lambda profile: None, record, max_items=64, wait_ms=500)
    b.start()
    try:
        async def both():
            return await asyncio.gather(b.score(None, [_doc(1)], "acme", store=False),
                                        b.score(None, [_doc(2)], "acme"), return_exceptions=True)

        check, stored = asyncio.run(both())
    finally:
        b.stop()
    assert recorder.batches == [["d1", "d2"]]
    assert check == ["d1"] and isinstance(stored, StorageError)


def test_a_check_not_to_store_does_not_wait_for_the_others_storing(recorder):
    """A database that stopped answering held the others' write, and with it the store=False check of the same batch
    (an operations review): the check is answered as soon as its batch is scored."""
    release = threading.Event()

    def record(name, profile, results):
        release.wait(10)

    b = MicroBatcher(lambda profile: None, record, max_items=64, wait_ms=500)
    b.start()
    try:
        async def both():
            stored = asyncio.ensure_future(b.score(None, [_doc(2)], "acme"))
            check = await asyncio.wait_for(b.score(None, [_doc(1)], "acme", store=False), 5)
            assert not stored.done()  # still being stored
            release.set()
            return check, await stored

        assert asyncio.run(both()) == (["d1"], ["d2"])
    finally:
        release.set()
        b.stop()
    assert recorder.batches == [["d2", "d1"]]
