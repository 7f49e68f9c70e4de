"""The in-memory triple store behind a KnowledgeGraph, and fast reads from it."""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterator
from contextvars import ContextVar
from itertools import islice
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.term import Node

from .errors import QueryTimeoutError

__all__ = [
    "DeadlineMemory",
    "DeadlinePassed",
    "TrackedMemory",
    "distinct_terms",
    "gc_paused",
    "predicate_pairs",
    "rdflib_deprecations_hidden",
    "run_with_deadline",
]

_T = TypeVar("_T")


class TrackedMemory(SimpleMemory):
    """rdflib's context-free in-memory store, counting changes so indexes know when they are stale.

    One graph needs no contexts, and without them rdflib iterates triples
    about twice as fast and answers property-path queries an order of
    magnitude faster than with its default store.
    """

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0
        self.bindings = 0
        # (class -> component, node -> ancestor components) of the default regime, for is_a;
        # any change to the triples drops it
        self.fast: tuple[dict[Any, int], dict[Any, frozenset[int]]] | None = None

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        found = SimpleMemory.triples(self, triple_pattern, context)
        deadline = _deadline.get()
        return found if deadline is None else _checked(found, deadline)

    def bind(self, prefix: str, namespace: Any, override: bool = True) -> None:
        self.bindings += 1  # prefixes change CURIEs and name lookup, not the triples
        super().bind(prefix, namespace, override=override)

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self.generation += 1
        self.fast = None
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self.generation += 1
        self.fast = None
        super().remove(triple_pattern, context)

    def pairs(self, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
        """Yield (subject, object) for `predicate` straight from the store's predicate index."""
        by_object: dict[Node, dict[Node, int]] | None = getattr(self, "_SimpleMemory__pos", {}).get(
            predicate
        )
        if by_object is None:
            return
        for obj, subjects in list(by_object.items()):
            for subject in list(subjects):
                yield subject, obj


class DeadlineMemory(Memory):
    """rdflib's context-aware in-memory store, stopping reads past a :func:`run_with_deadline` limit.

    The entailed SPARQL dataset (asserted and inferred named graphs) lives in one.
    """

    def triples(self, triple_pattern: Any, context: Any = None) -> Generator[Any, None, None]:
        found = Memory.triples(self, triple_pattern, context)
        deadline = _deadline.get()
        return found if deadline is None else _checked(found, deadline)


# -- time limits -----------------------------------------------------------------
#
# rdflib's SPARQL engine runs in the caller's thread and has no way to stop.
# Two mechanisms stop it, both only while run_with_deadline runs:
#
# 1. The stores above check a per-context deadline when rdflib asks them for
#    triples, and every _CHECK_EVERY triples of a long scan. Basic graph
#    patterns, property paths and lazy joins all read through triples(), so
#    this stops nearly every runaway query at a clean point, without threads.
# 2. Some work never reads the store: rdflib joins the materialized results of
#    two sub-selects (``{ SELECT DISTINCT ... } { SELECT DISTINCT ... }``)
#    in pure Python, and MINUS compares every pair. For those, a watchdog
#    thread raises DeadlinePassed asynchronously in the query's thread
#    (CPython's PyThreadState_SetAsyncExc, the mechanism behind Ctrl-C-like
#    interruption) shortly after the deadline, and again periodically in case
#    it was swallowed: by a bare ``except:`` in rdflib, or by a ``__del__`` or
#    weakref callback that the garbage collector happened to run just then
#    (Python prints "Exception ignored in ..." for those). It is stopped, and a pending
#    exception cleared, before run_with_deadline returns, so nothing reaches
#    the caller's code afterwards. Code run under a deadline must be read-only:
#    an asynchronous exception can land between any two bytecodes.
#
# DeadlinePassed derives from BaseException so that rdflib's ``except
# Exception`` handlers do not mistake it for a failed filter.

_deadline: ContextVar[float | None] = ContextVar("genai_graph_deadline", default=None)
_CHECK_EVERY = 1024  # triples read between two clock checks in a long scan
_GRACE = 0.1  # seconds the store check gets before the watchdog steps in
_REFIRE = 0.5  # seconds between two watchdog interruptions


class DeadlinePassed(BaseException):  # a signal, not an error: callers see QueryTimeoutError
    """Raised inside work that ran past its :func:`run_with_deadline` limit."""


def _checked(found: Iterator[_T], deadline: float) -> Generator[_T, None, None]:
    """Yield from `found`, checking the clock first and after every _CHECK_EVERY items."""
    end = object()
    while True:
        if time.monotonic() > deadline:
            raise DeadlinePassed
        yield from islice(found, _CHECK_EVERY)  # delegated in C: no per-item Python work
        following = next(found, end)
        if following is end:
            return
        yield following  # type: ignore[misc]  # not `end`


def _async_raiser() -> Callable[[int, type[BaseException] | None], None] | None:
    """Return a function that raises an exception in another thread, or None off CPython."""
    if sys.implementation.name != "cpython":
        return None
    try:
        import ctypes

        set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):  # pragma: no cover - CPython always has it
        return None

    def raise_in(thread_id: int, exc: type[BaseException] | None) -> None:
        # No argtypes on the shared function object: a None argument is passed as NULL,
        # which clears a pending exception instead of raising one.
        set_async_exc(ctypes.c_ulong(thread_id), None if exc is None else ctypes.py_object(exc))

    return raise_in


