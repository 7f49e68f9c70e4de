"""Running SPARQL read queries safely, and the result objects they return.

``query`` pre-binds :data:`~genai_graph.namespaces.PREFIXES` (a ``PREFIX`` in
the query text overrides them) and refuses what a read query must not do:

- updates (``INSERT``, ``DELETE``, ``LOAD``, ``DROP``, ...): the graph is
  changed through explicit API calls only;
- ``SERVICE`` clauses, which make rdflib call out to a remote endpoint;
- ``FROM`` / ``FROM NAMED`` clauses, which make rdflib download graphs.

Syntax errors become :class:`~genai_graph.errors.QueryError` with the line,
the column and the offending token.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.query import Result, ResultRow

from .errors import QueryError
from .namespaces import PREFIXES

__all__ = ["SelectResult", "run_query"]

_MAX_QUERY = 1_000_000


def run_query(
    graph: Graph, text: str, *, shorten: Callable[[str], str] = str
) -> SelectResult | bool | Graph:
    """Run a read-only SPARQL query against `graph`.

    `shorten` turns IRIs into the short form that :meth:`SelectResult.to_table` shows.

    Returns
    -------
    SelectResult for SELECT, bool for ASK, rdflib.Graph for CONSTRUCT and DESCRIBE.

    Raises
    ------
    QueryError
        On a syntax error, an update, a SERVICE or FROM clause.
    """
    if not isinstance(text, str):
        raise QueryError(f"a query must be a string, not {type(text).__name__}")
    if len(text) > _MAX_QUERY:
        raise QueryError(f"query too long ({len(text)} characters, limit {_MAX_QUERY})")
    try:
        parsed = parseQuery(text)
    except ParseBaseException as err:
        if _is_update(text):
            raise QueryError(
                "query() is read-only and this is a SPARQL update; "
                "change the graph through the API instead"
            ) from None
        raise _syntax_error(err) from None
    try:
        prepared = translateQuery(parsed, initNs=dict(PREFIXES))
    except Exception as err:  # e.g. an undeclared prefix
        raise QueryError(f"invalid query: {err}") from None
    algebra = prepared.algebra
    if algebra.get("datasetClause"):
        raise QueryError(
            "FROM and FROM NAMED are not supported: they would make rdflib fetch remote graphs; "
            "load the data with genai_graph.load() instead"
        )
    if _contains(algebra, "ServiceGraphPattern"):
        raise QueryError("SERVICE clauses are refused: they would send the query over the network")
    try:
        with warnings.catch_warnings():
            # rdflib's engine calls its own deprecated Dataset API; users can't act on that.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
            result = graph.query(prepared)
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
            return SelectResult(result, shorten=shorten)
    except Exception as err:  # evaluation errors: type errors in functions, ...
        raise QueryError(f"query failed: {err}") from err


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except ParseBaseException:
        return False
    return True


def _syntax_error(err: ParseBaseException) -> QueryError:
    line_text = err.line
    pointer = " " * (err.col - 1) + "^"
    found = err.msg
    return QueryError(
        f"SPARQL syntax error at line {err.lineno}, column {err.col}: {found}\n"
        f"  {line_text}\n  {pointer}",
        line=err.lineno,
        column=err.col,
    )


def _contains(node: Any, name: str) -> bool:
    """Return True if the algebra tree under `node` holds a part called `name`."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name == name:
                return True
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, Mapping):
            stack.extend(item.values())
    return False


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


class SelectResult(Sequence[ResultRow]):
    """The rows of a SELECT query.

    Rows are rdflib ``ResultRow`` objects: index them by position
    (``row[0]``) or by variable name (``row.n`` or ``row["n"]``). Unbound
    values are None.

    Examples
    --------
    >>> rows = kg.query("SELECT ?c WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel }")
    >>> rows.vars
    ('c',)
    >>> genai_graph.GENAI.GenerativePretrainedTransformer in [row.c for row in rows]
    True
    """

    def __init__(self, result: Result, *, shorten: Callable[[str], str] = str) -> None:
        self.vars: tuple[str, ...] = tuple(str(v) for v in (result.vars or ()))
        self._rows: list[ResultRow] = list(result)  # type: ignore[arg-type]
        self._shorten = shorten

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
        """Return the rows in the SPARQL 1.1 Query Results JSON format."""
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
        """Return the rows in the SPARQL 1.1 Query Results CSV format."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.vars)
        for row in self._rows:
            writer.writerow(
                ["" if v is None else (f"_:{v}" if isinstance(v, BNode) else str(v)) for v in row]
            )
        return buf.getvalue()

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
        return f"<SelectResult vars={list(self.vars)} rows={len(self._rows)}>"
