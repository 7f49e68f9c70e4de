"""Running SPARQL safely: read queries, updates, and the result objects they return.

``run_query`` pre-binds :data:`~genai_graph.namespaces.PREFIXES` (a ``PREFIX`` in
the query text overrides them) and refuses what a read query must not do:

- updates (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``, ...): they go through
  :func:`run_update` (``kg.update``) instead;
- ``SERVICE`` clauses, which make rdflib call out to a remote endpoint, unless
  the caller passes ``allow_service=True``;
- ``FROM`` / ``FROM NAMED`` clauses, which make rdflib download graphs.

Values for variables (``bindings``) are handed to rdflib's evaluator as terms,
never pasted into the query text. A time limit stops runaway queries (see
:func:`genai_graph._store.run_with_deadline`). Syntax errors become
:class:`~genai_graph.errors.QueryError` with the line, the column and the
offending token.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import decimal
import html
import importlib
import io
import json
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import islice
from typing import Any

from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.graph import ConjunctiveGraph
from rdflib.plugins.sparql.algebra import translateQuery, translateUpdate
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query, Update
from rdflib.plugins.sparql.update import evalUpdate
from rdflib.query import Result, ResultRow
from rdflib.term import Identifier

from ._store import rdflib_deprecations_hidden, run_with_deadline
from .errors import GenAIGraphError, MissingExtraError, QueryError
from .model import Concept
from .namespaces import PREFIXES

__all__ = ["SelectResult", "run_query", "run_update"]

_MAX_QUERY = 1_000_000
_HTML_ROWS = 200  # rows a notebook shows before "... more rows"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"

Bindings = Mapping[str, object]
"""Values for query variables: ``{"name": value}``; see :func:`run_query`."""


def run_query(
    graph: Graph,
    text: str,
    *,
    shorten: Callable[[str], str] = str,
    bindings: Bindings | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
    max_rows: int | None = None,
) -> SelectResult | bool | Graph:
    """Run a read-only SPARQL query against `graph`.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph or dataset to query.
    text : str
        The query.
    shorten : callable, optional
        Turns IRIs into the short form that :meth:`SelectResult.to_table` shows.
    bindings : mapping, optional
        Values for variables, by name (``"x"`` or ``"?x"``). Each value is data,
        never query text: an rdflib ``URIRef``, ``Literal`` or ``BNode`` is used
        as it is; a :class:`~genai_graph.Concept` stands for its IRI; a Python
        ``str``, ``int``, ``float``, ``bool``, ``Decimal``, ``date``,
        ``datetime`` or ``time`` becomes a typed literal. A ``str`` is always a
        literal, never a name: bind ``kg.concept("GPT-4")`` for the concept.
        A bound variable behaves as if the query started with it bound (rdflib's
        ``initBindings``).
    timeout : float, optional
        Stop the query with :class:`~genai_graph.errors.QueryTimeoutError` once
        it has run this many seconds.
    allow_service : bool, default False
        Let ``SERVICE`` clauses call remote endpoints.
    max_rows : int, optional
        Keep at most this many SELECT rows; rdflib stops computing after them
        and :attr:`SelectResult.truncated` tells whether there were more.

    Returns
    -------
    SelectResult for SELECT, bool for ASK, rdflib.Graph for CONSTRUCT and DESCRIBE.

    Raises
    ------
    QueryError
        On a syntax error, an update, a SERVICE (unless allowed) or FROM clause,
        a binding for a variable the query does not use, or a failed evaluation.
    QueryTimeoutError
        When the query runs past `timeout`; the graph is unchanged and usable.
    """
    _check_text(text)
    _check_limits(timeout, max_rows)
    try:
        parsed = _parse(parseQuery, text)
    except ParseBaseException as err:
        if _parses(parseUpdate, text):
            raise QueryError(
                "query() is read-only and this is a SPARQL update; "
                "run it with update() (kg.update) to change the graph"
            ) from None
        raise _syntax_error(err) from None
    try:
        prepared = translateQuery(parsed, initNs=dict(PREFIXES))
    except RecursionError:
        raise QueryError(_TOO_DEEP) from None
    except Exception as err:  # e.g. an undeclared prefix
        raise QueryError(f"invalid query: {err}") from None
    algebra = prepared.algebra
    if dict.get(algebra, "datasetClause"):
        raise QueryError(
            "FROM and FROM NAMED are not supported: they would make rdflib fetch remote graphs; "
            "load the data with genai_graph.load() instead"
        )
    if not allow_service and _contains(algebra, "ServiceGraphPattern"):
        raise QueryError(
            "SERVICE clauses are refused: they would send the query over the network; "
            "pass allow_service=True to allow them"
        )
    if not isinstance(graph, ConjunctiveGraph) and _contains(algebra, "Graph"):
        raise QueryError(
            "GRAPH needs named graphs, and this graph has none (entailment='told' queries one "
            "default graph); with another entailment the stated and inferred triples are the "
            "named graphs <urn:genai-graph:asserted> and <urn:genai-graph:inferred>"
        )
    initial = _initial_bindings(bindings, _variables(algebra))

    def evaluate() -> SelectResult | bool | Graph:
        return _evaluate(graph, prepared, initial, shorten, max_rows)

    try:
        with rdflib_deprecations_hidden():  # thread-safe, unlike warnings.catch_warnings
            if timeout is None:
                return evaluate()
            return run_with_deadline(timeout, evaluate)
    except GenAIGraphError:  # ours already say what went wrong (a timeout, a closed store)
        raise
    except Exception as err:  # evaluation errors: type errors in functions, ...
        raise QueryError(f"query failed: {err}") from err


def _evaluate(
    graph: Graph,
    prepared: Query,
    initial: dict[str, Identifier],
    shorten: Callable[[str], str],
    max_rows: int | None,
) -> SelectResult | bool | Graph:
    """Run the query and read its whole answer (under the time limit, if any)."""
    result = graph.query(prepared, initBindings=initial)
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        out = Graph()
        for prefix, namespace in PREFIXES.items():
            out.bind(prefix, namespace)
        if result.graph is not None:
            for triple in result.graph:
                out.add(triple)
        return out
    variables = [str(v) for v in (result.vars or ())]
    if max_rows is None:
        return SelectResult._of(variables, result.bindings, shorten=shorten)
    # rdflib computes rows lazily until Result.bindings is read; take only what we keep.
    pending = getattr(result, "_genbindings", None)
    source: Iterator[Mapping[Variable, Identifier]] = (
        pending if pending is not None else iter(result.bindings)
    )
    rows = list(islice(source, max_rows + 1))
    return SelectResult._of(
        variables, rows[:max_rows], shorten=shorten, truncated=len(rows) > max_rows
    )


def run_update(graph: Graph, text: str, *, bindings: Bindings | None = None) -> tuple[int, int]:
    """Run a SPARQL 1.1 Update on `graph`, all or nothing.

    ``INSERT DATA``, ``DELETE DATA``, ``DELETE WHERE``, ``DELETE/INSERT ...
    WHERE`` and ``CLEAR``/``DROP`` of ``DEFAULT`` or ``ALL`` (the whole graph)
    run; ``LOAD`` (network and files), ``SERVICE``, ``USING``, ``WITH``,
    ``GRAPH`` and the other named-graph operations (``CREATE``, ``ADD``,
    ``MOVE``, ``COPY``, ``CLEAR``/``DROP`` of a named graph) are refused: the
    knowledge graph is one graph. If an operation fails, every change the
    request made is undone.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to change, through its own add/remove methods (so a store
        that tracks changes sees them).
    text : str
        The update request: one or more operations separated by ``;``.
    bindings : mapping, optional
        Values for variables of the WHERE clauses, as for :func:`run_query`.

    Returns
    -------
    (int, int)
        The number of triples the request added and removed, net: a triple
        deleted and inserted again counts in neither.

    Raises
    ------
    QueryError
        On a syntax error, a read query, a refused operation, an unknown
        binding or a failed operation (after undoing its changes).
    """
    _check_text(text)
    try:
        parsed = _parse(parseUpdate, text)
    except ParseBaseException as err:
        if _parses(parseQuery, text):
            raise QueryError(
                "update() changes the graph and this is a read query; run it with query()"
            ) from None
        raise _syntax_error(err) from None
    try:
        translated = translateUpdate(parsed, initNs=dict(PREFIXES))
    except RecursionError:
        raise QueryError(_TOO_DEEP) from None
    except Exception as err:  # e.g. an undeclared prefix
        raise QueryError(f"invalid update: {err}") from None
    if not isinstance(translated, Update):  # an empty request: rdflib returns []
        return (0, 0)
    for operation in translated.algebra:
        _check_operation(operation)
    initial = _initial_bindings(bindings, _variables(translated.algebra))
    with _journaled(graph) as journal:
        try:
            with rdflib_deprecations_hidden():
                for operation in translated.algebra:
                    if operation.name in ("Clear", "Drop"):  # DEFAULT or ALL: the one graph
                        graph.remove((None, None, None))
                    else:
                        evalUpdate(graph, Update(translated.prologue, [operation]), initial)
        except BaseException as err:
            journal.undo()
            if isinstance(err, Exception) and not isinstance(err, GenAIGraphError):
                raise QueryError(f"update failed, nothing was changed: {err}") from err
            raise
    return journal.net()


_NAMED_GRAPHS = (
    "the knowledge graph is one graph, without named graphs; "
    "CLEAR DEFAULT or DELETE WHERE { ?s ?p ?o } empties it"
)


def _check_operation(op: CompValue) -> None:
    """Refuse an update operation that would reach out or needs named graphs."""
    name = op.name
    if name == "Load":
        raise QueryError(
            "LOAD is refused: it would read a file or fetch data over the network; "
            "use genai_graph.load() or kg.graph.parse() instead"
        )
    if name in ("Create", "Add", "Move", "Copy"):
        raise QueryError(f"{name.upper()} is refused: {_NAMED_GRAPHS}")
    if name in ("Clear", "Drop"):
        if op.graphiri not in ("DEFAULT", "ALL"):
            raise QueryError(f"{name.upper()} of a named graph is refused: {_NAMED_GRAPHS}")
        return
    if _contains(op, "ServiceGraphPattern"):
        raise QueryError("SERVICE clauses are refused in updates: they would reach the network")
    if dict.get(op, "using"):
        raise QueryError(
            "USING and USING NAMED are refused: they would make rdflib fetch remote graphs"
        )
    if dict.get(op, "withClause") is not None:
        raise QueryError(f"WITH is refused: {_NAMED_GRAPHS}")
    templates = [op] if name != "Modify" else [t for t in (op.delete, op.insert) if t]
    if any(dict.get(t, "quads") for t in templates) or _contains(dict.get(op, "where"), "Graph"):
        raise QueryError(f"GRAPH is refused in updates: {_NAMED_GRAPHS}")


class _Journal:
    """The triples an update added and removed, in order, to undo or count them."""

    def __init__(self, add: Callable[[Any], object], remove: Callable[[Any], object]) -> None:
        self._add, self._remove = add, remove  # the graph's own methods, not journaled
        self.entries: list[tuple[bool, tuple[Any, Any, Any]]] = []  # (added?, triple)

    def undo(self) -> None:
        """Take back every recorded change, the last first."""
        while self.entries:
            added, triple = self.entries.pop()
            if added:
                self._remove(triple)
            else:
                self._add(triple)

    def net(self) -> tuple[int, int]:
        before: dict[tuple[Any, Any, Any], bool] = {}  # present before the update?
        after: dict[tuple[Any, Any, Any], bool] = {}
        for added, triple in self.entries:
            before.setdefault(triple, not added)
            after[triple] = added
        gained = sum(1 for t, was in before.items() if not was and after[t])
        lost = sum(1 for t, was in before.items() if was and not after[t])
        return gained, lost


@contextlib.contextmanager
def _journaled(graph: Graph) -> Iterator[_Journal]:
    """Record every triple rdflib's update engine adds to or removes from `graph`.

    rdflib changes the graph only through its ``add``, ``addN`` and ``remove``
    methods, so they are shadowed on this one instance for the duration (the
    engine requires the exact Graph class, so a subclass will not do).
    ``triples`` is shadowed too, to read each match in full before anything
    changes: rdflib's DELETE WHERE deletes while it still iterates the matches,
    which rdflib's SimpleMemory store does not survive.
    """
    add, add_n, remove, triples = graph.add, graph.addN, graph.remove, graph.triples
    journal = _Journal(add, remove)
    entries = journal.entries

    def read_first(pattern: Any) -> Iterator[Any]:
        return iter(list(triples(pattern)))

    def valid(triple: Any) -> None:
        s, p, _ = triple
        if not isinstance(s, (URIRef, BNode)) or not isinstance(p, URIRef):
            raise QueryError(
                f"the update would state {s.n3()} {p.n3()} ...: a subject must be an IRI or a "
                "blank node and a predicate an IRI; nothing was changed"
            )

    def journal_add(triple: Any) -> Graph:
        valid(triple)
        was = triple in graph
        add(triple)
        if not was and triple in graph:
            entries.append((True, tuple(triple)))
        return graph

    def journal_add_n(quads: Any) -> Graph:
        quads = list(quads)
        for s, p, o, _ in quads:
            valid((s, p, o))
        fresh = {(s, p, o) for s, p, o, _ in quads}
        fresh = {t for t in fresh if t not in graph}
        add_n(quads)
        entries.extend((True, t) for t in fresh if t in graph)
        return graph

    def journal_remove(pattern: Any) -> Graph:
        found = list(graph.triples(pattern))
        remove(pattern)
        entries.extend((False, t) for t in found if t not in graph)
        return graph

    shadowed = {
        "add": journal_add,
        "addN": journal_add_n,
        "remove": journal_remove,
        "triples": read_first,
    }
    for name, method in shadowed.items():
        setattr(graph, name, method)
    try:
        yield journal
    finally:
        for name in shadowed:
            vars(graph).pop(name, None)


# -- checking input ------------------------------------------------------------


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise QueryError(f"a query must be a string, not {type(text).__name__}")
    if len(text) > _MAX_QUERY:
        raise QueryError(f"query too long ({len(text)} characters, limit {_MAX_QUERY})")


def _check_limits(timeout: object, max_rows: object) -> None:
    if timeout is not None and (
        isinstance(timeout, bool)
        or not isinstance(timeout, (int, float))
        or not math.isfinite(timeout)
        or timeout <= 0
    ):
        raise QueryError(f"timeout must be a positive number of seconds, not {timeout!r}")
    if max_rows is not None and (
        isinstance(max_rows, bool) or not isinstance(max_rows, int) or max_rows < 0
    ):
        raise QueryError(f"max_rows must be a non-negative integer, not {max_rows!r}")


_TOO_DEEP = (
    "the query is too deeply nested, or has too many triple patterns in a row, for rdflib's "
    "SPARQL parser (it recurses once per ' . ' and per nested group; about 80 in a row fit); "
    "split long runs of patterns into groups { ... } { ... }, or use VALUES"
)


# rdflib's pyparsing grammar is not thread-safe: parse actions called for the first
# time from two threads at once fail (pyparsing works out their arity by trial,
# "postParse2() missing 1 required positional argument"). One parse at a time.
_PARSE_LOCK = threading.Lock()


def _parse(parse: Callable[[str], Any], text: str) -> Any:
    """Parse with rdflib (one thread at a time), turning recursion-depth failures into a QueryError."""
    try:
        with _PARSE_LOCK:
            return parse(text)
    except RecursionError:
        raise QueryError(_TOO_DEEP) from None


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        _parse(parse, text)
    except (ParseBaseException, QueryError):
        return False
    return True


_TOKEN = re.compile(r"""<[^<>\s]{0,60}>?|"[^"\n]{0,40}"?|'[^'\n]{0,40}'?|[?$]?[\w:.\-]{1,40}|\S""")
_CONTEXT_BEFORE, _CONTEXT_AFTER = 60, 40  # characters of a long line shown around the error


