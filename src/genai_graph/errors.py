"""The exceptions and warnings genai-graph raises.

Every error derives from :class:`GenAIGraphError`, and also from the builtin
that fits it, so callers can catch either::

    GenAIGraphError(Exception)
     ├─ OntologyLoadError(ValueError)         a file that cannot be read or parsed
     ├─ UnknownConceptError(LookupError)      a name that matches nothing; suggests close names
     ├─ AmbiguousNameError(LookupError)       a name that matches several resources; lists them
     ├─ QueryError(ValueError)                bad SPARQL, a refused update or SERVICE call
     │   └─ QueryTimeoutError(TimeoutError)   a query ran past its time limit
     ├─ StoreError(OSError)                   a store cannot be opened, or a remote endpoint fails
     └─ MissingExtraError(ImportError)        an optional dependency is not installed

    GenAIGraphWarning(UserWarning)            something was ignored or looks wrong, but the
                                              answer is still correct
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "AmbiguousNameError",
    "GenAIGraphError",
    "GenAIGraphWarning",
    "MissingExtraError",
    "OntologyLoadError",
    "QueryError",
    "QueryTimeoutError",
    "StoreError",
    "UnknownConceptError",
]


class GenAIGraphError(Exception):
    """Base class of every error raised by genai-graph."""


class GenAIGraphWarning(UserWarning):
    """Something was ignored or looks suspicious; the answer is still correct."""


class OntologyLoadError(GenAIGraphError, ValueError):
    """A source could not be read or parsed.

    Attributes
    ----------
    source : str
        The file path (or ``"<graph>"``/``"<data>"``) that failed.
    line, column : int or None
        1-based position of the problem, when the parser reports one.
    reason : str
        What went wrong, in the parser's words.
    """

    def __init__(
        self, source: str, reason: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.source = source
        self.reason = reason
        self.line = line
        self.column = column
        where = source
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"cannot load {where}: {reason}")


class UnknownConceptError(GenAIGraphError, LookupError):
    """A name matched no label, synonym, CURIE or IRI in the graph.

    Attributes
    ----------
    name : str
        The name as given.
    suggestions : tuple of str
        The closest known names, best first (may be empty).
    """

    def __init__(self, name: str, suggestions: Sequence[str] = (), *, reason: str = "") -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        msg = reason or f"unknown name {name!r}"
        if self.suggestions:
            msg += "; did you mean " + " or ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(msg)


class AmbiguousNameError(GenAIGraphError, LookupError):
    """A name matched several different resources.

    Attributes
    ----------
    name : str
        The name as given.
    candidates : tuple of str
        The matching resources as CURIEs or IRIs; pass one of them instead.
    """

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(
            f"ambiguous name {name!r} matches {len(self.candidates)} resources: "
            + ", ".join(self.candidates)
            + "; pass one of these instead"
        )


class QueryError(GenAIGraphError, ValueError):
    """A SPARQL query is malformed or not allowed.

    Attributes
    ----------
    line, column : int or None
        1-based position of a syntax error, when there is one.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        super().__init__(message)


class QueryTimeoutError(QueryError, TimeoutError):
    """A SPARQL query ran past its time limit and was stopped.

    Attributes
    ----------
    seconds : float
        The limit that was exceeded.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(f"the query ran past its time limit of {seconds:g} s and was stopped")


class StoreError(GenAIGraphError, OSError):
    """A store cannot be opened or written, or a remote SPARQL endpoint failed.

    Attributes
    ----------
    location : str
        The store's path or the endpoint's URL.
    """

    def __init__(self, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"{location}: {reason}")


class MissingExtraError(GenAIGraphError, ImportError):
    """An optional dependency is needed for this feature and is not installed."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the {package!r} package: pip install 'genai-graph[{extra}]'"
        )