_raise_in = _async_raiser()


class _Watchdog:
    """A thread that interrupts the thread that made it, `delay` seconds after start()."""

    def __init__(
        self, delay: float, raise_in: Callable[[int, type[BaseException] | None], None]
    ) -> None:
        self._target = threading.get_ident()
        self._raise_in = raise_in
        self._delay = delay
        self._stopped = threading.Event()
        self._fired = False
        self._thread = threading.Thread(
            target=self._run, name="genai-graph-query-watchdog", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        wait = self._delay
        while not self._stopped.wait(wait):
            self._fired = True
            self._raise_in(self._target, DeadlinePassed)
            wait = _REFIRE

    def stop(self) -> None:
        """Stop the thread; afterwards no interruption is pending or will come."""
        self._stopped.set()
        if self._thread.ident is not None:
            self._thread.join()
        if self._fired:
            self._raise_in(self._target, None)  # clear one not yet delivered


def run_with_deadline(seconds: float, work: Callable[[], _T]) -> _T:
    """Return ``work()``, or raise QueryTimeoutError if it runs longer than `seconds`.

    `work` must only read: it may be stopped between any two steps (see the
    notes above). The limit is checked by the stores of this module and,
    on CPython, enforced by a watchdog thread as well.
    """
    watchdog = None if _raise_in is None else _Watchdog(seconds + _GRACE, _raise_in)
    token = _deadline.set(time.monotonic() + seconds)
    try:
        try:
            if watchdog is not None:
                watchdog.start()
            return work()
        finally:
            if watchdog is not None:
                while True:  # an interruption may land in stop() itself: stop again
                    try:
                        watchdog.stop()
                        break
                    except DeadlinePassed:
                        pass
            _deadline.reset(token)
    except DeadlinePassed:
        raise QueryTimeoutError(seconds) from None


def predicate_pairs(graph: Graph, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
    """Yield (subject, object) for every triple with `predicate`, as fast as the store allows."""
    store = graph.store
    if isinstance(store, TrackedMemory) and hasattr(store, "_SimpleMemory__pos"):
        return store.pairs(predicate)
    native = getattr(store, "native_pairs", None)  # an Oxigraph store (stores.py)
    if native is not None:
        return iter(native(predicate))
    return graph.subject_objects(predicate)


def distinct_terms(graph: Graph) -> tuple[set[Node], set[Node], set[Node]]:
    """Return the distinct (subjects, predicates, objects) of `graph`, from the store's indexes when it can."""
    store = graph.store
    if isinstance(store, TrackedMemory) and hasattr(store, "_SimpleMemory__spo"):
        indexes = vars(store)
        return (
            set(indexes["_SimpleMemory__spo"]),
            set(indexes["_SimpleMemory__pos"]),
            set(indexes["_SimpleMemory__osp"]),
        )
    native = getattr(store, "native_distinct_terms", None)  # an Oxigraph store (stores.py)
    if native is not None:
        found: tuple[set[Node], set[Node], set[Node]] = native()
        return found
    return set(graph.subjects()), set(graph.predicates()), set(graph.objects())


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building large acyclic structures.

    Parsing and indexing allocate millions of small objects; with a big heap
    the collector's repeated full scans cost more than the work itself (about
    a third of an index build at 100,000 classes). Nothing built under it
    forms reference cycles, and the collector resumes as it was afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# warnings.catch_warnings is not thread-safe: it saves the process-wide filter
# list on entry and puts it back on exit, so two threads that overlap restore
# each other's lists (a filter leaks in for good, or another thread's is taken
# away while its query still runs). All threads share one catch_warnings here:
# the first to enter installs the filter, the last to leave restores the list.
_hidden_lock = threading.Lock()
_hidden_users = 0
_hidden_saved: warnings.catch_warnings | None = None


@contextlib.contextmanager
def rdflib_deprecations_hidden() -> Iterator[None]:
    """Hide rdflib's DeprecationWarnings within the block, safely from many threads at once.

    rdflib's SPARQL engine calls its own deprecated Dataset API; users cannot act on that.
    """
    global _hidden_users, _hidden_saved
    with _hidden_lock:
        if _hidden_users == 0:
            saved = warnings.catch_warnings()
            saved.__enter__()
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
            _hidden_saved = saved
        _hidden_users += 1
    try:
        yield
    finally:
        with _hidden_lock:
            _hidden_users -= 1
            if _hidden_users == 0 and _hidden_saved is not None:
                _hidden_saved.__exit__(None, None, None)
                _hidden_saved = None