def _syntax_error(err: ParseBaseException) -> QueryError:
    line, col = err.line, err.col
    found = _TOKEN.match(err.pstr, err.loc) if err.loc < len(err.pstr) else None
    if found is None:
        what = "unexpected end of the query"
    else:
        token = "".join(c if c.isprintable() else " " for c in found.group(0))
        what = f"unexpected {token!r}"
    start = max(0, col - 1 - _CONTEXT_BEFORE)
    end = col - 1 + _CONTEXT_AFTER
    before = "..." if start > 0 else ""
    after = "..." if end < len(line) else ""
    snippet = "".join(c if c.isprintable() else " " for c in line[start:end])
    pointer = " " * (len(before) + col - 1 - start) + "^"
    expected = err.msg[0].lower() + err.msg[1:] if err.msg else ""
    return QueryError(
        f"SPARQL syntax error at line {err.lineno}, column {col}: {what}"
        + (f" ({expected})" if expected else "")
        + f"\n  {before}{snippet}{after}\n  {pointer}",
        line=err.lineno,
        column=col,
    )


def _walk(node: Any) -> Iterator[Any]:
    """Yield every part of an algebra tree."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            stack.extend(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())


def _contains(node: Any, name: str) -> bool:
    """Return True if the algebra tree under `node` holds a part called `name`."""
    return any(isinstance(item, CompValue) and item.name == name for item in _walk(node))


def _variables(node: Any) -> set[str]:
    """Return the names of the variables an algebra tree mentions."""
    return {str(item) for item in _walk(node) if isinstance(item, Variable)}


_LITERAL_TYPES = (
    str,
    bool,
    int,
    float,
    decimal.Decimal,
    datetime.date,
    datetime.datetime,
    datetime.time,
)


def _initial_bindings(bindings: Bindings | None, known: set[str]) -> dict[str, Identifier]:
    """Turn the caller's bindings into rdflib terms, checking each name against the query."""
    if bindings is None:
        return {}
    if not isinstance(bindings, Mapping):
        raise QueryError(
            f"bindings must be a mapping from variable name to value, not {type(bindings).__name__}"
        )
    out: dict[str, Identifier] = {}
    for key, value in bindings.items():
        if not isinstance(key, str):
            raise QueryError(f"a binding's name must be a string, not {key!r}")
        name = key[1:] if key[:1] in ("?", "$") else key
        if name not in known:
            shown = sorted(v for v in known if not v.startswith("__"))
            raise QueryError(
                f"bindings name ?{name}, which the query does not use; "
                + (
                    "its variables are " + ", ".join(f"?{v}" for v in shown)
                    if shown
                    else "it has no variables"
                )
            )
        if name in out:
            raise QueryError(f"?{name} is bound twice in bindings")
        out[name] = _term(name, value)
    return out


