"""The exceptions and warnings genai-graph raises.

Every error derives from :class:`GenAIGraphError`, and also from the builtin
that fits it, so callers can catch either::

    GenAIGraphError(Exception)
     ├─ OntologyLoadError(ValueError)         a file that cannot be read or parsed
     ├─ UnknownConceptError(LookupError)      a name that matches nothing; suggests close names
     ├─ AmbiguousNameError(LookupError)       a name that matches several resources; lists them
     ├─ QueryError(ValueError)                bad SPARQL, a refused update or SERVICE call
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


class MissingExtraError(GenAIGraphError, ImportError):
    """An optional dependency is needed for this feature and is not installed."""

    def __init__(self, package: str, extra: str, feature: str) -> None:
        super().__init__(
            f"{feature} needs the {package!r} package: pip install 'genai-graph[{extra}]'"
        )