def _term(name: str, value: object) -> Identifier:
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if isinstance(value, Concept):
        return value.iri
    if isinstance(value, _LITERAL_TYPES) and not isinstance(value, Identifier):
        return Literal(value)
    raise QueryError(
        f"cannot bind ?{name} to {type(value).__name__} {value!r}: pass an rdflib URIRef, "
        "Literal or BNode, a Concept (kg.concept(name)), or a str, int, float, bool, Decimal, "
        "date, datetime or time"
    )


# -- writing results -------------------------------------------------------------


def _term_json(term: object) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    raise TypeError(f"not an RDF term: {term!r}")


# Turtle's ECHAR escapes: the characters a one-line, tab-separated "..." string may not hold raw,
# and backspace and form feed, which would otherwise be invisible.
_STRING_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}
_STRING_SPECIAL = re.compile('["\\\\\n\r\t\b\f]')
# What an IRIREF may not hold raw; written as Turtle UCHAR escapes (\u003C).
_IRI_SPECIAL = re.compile('[\x00-\x20<>"{}|^`\\\\]')


def _uchar(c: str) -> str:
    return f"\\u{ord(c):04X}"


def _nt(term: object) -> str:
    """Write an RDF term as N-Triples (the form SPARQL TSV results use)."""
    if isinstance(term, URIRef):
        return "<" + _IRI_SPECIAL.sub(lambda m: _uchar(m.group(0)), str(term)) + ">"
    if isinstance(term, BNode):
        label = re.sub(r"[^A-Za-z0-9_]", "_", str(term)) or "b"
        return "_:" + label
    if isinstance(term, Literal):
        body = _STRING_SPECIAL.sub(lambda m: _STRING_ESCAPES[m.group(0)], str(term))
        if term.language:
            return f'"{body}"@{term.language}'
        if term.datatype:
            return f'"{body}"^^{_nt(URIRef(term.datatype))}'
        return f'"{body}"'
    raise TypeError(f"not an RDF term: {term!r}")


# XML 1.0 cannot carry these characters at all, escaped or not.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str, var: str) -> str:
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise QueryError(
            f"a value of ?{var} holds the character U+{ord(bad.group(0)):04X}, which XML 1.0 "
            "cannot represent; ask for JSON, CSV or TSV results instead"
        )
    # \r would come back as \n through an XML parser's line-end normalization.
    return html.escape(value, quote=False).replace("\r", "&#13;")


def _xml_attr(value: str, var: str) -> str:
    return _xml_text(value, var).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _xml_term(term: object, var: str) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{_xml_text(str(term), var)}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{_xml_text(str(term), var)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            attr = f' xml:lang="{_xml_attr(term.language, var)}"'
        elif term.datatype:
            attr = f' datatype="{_xml_attr(str(term.datatype), var)}"'
        else:
            attr = ""
        return f"<literal{attr}>{_xml_text(str(term), var)}</literal>"
    raise TypeError(f"not an RDF term: {term!r}")


class SelectResult(Sequence[ResultRow]):
    """The rows of a SELECT query.

    Rows are rdflib ``ResultRow`` objects: index them by position
    (``row[0]``) or by variable name (``row.n`` or ``row["n"]``). Unbound
    values are None. The rows convert to the four standard SPARQL 1.1 result
    formats (:meth:`to_json`, :meth:`to_xml`, :meth:`to_csv`, :meth:`to_tsv`),
    to dicts, to a pandas DataFrame and to a text table; in a notebook they
    show as an HTML table.

    Attributes
    ----------
    vars : tuple of str
        The variable names, in the order of the SELECT clause.
    truncated : bool
        True if ``max_rows`` cut off further rows.

    Examples
    --------
    >>> rows = kg.query("SELECT ?c WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel }")
    >>> rows.vars
    ('c',)
    >>> genai_graph.GENAI.GenerativePretrainedTransformer in [row.c for row in rows]
    True
    """

    vars: tuple[str, ...]
    truncated: bool

    def __init__(self, result: Result, *, shorten: Callable[[str], str] = str) -> None:
        self._fill([str(v) for v in (result.vars or ())], result.bindings, shorten, False)

    @classmethod
    def _of(
        cls,
        variables: Sequence[str],
        solutions: Sequence[Mapping[Variable, Identifier]],
        *,
        shorten: Callable[[str], str] = str,
        truncated: bool = False,
    ) -> SelectResult:
        made = cls.__new__(cls)
        made._fill(variables, solutions, shorten, truncated)
        return made

    def _fill(
        self,
        variables: Sequence[str],
        solutions: Sequence[Mapping[Variable, Identifier]],
        shorten: Callable[[str], str],
        truncated: bool,
    ) -> None:
        self.vars = tuple(variables)
        labels = [Variable(v) for v in variables]
        # Every solution is a row, the empty one too (SELECT * {} has one row; rdflib's
        # Result iterator would drop it).
        self._rows: list[ResultRow] = [ResultRow(s, labels) for s in solutions]
        self._shorten = shorten
        self.truncated = truncated

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i: int) -> ResultRow:  # type: ignore[override]
        return self._rows[i]

    def __iter__(self) -> Iterator[ResultRow]:
        return iter(self._rows)

    def to_dicts(self) -> list[dict[str, Any]]:
        """Return the rows as dicts from variable name to rdflib term (unbound omitted)."""
        return [
            {var: value for var, value in zip(self.vars, row, strict=True) if value is not None}
            for row in self._rows
        ]

    def to_json(self) -> str:
        """Return the rows in the SPARQL 1.1 Query Results JSON format.

        Examples
        --------
        >>> rows = kg.query('SELECT ?label WHERE { genai:GPT4 rdfs:label ?label }')
        >>> print(rows.to_json())
        {"head": {"vars": ["label"]}, "results": {"bindings": [{"label": {"type": "literal", "value": "GPT-4", "xml:lang": "en"}}]}}
        """
        bindings = [
            {
                var: _term_json(value)
                for var, value in zip(self.vars, row, strict=True)
                if value is not None
            }
            for row in self._rows
        ]
        return json.dumps(
            {"head": {"vars": list(self.vars)}, "results": {"bindings": bindings}},
            ensure_ascii=False,
        )

    def to_csv(self) -> str:
        """Return the rows in the SPARQL 1.1 Query Results CSV format.

        Values are bare: IRIs as they are, literals as their text (language and
        datatype are dropped, as the format says), blank nodes as ``_:label``,
        unbound as an empty field.
        """
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.vars)
        for row in self._rows:
            writer.writerow(
                ["" if v is None else (f"_:{v}" if isinstance(v, BNode) else str(v)) for v in row]
            )
        return buf.getvalue()

    def to_tsv(self) -> str:
        """Return the rows in the SPARQL 1.1 Query Results TSV format.

        The header names the variables with ``?``; each value is an RDF term in
        N-Triples form (``<iri>``, ``"text"@en``, ``"1"^^<...#integer>``,
        ``_:b0``); unbound values are empty fields.

        Examples
        --------
        >>> rows = kg.query('SELECT ?m ?label WHERE { BIND(genai:GPT4 AS ?m) ?m rdfs:label ?label }')
        >>> print(rows.to_tsv(), end="")
        ?m   ?label
        <https://w3id.org/genai-graph/ontology#GPT4>   "GPT-4"@en
        """
        lines = ["\t".join(f"?{v}" for v in self.vars)]
        for row in self._rows:
            lines.append("\t".join("" if v is None else _nt(v) for v in row))
        return "\n".join(lines) + "\n"

    def to_xml(self) -> str:
        """Return the rows in the SPARQL Query Results XML Format.

        Raises
        ------
        QueryError
            If a value holds a character XML 1.0 cannot represent (most ASCII
            control characters); JSON, CSV and TSV carry every value.
        """
        out = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<sparql xmlns="{_RESULTS_NS}">\n',
            "  <head>\n",
        ]
        out.extend(f'    <variable name="{_xml_attr(v, v)}"/>\n' for v in self.vars)
        out.append("  </head>\n  <results>\n")
        for row in self._rows:
            out.append("    <result>\n")
            for var, value in zip(self.vars, row, strict=True):
                if value is not None:
                    out.append(
                        f'      <binding name="{_xml_attr(var, var)}">{_xml_term(value, var)}</binding>\n'
                    )
            out.append("    </result>\n")
        out.append("  </results>\n</sparql>\n")
        return "".join(out)

    def to_dataframe(self, *, terms: bool = False) -> Any:
        """Return the rows as a pandas DataFrame, one column per variable.

        Needs pandas (``pip install 'genai-graph[dataframe]'``). Returns a
        ``pandas.DataFrame``.

        Parameters
        ----------
        terms : bool, default False
            Keep every value as its rdflib term. By default literals become
            Python values (``int``, ``float``, ``bool``, ``datetime``, ``str``,
            ...; ill-typed ones stay Literals), so that numeric columns are
            numbers; IRIs and blank nodes stay rdflib terms; unbound values
            are None.

        Raises
        ------
        MissingExtraError
            If pandas is not installed.
        """
        try:
            pd = importlib.import_module("pandas")
        except ImportError:
            raise MissingExtraError("pandas", "dataframe", "SelectResult.to_dataframe()") from None
        convert: Callable[[Any], Any] = (
            (lambda v: v) if terms else (lambda v: v.toPython() if isinstance(v, Literal) else v)
        )
        data = [[None if v is None else convert(v) for v in row] for row in self._rows]
        if terms:
            return pd.DataFrame(data, columns=list(self.vars), dtype=object)
        return pd.DataFrame(data, columns=list(self.vars))

    def to_table(self) -> str:
        """Return the rows as an aligned text table, IRIs shortened to CURIEs."""
        cells = [list(self.vars)]
        for row in self._rows:
            cells.append([self._cell(v) for v in row])
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.vars))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """Return an HTML table for Jupyter: every value escaped, long answers cut at 200 rows."""
        esc = html.escape
        parts = ['<table class="genai-graph-result">', "<thead><tr>"]
        parts.extend(f"<th>?{esc(v)}</th>" for v in self.vars)
        parts.append("</tr></thead><tbody>")
        for row in self._rows[:_HTML_ROWS]:
            parts.append("<tr>")
            for value in row:
                title = ""
                if isinstance(value, URIRef):
                    title = str(value)
                elif isinstance(value, Literal) and value.language:
                    title = f"@{value.language}"
                elif isinstance(value, Literal) and value.datatype:
                    title = self._shorten(str(value.datatype))
                attr = f' title="{esc(title)}"' if title else ""
                parts.append(f"<td{attr}>{esc(self._cell(value))}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
        hidden = len(self._rows) - _HTML_ROWS
        notes = []
        if hidden > 0:
            notes.append(f"{hidden:,} more rows not shown")
        if self.truncated:
            notes.append("cut off at max_rows")
        count = f"{len(self._rows):,} row{'' if len(self._rows) == 1 else 's'}"
        parts.append(f"<p>{esc('; '.join([count, *notes]))}</p>")
        return "".join(parts)

    def _cell(self, value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, URIRef):
            return self._shorten(str(value))
        if isinstance(value, BNode):
            return f"_:{value}"
        return str(value).replace("\n", " ")

    def __str__(self) -> str:
        return self.to_table()

    def __repr__(self) -> str:
        more = " truncated" if self.truncated else ""
        return f"<SelectResult vars={list(self.vars)} rows={len(self._rows)}{more}>"
