"""Asking a remote SPARQL 1.1 endpoint the questions a KnowledgeGraph answers, without downloading it.

:func:`connect` returns a :class:`RemoteGraph` for a SPARQL endpoint (Virtuoso,
Apache Jena Fuseki, GraphDB, Oxigraph server, ...). Each question fetches only
the statements that decide it, into a small local
:class:`~genai_graph.KnowledgeGraph`, and answers there with the same code as
a local graph, so proofs and answers are the same:

- ``is_a``, ``ancestors``, ``parents``, ``equivalents`` and ``explain`` fetch
  the *upward closure* of the concept: everything reachable from it along
  ``rdf:type``, ``rdfs:subClassOf``, ``owl:equivalentClass`` and ``owl:sameAs``
  (one query, a property path bound at the concept's end);
- ``descendants``, ``children`` and ``instances`` fetch the *downward closure*;
- ``relations`` and ``concept`` fetch the concept's own statements, its class
  expressions and the names of what they mention;
- ``neighbourhood`` fetches the concepts within a number of links, level by
  level, and the pictures (``to_html``, ``to_networkx``) are drawn from it.

Only the ``"told"`` and ``"rdfs"`` entailment regimes are answered remotely:
their answers for a concept depend only on statements reachable from it, so a
fragment decides them exactly. OWL 2 EL and OWL RL classification can depend
on any defined class anywhere in the ontology; a fragment cannot decide them,
and ``entailment="el"`` or ``"owl-rl"`` is refused with an error rather than
answered incompletely.

HTTP goes through the standard library (``urllib``): no extra dependency.
Names a user types are never pasted into query text: IRIs are checked against
the SPARQL grammar and strings are escaped, so a hostile label is only ever a
string value.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
import uuid
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from email.message import Message
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD
from rdflib.query import Result
from rdflib.term import Node

from ._version import __version__
from .errors import (
    AmbiguousNameError,
    GenAIGraphError,
    GenAIGraphWarning,
    OntologyLoadError,
    QueryError,
    StoreError,
    UnknownConceptError,
)
from .graph import KnowledgeGraph, NameLike, load
from .loading import bundled_triples
from .model import Concept, ConceptSet, Explanation, Relation
from .names import (
    LABEL_PREDICATES,
    SYNONYM_PREDICATES,
    NameIndex,
    checked_name,
    is_curie_or_iri,
)
from .namespaces import PREFIXES
from .sparql import SelectResult

if TYPE_CHECKING:
    import os

    import networkx as nx

__all__ = [
    "REMOTE_ENTAILMENTS",
    "RemoteGraph",
    "connect",
    "sparql_iri",
    "sparql_string",
    "sparql_term",
    "sparql_text",
]

REMOTE_ENTAILMENTS = ("told", "rdfs")
"""The entailment regimes a :class:`RemoteGraph` answers (see the module docstring)."""

_DEFINITION_PREDICATES = (
    SKOS.definition,
    URIRef("http://purl.obolibrary.org/obo/IAO_0000115"),
    RDFS.comment,
)
_ANNOTATIONS = (*LABEL_PREDICATES, *SYNONYM_PREDICATES, *_DEFINITION_PREDICATES)
"""What a concept's label, synonyms and definition are read from: fetched with every concept."""

_IS_A = (RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.sameAs)

# One step up (or down) the told hierarchy; equivalence and sameAs count both ways.
_UP_PATH = (
    f"(<{RDF.type}>|<{RDFS.subClassOf}>|<{OWL.equivalentClass}>|^<{OWL.equivalentClass}>"
    f"|<{OWL.sameAs}>|^<{OWL.sameAs}>)"
)
_DOWN_PATH = f"(<{RDFS.subClassOf}>|<{OWL.equivalentClass}>|^<{OWL.equivalentClass}>)"
# The predicates that hold a class expression together (blank nodes hang off them).
_STRUCTURE = (
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.complementOf,
    OWL.oneOf,
    RDF.first,
    RDF.rest,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.onProperty,
    OWL.onProperties,
    OWL.onClass,
    OWL.onDataRange,
    OWL.inverseOf,
    OWL.onDatatype,
    OWL.withRestrictions,
    OWL.datatypeComplementOf,
)
_STRUCTURE_PATH = "(" + "|".join(f"<{p}>" for p in _STRUCTURE) + ")"

_VOCABULARY = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)
_LINK_VOCABULARY = (*_VOCABULARY, "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/")
"""Namespaces whose predicates never make a relation (as in the local regimes)."""

_NOT_LINK = " && ".join(f'!STRSTARTS(STR(?p), "{ns}")' for ns in _LINK_VOCABULARY)

_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RDF_FORMATS = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f]')
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_ECHAR = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ECHAR.update({ord("\b"): "\\b", ord("\f"): "\\f"})
_ECHAR.update({c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F) if c not in _ECHAR})
_DECLARED_PREFIX = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:")
_QUERY_FORM = re.compile(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b")
_UPDATE_WORDS = re.compile(
    r"(?i)^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b"
)
_COMMENT = re.compile(r"(?m)#[^\n]*$")

_TAXONOMY = (
    "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o .\n"
    f"  FILTER(isIRI(?s) && !isBlank(?o) && ?p IN ({', '.join(f'<{p}>' for p in (*_IS_A, *_ANNOTATIONS))})) }}"
)
"""Every is-a statement and every name: what owl:Thing's descendants and owl:Nothing's ancestors need."""

_MAX_QUERY = 1_000_000
_VALUES_CHUNK = 200
_PATH_CHUNK = 50
_PLAIN_CHUNK = 1000
_BLANK_CHUNK = 150
_LOOPBACK = ("localhost", "127.0.0.1", "::1")


# -- writing SPARQL safely ---------------------------------------------------------------------


def sparql_iri(iri: str) -> str:
    r"""Return `iri` as a SPARQL IRI reference ``<...>``, or raise ValueError if it cannot be one.

    The characters the SPARQL grammar forbids in an IRI reference (spaces,
    controls, ``<>"{}|^`\``) are refused rather than escaped, so nothing
    typed by a user can close the reference and continue the query.

    Examples
    --------
    >>> sparql_iri("https://w3id.org/genai-graph/ontology#GPT4")
    '<https://w3id.org/genai-graph/ontology#GPT4>'
    >>> sparql_iri("http://x.org/> } ; DROP ALL ; #")
    Traceback (most recent call last):
    ...
    ValueError: not a valid IRI: 'http://x.org/> } ; DROP ALL ; #'
    """
    text = str(iri)
    if not text or _IRI_FORBIDDEN.search(text) or not _SCHEME.match(text):
        raise ValueError(f"not a valid IRI: {text!r}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"not a valid IRI: {text!r}") from None
    return f"<{text}>"


def sparql_string(text: str) -> str:
    r"""Return `text` as a SPARQL string literal, escaped per the SPARQL 1.1 grammar.

    Examples
    --------
    >>> print(sparql_string('say "hi" } ; DROP ALL ; #'))
    "say \"hi\" } ; DROP ALL ; #"
    """
    return '"' + text.translate(_ECHAR) + '"'


_CODEPOINT = re.compile(r"(?<=\\)(?=[uU])")


def sparql_text(text: str) -> str:
    r"""Return `text` as a SPARQL string expression that survives codepoint-escape processing.

    SPARQL 1.1 lets an engine replace ``\u0041`` anywhere in a query before
    parsing (rdflib does), which would turn the escaped backslash of
    ``"\\u0041"`` plus ``u0041`` into ``"\A"``. Where the text has a backslash
    before ``u`` or ``U``, the string is split after that backslash and joined
    with CONCAT, so no ``\u`` ever appears in the query. For expressions
    (FILTER, BIND), not for constants in a triple pattern.

    Examples
    --------
    >>> print(sparql_text("plain"))
    "plain"
    >>> print(sparql_text(r"a\u0041"))
    CONCAT("a\\", "u0041")
    """
    parts = _CODEPOINT.split(text)
    if len(parts) == 1:
        return sparql_string(text)
    return "CONCAT(" + ", ".join(sparql_string(part) for part in parts) + ")"


def sparql_term(term: Node) -> str:
    """Return an IRI or literal as SPARQL text (blank nodes have no query syntax: ValueError)."""
    if isinstance(term, URIRef):
        return sparql_iri(term)
    if isinstance(term, Literal):
        body = sparql_string(str(term))
        if term.language:
            if not _LANGUAGE.match(term.language):
                raise ValueError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None and term.datatype != XSD.string:
            return f"{body}^^{sparql_iri(term.datatype)}"
        return body
    raise ValueError(f"cannot write {type(term).__name__} {term!r} into a query")


_NOWHERE = URIRef("urn:genai-graph:no-such-resource")
"""Pads a one-row VALUES block: Virtuoso 7.2 turns one row into a constant and then answers
property paths joined to it wrongly (seen: thousands of rows for a class with five ancestors)."""


def _values(var: str, terms: Iterable[URIRef]) -> str:
    iris = [sparql_iri(t) for t in terms]
    if len(iris) == 1:
        iris.append(sparql_iri(_NOWHERE))
    return f"VALUES ?{var} {{ " + " ".join(iris) + " }"


def _in(terms: Iterable[URIRef]) -> str:
    return ", ".join(sparql_iri(t) for t in terms)


def _chunks(items: Sequence[URIRef], size: int) -> Iterator[Sequence[URIRef]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _is_vocabulary(term: Node) -> bool:
    return (
        isinstance(term, URIRef)
        and term not in (OWL.Thing, OWL.Nothing)
        and str(term).startswith(_VOCABULARY)
    )


def _lower(text: str) -> str:
    """Return `text` as labels are compared on the server: NFKC, single spaces, lower case."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


# -- HTTP ------------------------------------------------------------------------------------


def _check_url(url: object, what: str) -> str:
    if not isinstance(url, str):
        raise StoreError(repr(url), f"{what} must be a string URL, not {type(url).__name__}")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError on a malformed port
    except ValueError as err:
        raise StoreError(url, f"{what} is not a valid URL: {err}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(url, f"{what} must be an http:// or https:// URL of a SPARQL endpoint")
    if parts.username is not None or parts.password is not None:
        raise StoreError(
            f"{parts.scheme}://{parts.hostname}", f"pass credentials with auth=, not in the {what}"
        )
    return url


def _opener(url: str, auth: tuple[str, str] | None) -> urllib.request.OpenerDirector:
    """Return an opener for `url`: Digest or Basic auth as the server asks, no proxy for loopback."""
    handlers: list[urllib.request.BaseHandler] = []
    host = urllib.parse.urlsplit(url).hostname or ""
    if host in _LOOPBACK:
        handlers.append(urllib.request.ProxyHandler({}))
    if auth is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, auth[0], auth[1])
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def _server_message(body: bytes) -> str:
    """Return the server's own words from an error response (Virtuoso: the text before the query)."""
    text = body.decode("utf-8", "replace")
    text = text.split("\n\nSPARQL query:", 1)[0]
    if "<html" in text[:200].lower():
        text = re.sub(r"<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text[:600] + ("..." if len(text) > 600 else "")


def _bindings_term(value: Mapping[str, str], blanks: dict[str, BNode]) -> Node:
    kind, text = value["type"], value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        found = blanks.get(text)
        if found is None:
            found = blanks[text] = BNode()
        return found
    language = value.get("xml:lang")
    if language:
        return Literal(text, lang=language)
    datatype = value.get("datatype")
    if datatype and datatype != str(XSD.string):
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


class _TruncatedError(StoreError):
    """The endpoint cut an answer off at its row limit (Virtuoso: ResultSetMaxRows)."""


def _triples_of(
    rows: Iterable[Mapping[str, Node]], s: str = "s", p: str = "p", o: str = "o"
) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triple each row binds to the variables `s`, `p` and `o` (rows that do not are skipped)."""
    for row in rows:
        subject, predicate, value = row.get(s), row.get(p), row.get(o)
        if (
            isinstance(subject, (URIRef, BNode))
            and isinstance(predicate, URIRef)
            and value is not None
        ):
            yield subject, predicate, value


def _with_expressions(
    rows: Iterable[Mapping[str, Node]], subject: str
) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triples of rows from :meth:`RemoteGraph._statements_query`: statements and expression parts."""
    rows = list(rows)  # read twice
    yield from _triples_of(rows, subject, "p", "o")
    yield from _triples_of(rows, "b", "bp", "bo")


_LINKED = (RDFS.subClassOf, OWL.equivalentClass, RDF.type, *_STRUCTURE)


def _incomplete(graph: Graph) -> list[URIRef]:
    """Return the concepts whose class expressions came back with a blank node that has no statements."""
    dangling = {
        o
        for _, p, o in graph
        if isinstance(o, BNode) and p in _LINKED and next(graph.predicate_objects(o), None) is None
    }
    if not dangling:
        return []
    owners: set[URIRef] = set()
    for b in dangling:  # walk up to the concept the expression belongs to
        seen, todo = {b}, [b]
        while todo:
            for parent in graph.subjects(None, todo.pop()):
                if isinstance(parent, URIRef):
                    owners.add(parent)
                elif isinstance(parent, BNode) and parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
    return sorted(owners)


def _check_expressions(url: str, graph: Graph) -> None:
    """Raise StoreError if a class expression came back with parts missing (a blank node with no statements).

    Every blank node of a well-formed class expression or list has statements
    of its own; one without means the endpoint left part of the answer out.
    """
    if any(
        isinstance(o, BNode) and p in _LINKED and next(graph.predicate_objects(o), None) is None
        for _, p, o in graph
    ):
        raise StoreError(
            url,
            "the endpoint's answer left out part of a class expression (a blank node with "
            "no statements); it cannot be trusted, so nothing was answered",
        )


def connect(
    url: str,
    *,
    graph: str | None = None,
    update_url: str | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float = 30.0,
    prefixes: Mapping[str, str] | None = None,
) -> RemoteGraph:
    """Connect to a SPARQL 1.1 endpoint; nothing is sent until the first question.

    Parameters
    ----------
    url : str
        The query endpoint, e.g. ``http://127.0.0.1:8890/sparql`` (Virtuoso),
        ``http://localhost:3030/ds/query`` (Fuseki) or
        ``http://localhost:7200/repositories/repo`` (GraphDB).
    graph : str, optional
        The named graph to ask and to write; sent as ``default-graph-uri``.
        Without it, queries see the endpoint's default graph (on Virtuoso, the
        union of all graphs) and :meth:`RemoteGraph.upload` is refused.
    update_url : str, optional
        The SPARQL Update endpoint, when it is not `url`: Virtuoso's
        ``/sparql-auth``, Fuseki's ``/ds/update``, GraphDB's
        ``/repositories/repo/statements``.
    auth : (user, password), optional
        Credentials for both endpoints, sent with HTTP Digest or Basic
        authentication, as the server asks.
    timeout : float, default 30.0
        Seconds to wait for each answer.
    prefixes : mapping of str to str, optional
        Extra prefixes for CURIEs, on top of :data:`genai_graph.PREFIXES`.

    Returns
    -------
    RemoteGraph

    Raises
    ------
    StoreError
        If a URL is not an http(s) URL.

    Examples
    --------
    >>> rg = genai_graph.connect("http://127.0.0.1:8890/sparql", graph="urn:genai-graph:ontology")
    >>> rg
    <RemoteGraph http://127.0.0.1:8890/sparql graph=<urn:genai-graph:ontology>>
    """
    return RemoteGraph(
        url, graph=graph, update_url=update_url, auth=auth, timeout=timeout, prefixes=prefixes
    )


class RemoteGraph:
    """A knowledge graph held by a SPARQL endpoint, asked without downloading it.

    Make one with :func:`genai_graph.connect`. Methods take names as a
    :class:`~genai_graph.KnowledgeGraph` does (labels and synonyms,
    case-insensitively; CURIEs; IRIs; :class:`~genai_graph.Concept`) and
    return the same types: answers are computed by a local KnowledgeGraph
    holding just the statements that decide them.

    Every call asks the endpoint afresh, so answers follow changes to the
    store. Only the resolution of names to IRIs is remembered (up to 1,024
    names), and forgotten by :meth:`upload` and :meth:`clear`; call
    :meth:`forget_names` after changing labels some other way.

    Parameters
    ----------
    url, graph, update_url, auth, timeout, prefixes
        See :func:`connect`.

    Attributes
    ----------
    url, update_url : str
        The endpoints.
    graph : rdflib.URIRef or None
        The named graph asked and written.
    timeout : float
        Seconds to wait for each answer.
    entailment : {"told", "rdfs"}
        The regime used when a call does not name one (default ``"told"``).

    Examples
    --------
    With a Virtuoso on this machine (the test suite does this against a
    private instance)::

        rg = genai_graph.connect(
            "http://127.0.0.1:8890/sparql",
            graph="urn:genai-graph:ontology",
            update_url="http://127.0.0.1:8890/sparql-auth",
            auth=("dba", "dba"),
        )
        rg.upload(replace=True)                      # the bundled ontology
        rg.is_a("LLM", "Generative AI")              # True
        print(rg.explain("GPT-4", "Generative AI"))  # the proof a local graph gives
        rg.to_html("gpt4.html", focus="GPT-4", depth=2)
    """

    def __init__(
        self,
        url: str,
        *,
        graph: str | None = None,
        update_url: str | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float = 30.0,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        self.url = _check_url(url, "url")
        self.update_url = _check_url(update_url if update_url is not None else url, "update_url")
        if graph is not None:
            try:
                sparql_iri(graph)
            except ValueError as err:
                raise StoreError(self.url, f"graph= {err}") from None
        self.graph: URIRef | None = None if graph is None else URIRef(graph)
        if auth is not None and not (
            isinstance(auth, tuple)
            and len(auth) == 2
            and all(isinstance(part, str) for part in auth)
        ):
            raise StoreError(self.url, "auth must be a (user, password) tuple of strings")
        if not isinstance(timeout, (int, float)) or timeout <= 0:
            raise StoreError(
                self.url, f"timeout must be a positive number of seconds, not {timeout!r}"
            )
        self.timeout = float(timeout)
        self._auth = auth
        self._openers: dict[str, urllib.request.OpenerDirector] = {}
        self._prefixes = {k: str(v) for k, v in PREFIXES.items()}
        for prefix, namespace in (prefixes or {}).items():
            try:
                sparql_iri(namespace)
            except ValueError as err:
                raise StoreError(self.url, f"prefixes= {prefix!r}: {err}") from None
            self._prefixes[prefix] = str(namespace)
        self._curies = NameIndex(Graph(), (), self._prefixes)
        self._names: dict[str, URIRef] = {}
        self._entailment = "told"

    # -- configuration ---------------------------------------------------------------------

    @property
    def entailment(self) -> str:
        """The regime methods use when a call does not name one: ``"told"`` or ``"rdfs"``."""
        return self._entailment

    @entailment.setter
    def entailment(self, name: str) -> None:
        self._entailment = self._check_entailment(name)

    def _check_entailment(self, name: str | None) -> str:
        if name is None:
            return self._entailment
        if name in REMOTE_ENTAILMENTS:
            return name
        if name in ("el", "owl-rl"):
            raise GenAIGraphError(
                f"entailment={name!r} is not answered on a remote store: OWL classification can "
                "depend on any defined class in the ontology, so no fragment of it decides the "
                "answer. Use 'told' or 'rdfs' here, or copy the data and load it locally "
                "(genai_graph.load(file, entailment=...))"
            )
        raise GenAIGraphError(
            f"unknown entailment {name!r}; a remote graph answers {', '.join(map(repr, REMOTE_ENTAILMENTS))}"
        )

    def __repr__(self) -> str:
        graph = "" if self.graph is None else f" graph=<{self.graph}>"
        return f"<RemoteGraph {self.url}{graph}>"

    def forget_names(self) -> None:
        """Forget the remembered resolution of names to IRIs."""
        self._names.clear()

    # -- HTTP --------------------------------------------------------------------------------

    def _post(self, url: str, form: Mapping[str, str], accept: str) -> tuple[bytes, Message]:
        """POST a form to `url`; return the body and headers, or raise StoreError/QueryError."""
        opener = self._openers.get(url)
        if opener is None:
            opener = self._openers[url] = _opener(url, self._auth)
        data = urllib.parse.urlencode(form).encode("utf-8")
        request = urllib.request.Request(
            url,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": accept,
                "User-Agent": f"genai-graph/{__version__}",
            },
        )
        try:
            with opener.open(request, timeout=self.timeout) as response:
                return response.read(), response.headers
        except urllib.error.HTTPError as err:
            try:
                body = err.read()
            except Exception:  # a broken connection while reading the error
                body = b""
            message = _server_message(body) or err.reason
            if err.code == 400:
                raise QueryError(f"the endpoint rejected the query: {message}") from None
            if err.code in (401, 403):
                hint = "" if self._auth else "; pass auth=(user, password)"
                raise StoreError(
                    url, f"permission denied (HTTP {err.code}){hint}: {message}"
                ) from None
            if err.code == 404:
                raise StoreError(
                    url, f"no SPARQL endpoint at this URL (HTTP 404): {message}"
                ) from None
            if "SECURITY" in message or "permission" in message.lower():
                hint = "" if self._auth else "; pass auth=(user, password)"
                raise StoreError(
                    url, f"permission denied (HTTP {err.code}){hint}: {message}"
                ) from None
            raise StoreError(url, f"the endpoint failed (HTTP {err.code}): {message}") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, TimeoutError):
                raise StoreError(url, f"no answer within {self.timeout:g} s") from None
            raise StoreError(url, f"cannot reach the endpoint: {reason}") from None
        except TimeoutError:
            raise StoreError(url, f"no answer within {self.timeout:g} s") from None
        except (http.client.HTTPException, OSError, ValueError) as err:
            raise StoreError(url, f"the connection failed: {err!r}") from None

    def _query_form(self, text: str) -> dict[str, str]:
        form = {"query": text}
        if self.graph is not None:
            form["default-graph-uri"] = str(self.graph)
        return form

    def _select_json(self, text: str) -> tuple[dict[str, Any], bytes, Message]:
        body, headers = self._post(self.url, self._query_form(text), _JSON)
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            kind = headers.get("Content-Type", "unknown")
            raise StoreError(
                self.url, f"not a SPARQL endpoint: answered with {kind}, not SPARQL JSON results"
            ) from None
        if not isinstance(document, dict):
            raise StoreError(self.url, "not a SPARQL endpoint: the answer is not SPARQL JSON")
        if headers.get("X-SQL-State"):
            raise QueryError(
                "the endpoint stopped the query early and returned partial results: "
                + str(headers.get("X-SQL-Message", headers.get("X-SQL-State")))
            )
        return document, body, headers

    def _own(self, text: str) -> tuple[dict[str, Any], Message]:
        """Run a query genai-graph wrote; the endpoint rejecting it is the endpoint's problem."""
        try:
            document, _, headers = self._select_json(text)
        except QueryError as err:
            raise StoreError(
                self.url, f"the endpoint cannot run a SPARQL 1.1 query genai-graph sent: {err}"
            ) from None
        return document, headers

    def _rows(self, text: str) -> list[dict[str, Node]]:
        """Run one of our own SELECT queries; a cut-off answer is an error, never a partial answer."""
        document, headers = self._own(text)
        if headers.get("X-SPARQL-MaxRows"):
            raise _TruncatedError(
                self.url,
                f"the endpoint cut the answer off at {headers['X-SPARQL-MaxRows']} rows "
                "(Virtuoso: ResultSetMaxRows in the [SPARQL] section of virtuoso.ini); "
                "raise that limit to ask about concepts this large",
            )
        try:
            bindings = document["results"]["bindings"]
        except (KeyError, TypeError):
            raise StoreError(self.url, "the answer is not a SPARQL SELECT result") from None
        blanks: dict[str, BNode] = {}
        return [
            {var: _bindings_term(value, blanks) for var, value in row.items()} for row in bindings
        ]

    def _ask(self, text: str) -> bool:
        document, _ = self._own(text)
        return _ask_answer(self.url, document)

    def _fetch(self, queries: Iterable[str], into: Graph | None = None) -> Graph:
        """Run ``SELECT ?s ?p ?o`` queries and collect their triples (blank nodes kept apart per query).

        SELECT rather than CONSTRUCT: Virtuoso cuts a CONSTRUCT off at
        ResultSetMaxRows without saying so, while it marks a cut SELECT.
        """
        out = into if into is not None else Graph()
        for text in queries:
            for triple in _triples_of(self._rows(text)):
                out.add(triple)
        return out

    def _rows_for(
        self,
        nodes: Sequence[URIRef],
        query: Callable[[Sequence[URIRef]], str],
        size: int | None = None,
    ) -> Iterator[dict[str, Node]]:
        """Run `query` on `nodes` in chunks of `size`; a chunk whose answer the endpoint cuts off is halved."""
        pending = [list(chunk) for chunk in _chunks(nodes, size or _VALUES_CHUNK)]
        while pending:
            chunk = pending.pop()
            try:
                rows = self._rows(query(chunk))
            except _TruncatedError:
                if len(chunk) == 1:
                    raise
                half = len(chunk) // 2
                pending += [chunk[:half], chunk[half:]]
                continue
            yield from rows

    def _update(self, text: str) -> None:
        form = {"update": text}
        try:
            self._post(self.update_url, form, "*/*")
        except QueryError as err:
            raise StoreError(self.update_url, f"the endpoint refused the update: {err}") from None

    # -- names -------------------------------------------------------------------------------

    def _resolve(self, name: NameLike) -> URIRef:
        """Return the IRI `name` denotes in the store (see :meth:`concept`)."""
        if isinstance(name, Concept):
            return name.iri
        if not isinstance(name, str):
            raise TypeError(f"a name must be a str, URIRef or Concept, not {type(name).__name__}")
        key = f"<{name}>" if isinstance(name, URIRef) else str(name)
        found = self._names.get(key)
        if found is None:
            found = self._lookup(key)
            if len(self._names) >= 1024:
                self._names.clear()
            self._names[key] = found
        return found

    def _lookup(self, name: str) -> URIRef:
        text = checked_name(name)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise UnknownConceptError(name, reason="the name is not valid Unicode text") from None
        if text.startswith("<") and text.endswith(">"):
            return self._known_iri(text[1:-1], name)
        if is_curie_or_iri(text):
            prefix, _, local = text.partition(":")
            if prefix in self._prefixes:
                iri = self._prefixes[prefix] + local
                try:
                    sparql_iri(iri)
                except ValueError:
                    pass
                else:
                    if self._exists(URIRef(iri)):
                        return URIRef(iri)
            elif "/" in local or prefix in ("urn", "http", "https", "file", "mailto", "tag"):
                return self._known_iri(text, name)
        return self._by_label(text, name)

    def _known_iri(self, iri: str, name: str) -> URIRef:
        try:
            sparql_iri(iri)
        except ValueError as err:
            raise UnknownConceptError(name, reason=f"{err}") from None
        ref = URIRef(iri)
        if self._exists(ref):
            return ref
        local = re.split(r"[#/:]", iri)[-1]
        raise UnknownConceptError(
            name, self._suggest(local) if local else (), reason=f"no resource with IRI <{iri}>"
        )

    def _exists(self, iri: URIRef) -> bool:
        if iri in (OWL.Thing, OWL.Nothing):
            return True
        i = sparql_iri(iri)
        return self._ask(f"ASK {{ {{ {i} ?p ?o }} UNION {{ ?s ?p {i} }} UNION {{ ?s {i} ?o }} }}")

    def _by_label(self, text: str, name: str) -> URIRef:
        wanted = _lower(text)
        labels, synonyms = _in(LABEL_PREDICATES), _in(SYNONYM_PREDICATES)
        # Compared as a KnowledgeGraph compares names: case and runs of whitespace ignored.
        # A word of the name is looked for first, so the regular expression runs on few labels.
        word = max(wanted.split(" "), key=len)
        spaced = 'REPLACE(REPLACE(STR(?l), "^\\\\s+|\\\\s+$", ""), "\\\\s+", " ")'
        levels: dict[int, set[URIRef]] = defaultdict(set)
        for rank, predicates in enumerate((labels, synonyms)):  # a label outranks a synonym
            rows = self._rows(
                f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?l . FILTER(?p IN ({predicates}))\n"
                f"  FILTER(isIRI(?s) && isLiteral(?l) && CONTAINS(LCASE(STR(?l)), {sparql_text(word)}))\n"
                # STR(): Virtuoso finds LCASE(...) and CONCAT(...) of the same text unequal
                f"  FILTER(STR(LCASE({spaced})) = {sparql_text(wanted)}) }} LIMIT 1000"
            )
            levels[rank] = {s for row in rows if isinstance(s := row.get("s"), URIRef)}
            if levels[rank]:
                break
        local = unicodedata.normalize("NFKC", text).strip()
        if not any(levels.values()) and re.fullmatch(r"[\w.\-]+", local):
            ends = " || ".join(
                f"STRENDS(LCASE(STR(?s)), {sparql_text(sep + local.lower())})"
                for sep in ("#", "/", ":")
            )
            rows = self._rows(
                f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o . FILTER(isIRI(?s) && ({ends})) }} LIMIT 100"
            )
            for row in rows:
                s = row.get("s")
                if isinstance(s, URIRef):
                    levels[2].add(s)
        for rank in sorted(levels):
            matches = levels[rank]
            if len(matches) == 1:
                return next(iter(matches))
            if len(matches) > 1:
                raise AmbiguousNameError(name, sorted(self._curies.curie(str(m)) for m in matches))
        raise UnknownConceptError(name, self._suggest(text))

    def _suggest(self, text: str, n: int = 3) -> list[str]:
        """Return up to `n` names close to `text`, from labels and synonyms sharing a word with it."""
        words = sorted(set(re.findall(r"\w{3,}", _lower(text))), key=len, reverse=True)[:4]
        if not words:
            return []
        contains = " || ".join(f"CONTAINS(LCASE(STR(?l)), {sparql_text(w)})" for w in words)
        try:
            rows = self._rows(
                "SELECT DISTINCT ?s ?p ?l WHERE {\n"
                f"  ?s ?p ?l . FILTER(?p IN ({_in((*LABEL_PREDICATES, *SYNONYM_PREDICATES))}))\n"
                f"  FILTER(isIRI(?s) && isLiteral(?l) && ({contains}))\n"
                "} LIMIT 500"
            )
        except (StoreError, QueryError):
            return []  # suggestions are a courtesy: never hide the real error behind them
        candidates = Graph()
        for row in rows:
            s, p, label = row.get("s"), row.get("p"), row.get("l")
            if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(label, Literal):
                candidates.add((s, p, label))
        return NameIndex(candidates, (), self._prefixes).suggest(text, n)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, (str, Concept)):
            return False
        try:
            self._resolve(name)
        except LookupError:
            return False
        return True

    # -- fragments ---------------------------------------------------------------------------

    def _local(self, fragment: Graph, entailment: str = "told") -> KnowledgeGraph:
        for prefix, namespace in self._prefixes.items():
            fragment.bind(prefix, namespace, override=True)
        return load(fragment, bundled=False, entailment=entailment)

    def _up(self, anchor: URIRef, into: Graph, *, annotated: bool) -> None:
        """Fetch the upward closure of `anchor` into `into`, and what makes it a class if nothing there does.

        One query with a path from the constant IRI: the shape Virtuoso 7.2
        answers reliably (a path started from VALUES or from a variable gave
        wrong answers there).
        """
        predicates = _in((*_IS_A, *(_ANNOTATIONS if annotated else ())))
        a = sparql_iri(anchor)
        for triple in _triples_of(
            self._rows(
                f"SELECT DISTINCT ?s ?p ?o WHERE {{ {a} {_UP_PATH}* ?s . ?s ?p ?o .\n"
                f"  FILTER(isIRI(?s) && !isBlank(?o) && ?p IN ({predicates})) }}"
            )
        ):
            into.add(triple)
        if anchor in (OWL.Thing, OWL.Nothing) or any(
            p in _IS_A for p in into.predicates(anchor, None)
        ):
            return
        # Known only from below (a subclass or an instance): one such statement says it is a class.
        below = _in((RDFS.subClassOf, RDF.type))
        for row in self._rows(
            f"SELECT ?s ?p WHERE {{ ?s ?p {a} . FILTER(isIRI(?s) && ?p IN ({below})) }} LIMIT 1"
        ):
            subject, predicate = row.get("s"), row.get("p")
            if isinstance(subject, URIRef) and isinstance(predicate, URIRef):
                into.add((subject, predicate, anchor))

    def _closure_up(self, nodes: Iterable[URIRef], into: Graph) -> None:
        """Fetch the is-a closure above many `nodes`, level by level (no transitive paths)."""
        self._walk(
            nodes,
            into,
            out=(*_IS_A, *_ANNOTATIONS),
            back=(OWL.equivalentClass, OWL.sameAs),
            follow=_IS_A,
            keep=lambda t: not _is_vocabulary(t),
        )

    def _walk(
        self,
        start: Iterable[URIRef],
        into: Graph,
        *,
        out: Sequence[URIRef],
        back: Sequence[URIRef],
        follow: Sequence[URIRef],
        keep: Callable[[URIRef], bool] = lambda t: True,
    ) -> None:
        """Fetch statements level by level from `start`, without transitive paths.

        Each level fetches the statements leaving the frontier by an `out`
        predicate (to IRIs and literals) and those reaching it by a `back`
        predicate (from IRIs); the IRIs met through a `follow` predicate that
        `keep` accepts form the next level.
        """
        outs = _in(out)
        if len(back) == 1:  # Virtuoso fails on a one-element IN: name the predicate
            lead, pattern, condition = "?s ?n", f"?s {sparql_iri(back[0])} ?n", "isIRI(?s)"
        else:
            lead, pattern, condition = "?s ?p ?n", "?s ?p ?n", f"isIRI(?s) && ?p IN ({_in(back)})"

        def outgoing(chunk: Sequence[URIRef]) -> str:
            return (
                f"SELECT DISTINCT ?n ?p ?o WHERE {{ {_values('n', chunk)} ?n ?p ?o .\n"
                f"  FILTER(!isBlank(?o) && ?p IN ({outs})) }}"
            )

        def incoming(chunk: Sequence[URIRef]) -> str:
            return (
                f"SELECT DISTINCT {lead} WHERE {{ {_values('n', chunk)} {pattern} .\n"
                f"  FILTER({condition}) }}"
            )

        seen: set[URIRef] = set()
        frontier = sorted(set(start))
        while frontier:
            seen.update(frontier)
            back_rows = [
                {"p": back[0], **row} if len(back) == 1 else row
                for row in self._rows_for(frontier, incoming)
            ]
            found: set[URIRef] = set()
            for s, p, o in (
                *_triples_of(self._rows_for(frontier, outgoing), "n", "p", "o"),
                *_triples_of(back_rows, "s", "p", "n"),
            ):
                into.add((s, p, o))
                if p in follow:
                    found.update(t for t in (s, o) if isinstance(t, URIRef))
            frontier = sorted(t for t in found - seen if keep(t))

    def _rdfs_extras(self, anchors: Sequence[URIRef], into: Graph) -> None:
        """Fetch what RDFS adds to `anchors`: their links, and the properties' hierarchy, domains and ranges.

        The owl:sameAs group and the property hierarchy are walked level by level,
        without property paths: Virtuoso 7.2 answered a transitive path started
        from a variable (rather than an IRI) differently from run to run.
        """
        links: set[URIRef] = set()
        same = sparql_iri(OWL.sameAs)
        group: set[URIRef] = set()
        members = list(anchors)
        while members:  # the owl:sameAs group, level by level
            group.update(members)

            def outgoing(chunk: Sequence[URIRef]) -> str:
                return (
                    f"SELECT DISTINCT ?g ?p ?o WHERE {{ {_values('g', chunk)} ?g ?p ?o .\n"
                    f"  FILTER(!isBlank(?o) && {_NOT_LINK}) }}"
                )

            def incoming(chunk: Sequence[URIRef]) -> str:
                return (
                    f"SELECT DISTINCT ?s ?p ?g WHERE {{ {_values('g', chunk)} ?s ?p ?g .\n"
                    f"  FILTER(isIRI(?s) && {_NOT_LINK}) }}"
                )

            def same_out(chunk: Sequence[URIRef]) -> str:
                return f"SELECT DISTINCT ?g ?o WHERE {{ {_values('g', chunk)} ?g {same} ?o . FILTER(isIRI(?o)) }}"

            def same_in(chunk: Sequence[URIRef]) -> str:
                return f"SELECT DISTINCT ?s ?g WHERE {{ {_values('g', chunk)} ?s {same} ?g . FILTER(isIRI(?s)) }}"

            for s, p, o in (
                *_triples_of(self._rows_for(members, outgoing), "g", "p", "o"),
                *_triples_of(self._rows_for(members, incoming), "s", "p", "g"),
            ):
                into.add((s, p, o))
                if isinstance(p, URIRef):
                    links.add(p)
            same_as = [
                *_triples_of(
                    ({**row, "p": OWL.sameAs} for row in self._rows_for(members, same_out)),
                    "g",
                    "p",
                    "o",
                ),
                *_triples_of(
                    ({**row, "p": OWL.sameAs} for row in self._rows_for(members, same_in)),
                    "s",
                    "p",
                    "g",
                ),
            ]
            partners: set[URIRef] = set()
            for s, p, o in same_as:
                into.add((s, p, o))
                partners.update(t for t in (s, o) if isinstance(t, URIRef))
            members = sorted(partners - group)
        self._walk(
            links,
            into,
            out=(RDFS.subPropertyOf, OWL.equivalentProperty, RDFS.domain, RDFS.range, RDF.type),
            back=(OWL.equivalentProperty,),
            follow=(RDFS.subPropertyOf, OWL.equivalentProperty),
        )

    def _upward(
        self, anchors: Sequence[URIRef], entailment: str, *, annotated: bool = True
    ) -> KnowledgeGraph:
        """Return a local graph holding what decides is-a questions about `anchors`."""
        anchors = list(dict.fromkeys(anchors))
        fragment = Graph()
        if entailment == "rdfs":
            self._rdfs_extras(anchors, fragment)
            typed = {
                o
                for p in (RDFS.domain, RDFS.range)
                for o in fragment.objects(None, p)
                if isinstance(o, URIRef)
            }
            anchors += sorted(typed - set(anchors))
        for anchor in anchors:
            self._up(anchor, fragment, annotated=annotated)
        local = self._local(fragment, entailment)
        if any(
            a != OWL.Thing and local.is_a(Concept(local, a), OWL.Nothing, entailment=entailment)
            for a in anchors
        ):
            # Unsatisfiable (stated below owl:Nothing): below every class, so every class
            # and every other unsatisfiable class decide. Rare, and it takes the taxonomy.
            self._fetch([_TAXONOMY], fragment)
            local = self._local(fragment, entailment)
        return local

    def _downward(self, x: URIRef, *, instances: bool) -> KnowledgeGraph:
        """Return a local graph holding every class below `x` (with `instances`: their individuals)."""
        described = _in((RDFS.subClassOf, OWL.equivalentClass, RDF.type, *_ANNOTATIONS))
        if x == OWL.Thing:  # everything is below owl:Thing: the whole taxonomy decides
            queries = [_TAXONOMY]
        else:
            # owl:Nothing's too: a class stated below it is unsatisfiable and left out
            queries = [
                f"SELECT DISTINCT ?s ?p ?o WHERE {{ ?s {_DOWN_PATH}* {sparql_iri(top)} . ?s ?p ?o .\n"
                f"  FILTER(isIRI(?s) && !isBlank(?o) && ?p IN ({described})) }}"
                for top in (x, OWL.Nothing)
            ]
        fragment = self._fetch(queries)
        self._up(x, fragment, annotated=True)
        if instances and x != OWL.Thing:
            rows = self._rows(
                f"SELECT DISTINCT ?i WHERE {{ ?c {_DOWN_PATH}* {sparql_iri(x)} . "
                f"?i {sparql_iri(RDF.type)} ?c . FILTER(isIRI(?i)) }}"
            )
            found = {i for row in rows if isinstance(i := row.get("i"), URIRef)}
            self._individuals(sorted(found), fragment)
        return self._local(fragment)

    def _individuals(self, individuals: Sequence[URIRef], into: Graph) -> None:
        """Fetch the types and names of `individuals` and of everything owl:sameAs them, level by level."""
        self._walk(
            individuals,
            into,
            out=(RDF.type, OWL.sameAs, *_ANNOTATIONS),
            back=(OWL.sameAs,),
            follow=(OWL.sameAs,),
        )

    @staticmethod
    def _statements_query(subject: str) -> str:
        """Return a query for the statements of `subject` (an IRI, or ``?f`` bound by VALUES) and their class expressions.

        Rows bind ``?p ?o`` (a statement of the subject) or ``?b ?bp ?bo`` (a
        statement of a blank node of one of its class expressions), in one
        answer so that blank nodes keep their identity.
        """
        return (
            f"{{ {subject} ?p ?o }}\n"
            f"  UNION {{ {subject} ?q0 ?e . FILTER(isBlank(?e)) ?e {_STRUCTURE_PATH}* ?b . "
            "FILTER(isBlank(?b)) ?b ?bp ?bo }"
        )

    def _describe(self, nodes: Sequence[URIRef], into: Graph) -> Graph:
        """Fetch the names, definitions and kinds of `nodes` (and property declarations) into `into`."""
        kinds = _in(
            (
                RDF.type,
                *_ANNOTATIONS,
                RDFS.subPropertyOf,
                OWL.equivalentProperty,
                OWL.inverseOf,
                RDFS.domain,
                RDFS.range,
            )
        )

        def query(chunk: Sequence[URIRef]) -> str:
            return (
                f"SELECT DISTINCT ?s ?p ?o WHERE {{ {_values('s', chunk)} ?s ?p ?o .\n"
                f"  FILTER(!isBlank(?o) && ?p IN ({kinds})) }}"
            )

        for triple in _triples_of(self._rows_for(nodes, query)):
            into.add(triple)
        return into

    def _own_statements(self, x: URIRef) -> list[tuple[Node, Node, Node]]:
        """Return the statements of `x` and of the blank nodes of its class expressions."""
        rows = self._rows(
            f"SELECT ?p ?o ?b ?bp ?bo WHERE {{ {self._statements_query(sparql_iri(x))} }}"
        )
        for row in rows:
            row.setdefault("s", x)
        return list(_with_expressions(rows, "s"))

    def _statements_of(self, x: URIRef) -> Graph:
        """Return the statements of `x`, its class expressions, and the names of what they mention."""
        fragment = Graph()
        for triple in self._own_statements(x):
            fragment.add(triple)
        _check_expressions(self.url, fragment)
        mentioned = sorted(
            {
                t
                for triple in fragment
                for t in triple
                if isinstance(t, URIRef) and t != x and not _is_vocabulary(t)
            }
        )
        return self._describe(mentioned, fragment)

    # -- what a concept is -------------------------------------------------------------------

    def concept(self, name: NameLike) -> Concept:
        """Return the concept `name` denotes, with its label, definition, synonyms and kind.

        The concept belongs to a small local graph holding its statements, so
        its attributes are read without further requests.

        Raises
        ------
        UnknownConceptError
            If nothing matches; the message suggests close names.
        AmbiguousNameError
            If several resources match; the message lists them.
        """
        iri = self._resolve(name)
        fragment = self._statements_of(iri)
        self._up(iri, fragment, annotated=False)
        return Concept(self._local(fragment), iri)

    def relations(self, x: NameLike, *, inferred: bool = False) -> list[Relation]:
        """Return the stated links of `x`, sorted by relation and target, as :meth:`KnowledgeGraph.relations` does.

        Links are triples whose predicate is not an annotation, and existential
        or value restrictions on `x`. Inherited and derived links
        (``inferred=True``) need the whole ontology's property axioms and
        ancestors' restrictions; ask a local graph for them, e.g.
        ``genai_graph.load(...).relations(x, inferred=True)``.
        """
        if inferred:
            raise GenAIGraphError(
                "relations(..., inferred=True) is not answered on a remote store; "
                "load the ontology locally for inherited and derived relations"
            )
        iri = self._resolve(x)
        local = self._local(self._statements_of(iri))
        return local.relations(Concept(local, iri))

    # -- subsumption -------------------------------------------------------------------------

    def is_a(self, x: NameLike, y: NameLike, *, entailment: str | None = None) -> bool:
        """Return True if `x` is a `y`: a subclass, an instance of a subclass, or `y` itself.

        One request (after the names are known): the upward closure of `x` and `y`.
        """
        regime = self._check_entailment(entailment)
        ix, iy = self._resolve(x), self._resolve(y)
        if ix == iy:
            return True
        # x's upward closure decides: y is a class above x, or x is not a y
        local = self._upward([ix], regime, annotated=False)
        return local.is_a(Concept(local, ix), Concept(local, iy), entailment=regime)

    def explain(
        self, x: NameLike, y: NameLike, *, entailment: str | None = None
    ) -> Explanation | None:
        """Return the statements proving `x` is a `y`, or None; the same proof a local graph gives."""
        regime = self._check_entailment(entailment)
        ix, iy = self._resolve(x), self._resolve(y)
        local = self._upward([ix], regime)
        return local.explain(Concept(local, ix), Concept(local, iy), entailment=regime)

    def ancestors(
        self, x: NameLike, *, reflexive: bool = False, entailment: str | None = None
    ) -> ConceptSet:
        """Return every class `x` is a subclass or an instance of (owl:Thing left out)."""
        regime = self._check_entailment(entailment)
        ix = self._resolve(x)
        local = self._upward([ix], regime)
        return local.ancestors(Concept(local, ix), reflexive=reflexive, entailment=regime)

    def parents(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the direct superclasses of a class, or the direct types of an individual."""
        regime = self._check_entailment(entailment)
        ix = self._resolve(x)
        local = self._upward([ix], regime)
        return local.parents(Concept(local, ix), entailment=regime)

    def equivalents(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the classes equivalent to `x` (stated, or through a subclass cycle), without `x`."""
        regime = self._check_entailment(entailment)
        ix = self._resolve(x)
        local = self._upward([ix], regime)
        return local.equivalents(Concept(local, ix), entailment=regime)

    def descendants(
        self, x: NameLike, *, reflexive: bool = False, entailment: str | None = None
    ) -> ConceptSet:
        """Return every class that is a subclass of `x`.

        RDFS adds no subclass statements, so ``"told"`` and ``"rdfs"`` agree.
        """
        self._check_entailment(entailment)
        ix = self._resolve(x)
        local = self._downward(ix, instances=False)
        return local.descendants(Concept(local, ix), reflexive=reflexive, entailment="told")

    def children(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the direct subclasses of `x` (the same under ``"told"`` and ``"rdfs"``)."""
        self._check_entailment(entailment)
        ix = self._resolve(x)
        local = self._downward(ix, instances=False)
        return local.children(Concept(local, ix), entailment="told")

    def instances(self, x: NameLike, *, direct: bool = False) -> ConceptSet:
        """Return the individuals of class `x` and, unless `direct`, of its subclasses (told)."""
        ix = self._resolve(x)
        local = self._downward(ix, instances=True)
        return local.instances(Concept(local, ix), direct=direct, entailment="told")

    # -- SPARQL --------------------------------------------------------------------------------

    def query(self, sparql: str) -> SelectResult | bool | Graph:
        """Run a read-only SPARQL query on the endpoint; the usual prefixes and ``genai:`` are pre-bound.

        Returns a :class:`~genai_graph.SelectResult` for SELECT, a bool for ASK
        and an rdflib Graph for CONSTRUCT and DESCRIBE, as
        :meth:`KnowledgeGraph.query` does. The endpoint evaluates the query
        with its own engine and settings (its inference, its result limits);
        with ``graph=`` set, the graph is the query's default graph.

        Raises
        ------
        QueryError
            For an update (use :meth:`upload` and :meth:`clear`) and for a
            query the endpoint rejects, with the endpoint's message.
        StoreError
            If the endpoint cannot be reached or fails.
        """
        if not isinstance(sparql, str):
            raise QueryError(f"a query must be a string, not {type(sparql).__name__}")
        if len(sparql) > _MAX_QUERY:
            raise QueryError(f"query too long ({len(sparql)} characters, limit {_MAX_QUERY})")
        form = _query_kind(sparql)
        declared = {m.group(1) or "" for m in _DECLARED_PREFIX.finditer(sparql)}
        header = "".join(
            f"PREFIX {p}: {sparql_iri(ns)}\n"
            for p, ns in self._prefixes.items()
            if p not in declared
        )
        text = header + sparql
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                return self._graph_answer(text)
            document, body, headers = self._select_json(text)
        except QueryError as err:
            raise _shift_lines(err, header.count("\n")) from None
        if "boolean" in document or form == "ASK":
            return _ask_answer(self.url, document)
        if headers.get("X-SPARQL-MaxRows"):
            warnings.warn(
                f"the endpoint cut the answer off at {headers['X-SPARQL-MaxRows']} rows "
                "(Virtuoso: ResultSetMaxRows); add LIMIT/OFFSET to page through it",
                GenAIGraphWarning,
                stacklevel=2,
            )
        try:
            result = Result.parse(BytesIO(body), format="json")
        except Exception as err:
            raise StoreError(self.url, f"cannot read the endpoint's SELECT result: {err}") from None
        return SelectResult(result, shorten=self._curies.curie)

    def _graph_answer(self, text: str) -> Graph:
        body, headers = self._post(self.url, self._query_form(text), _GRAPH_TYPES)
        kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        fmt = _RDF_FORMATS.get(kind)
        if fmt is None:
            raise StoreError(
                self.url, f"the endpoint answered a graph query with {kind or 'nothing'}"
            )
        out = Graph()
        for prefix, namespace in self._prefixes.items():
            out.bind(prefix, namespace)
        try:
            out.parse(data=body, format=fmt)
        except Exception as err:
            raise StoreError(self.url, f"cannot read the endpoint's {kind} answer: {err}") from None
        return out

    # -- pictures --------------------------------------------------------------------------------

    def neighbourhood(self, x: NameLike, depth: int = 2) -> KnowledgeGraph:
        """Return a local KnowledgeGraph of the concepts within `depth` links of `x`.

        A link is what the pictures draw: a subclass, equivalence or type
        statement, or a relation (a triple or an existential or value
        restriction), followed both ways. The graph holds every statement of
        the concepts within ``depth - 1`` links, the statements of those at
        exactly `depth` links (their labels, definitions, types and outgoing
        links), the declarations of the properties used, and the is-a closure
        above all of them, so that ``is_a`` and ``ancestors`` on it are exact
        under ``"told"``. Its default entailment is ``"told"``: OWL
        classification on a fragment can miss what the rest of the ontology
        implies.
        """
        if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
            raise GenAIGraphError(f"depth must be an int of 0 or more, not {depth!r}")
        centre = self._resolve(x)
        annotation = {
            row["p"]
            for row in self._rows(
                f"SELECT DISTINCT ?p WHERE {{ ?p a {sparql_iri(OWL.AnnotationProperty)} }}"
            )
            if isinstance(row.get("p"), URIRef)
        }
        fragment = Graph()
        seen = {centre}
        frontier = [centre]
        for level in range(depth + 1):
            if not frontier:
                break
            last = level == depth
            found = self._expand(sorted(frontier), fragment, annotation, incoming=not last)
            frontier = sorted(found - seen)
            seen |= found
            if last:
                break
        # the is-a closure above every concept reached, for their kinds, ancestors and colours
        self._closure_up(seen, fragment)
        predicates = sorted(
            {p for p in fragment.predicates() if isinstance(p, URIRef) and not _is_vocabulary(p)}
        )
        self._describe(predicates, fragment)
        return self._local(fragment)

    def _expand(
        self, nodes: Sequence[URIRef], into: Graph, annotation: set[Node], *, incoming: bool
    ) -> set[URIRef]:
        """Fetch the statements of `nodes` (and, with `incoming`, those pointing at them); return their neighbours."""
        edges = _in((RDFS.subClassOf, OWL.equivalentClass, RDF.type))

        def statements(chunk: Sequence[URIRef]) -> str:
            return (
                f"SELECT ?f ?p ?o ?b ?bp ?bo WHERE {{ {_values('f', chunk)}\n"
                f"  {self._statements_query('?f')} }}"
            )

        def pointing(chunk: Sequence[URIRef]) -> str:
            return (
                f"SELECT DISTINCT ?s ?p ?f WHERE {{ {_values('f', chunk)} ?s ?p ?f .\n"
                f"  FILTER(isIRI(?s) && (?p IN ({edges}) || ({_NOT_LINK}))) }}"
            )

        targets = set(nodes)
        found: set[URIRef] = set()
        batch = Graph()
        # 50 at a time: Virtuoso takes 15 times longer for 200 at once (a path per row)
        for triple in _with_expressions(self._rows_for(nodes, statements, _PATH_CHUNK), "f"):
            batch.add(triple)
        broken = _incomplete(batch)
        if broken:
            # Part of a class expression is missing: ask again about those concepts one at a
            # time, with a path from the constant IRI (the shape Virtuoso answers reliably).
            for node in broken:
                for triple in list(batch.triples((node, None, None))):
                    batch.remove(triple)
                for triple in self._own_statements(node):
                    batch.add(triple)
        _check_expressions(self.url, batch)
        for s, p, o in batch:
            into.add((s, p, o))
            if isinstance(s, URIRef):  # a statement of a node
                if isinstance(o, URIRef) and _is_edge(p, annotation) and not _is_vocabulary(o):
                    found.add(o)
            elif isinstance(o, URIRef) and p != OWL.onProperty and not _is_vocabulary(o):
                found.add(o)  # what a node's class expression mentions
        if incoming:
            for s, p, o in _triples_of(self._rows_for(nodes, pointing), "s", "p", "f"):
                into.add((s, p, o))
                if isinstance(s, URIRef) and s not in targets and _is_edge(p, annotation):
                    found.add(s)  # a statement pointing at a node

            # Concepts with a restriction on a node: only their names are needed here, their
            # expressions come with their own statements on the next level. A query of its
            # own: Virtuoso 7.2.5 crashed on it as one more UNION branch of the query above.
            def mentions(chunk: Sequence[URIRef]) -> str:
                return f"SELECT DISTINCT ?s WHERE {{ {_values('f', chunk)}\n  {self._mentions()} }}"

            for row in self._rows_for(nodes, mentions):
                subject = row.get("s")
                if isinstance(subject, URIRef):
                    found.add(subject)
        found.discard(OWL.Thing)
        found.discard(OWL.Nothing)
        return found

    @staticmethod
    def _mentions() -> str:
        """Return a query part: ``?s`` has a restriction (alone or in an intersection) on ``?f``.

        The shapes :meth:`KnowledgeGraph.relations` reads links from, written
        out rather than as one transitive path: Virtuoso 7.2 fails on a
        transitive path whose end is bound by VALUES.
        """
        fillers = _in((OWL.someValuesFrom, OWL.hasValue))
        edges = _in((RDFS.subClassOf, OWL.equivalentClass, RDF.type))
        some, one, first = (sparql_iri(t) for t in (OWL.someValuesFrom, OWL.oneOf, RDF.first))
        members = f"{sparql_iri(OWL.intersectionOf)}/{sparql_iri(RDF.rest)}*/{first}"
        return (
            f"{{ ?e ?r ?f . FILTER(?r IN ({fillers})) }}\n"
            f"  UNION {{ ?e {some}/{one}/{first} ?f }}\n"
            f"  UNION {{ ?m ?r ?f . FILTER(?r IN ({fillers})) ?e {members} ?m }}\n"
            f"  UNION {{ ?n {one}/{first} ?f . ?m {some} ?n . ?e {members} ?m }}\n"
            f"  ?s ?q ?e . FILTER(isIRI(?s) && isBlank(?e) && ?q IN ({edges}))"
        )

    def to_networkx(
        self, *, focus: NameLike, depth: int = 2, taxonomy_only: bool = False
    ) -> nx.MultiDiGraph:
        """Return the neighbourhood of `focus` within `depth` links as a networkx MultiDiGraph.

        Nodes and edges are those :meth:`KnowledgeGraph.to_networkx` gives
        (under ``"told"``) restricted to that neighbourhood.
        """
        from .views.network import neighbourhood

        centre = self._resolve(focus)
        local = self.neighbourhood(centre, depth)
        graph = local.to_networkx(taxonomy_only=taxonomy_only, entailment="told")
        if str(centre) not in graph:
            raise GenAIGraphError(f"{focus!r} is not a class or individual, so it cannot be drawn")
        return neighbourhood(graph, str(centre), depth)

    def to_html(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        focus: NameLike | None = None,
        depth: int = 2,
        title: str | None = None,
    ) -> str:
        """Draw the neighbourhood of `focus` as one self-contained, offline HTML page.

        The same page :meth:`KnowledgeGraph.to_html` draws for
        ``focus=..., depth=...`` under ``"told"``, from the statements
        :meth:`neighbourhood` fetches. A remote graph is never drawn whole:
        `focus` is required.
        """
        if focus is None:
            raise GenAIGraphError(
                "a remote graph is drawn around a concept: pass focus= (and depth=)"
            )
        centre = self._resolve(focus)
        local = self.neighbourhood(centre, depth)
        return local.to_html(
            path,
            focus=Concept(local, centre),
            depth=depth,
            title=title or f"{local._label(centre)} ({self.url})",
            entailment="told",
        )

    # -- writing ---------------------------------------------------------------------------------

    def upload(
        self,
        source: KnowledgeGraph | Graph | str | os.PathLike[str] | None = None,
        *,
        replace: bool = False,
    ) -> int:
        """Add statements to the endpoint's named graph; return how many were sent.

        The statements go in chunks of SPARQL Update (``INSERT DATA``, or
        ``INSERT ... WHERE {}`` for chunks with blank nodes, which Virtuoso
        refuses in ``INSERT DATA``) into a fresh staging graph, which then
        joins the named graph in one step (``ADD``, or ``MOVE`` with
        `replace`), so a failure halfway leaves the named graph as it was.
        Blank-node structures (class expressions, lists) are never split
        between chunks.

        Parameters
        ----------
        source : KnowledgeGraph, rdflib.Graph, path or None
            What to upload; None (the default) uploads the bundled ontology.
        replace : bool, default False
            Replace the named graph's statements instead of adding to them.
            Uploading the same file twice without it duplicates its blank
            nodes (RDF cannot tell them apart), so use ``replace=True`` to
            refresh.

        Raises
        ------
        StoreError
            If no ``graph=`` was given, or the endpoint refuses the update
            (on Virtuoso: use ``/sparql-auth`` with ``auth=``, or
            ``GRANT SPARQL_UPDATE TO "SPARQL"`` on a private instance).
        OntologyLoadError
            If a file cannot be read, or holds an IRI that no SPARQL endpoint accepts.
        """
        target = self._writable()
        triples = _source_triples(source)
        if not triples:
            if replace:
                self.clear()
            return 0
        plain, blank = _split_chunks(triples)
        staging = URIRef(f"urn:genai-graph:staging:{uuid.uuid4().hex}")
        g = sparql_iri(staging)
        # everything is written (and checked) before anything is sent
        requests = [
            (
                len(chunk),
                "INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}".format(
                    g=g, body="\n".join(_statement(t, {}) for t in chunk)
                ),
            )
            for chunk in plain
        ]
        for chunk in blank:
            labels: dict[BNode, str] = {}
            body = "\n".join(_statement(t, labels) for t in chunk)
            requests.append((len(chunk), f"INSERT {{ GRAPH {g} {{\n{body}\n}} }} WHERE {{}}"))
        sent = 0
        try:
            self._update(f"DROP SILENT GRAPH {g}")
            for size, request in requests:
                self._update(request)
                sent += size
            verb = "MOVE" if replace else "ADD"
            self._update(f"{verb} GRAPH {g} TO GRAPH {sparql_iri(target)}")
        except StoreError as err:
            with contextlib.suppress(StoreError):
                self._update(f"DROP SILENT GRAPH {g}")
            raise StoreError(
                err.location,
                f"upload stopped after {sent} of {len(triples)} statements and <{target}> was "
                f"left as it was: {err.reason}",
            ) from None
        finally:
            self._names.clear()
        if not replace:  # the statements are in; a staging graph left behind is only litter
            with contextlib.suppress(StoreError):
                self._update(f"DROP SILENT GRAPH {g}")
        return len(triples)

    def clear(self) -> None:
        """Remove every statement from the endpoint's named graph (``CLEAR SILENT GRAPH``)."""
        target = self._writable()
        self._names.clear()
        self._update(f"CLEAR SILENT GRAPH {sparql_iri(target)}")

    def _writable(self) -> URIRef:
        if self.graph is None:
            raise StoreError(
                self.update_url,
                "writing needs a named graph: connect(..., graph='http://example.org/my-graph')",
            )
        return self.graph


# -- helpers ---------------------------------------------------------------------------------


def _ask_answer(url: str, document: Mapping[str, Any]) -> bool:
    """Read an ASK answer; also Virtuoso's SELECT-shaped one (``__ASK_RETVAL``) when CaseMode is not 2."""
    if isinstance(document.get("boolean"), bool):
        return bool(document["boolean"])
    try:
        rows = document["results"]["bindings"]
        value = next(iter(rows[0].values()))["value"] if rows else "0"
        return str(value).strip().lower() in ("1", "true")
    except (KeyError, TypeError, IndexError, StopIteration):
        raise StoreError(url, "the endpoint's ASK answer has no boolean") from None


def _query_kind(text: str) -> str:
    """Return SELECT, ASK, CONSTRUCT or DESCRIBE; refuse updates with a QueryError."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    from .sparql import _parse  # rdflib's parser is not thread-safe: one parse at a time

    try:
        parsed = _parse(parseQuery, text)
    except ParseBaseException:
        try:
            _parse(parseUpdate, text)
        except ParseBaseException:
            is_update = False
        else:
            is_update = True
        if is_update or _UPDATE_WORDS.match(_COMMENT.sub("", text)):
            raise QueryError(
                "query() is read-only and this is a SPARQL update; use upload() and clear()"
            ) from None
        # not SPARQL 1.1 as rdflib reads it: perhaps an extension the endpoint knows
        match = _QUERY_FORM.search(_COMMENT.sub("", text))
        return match.group(1).upper() if match else "SELECT"
    name = str(parsed[1].name)
    return {
        "AskQuery": "ASK",
        "ConstructQuery": "CONSTRUCT",
        "DescribeQuery": "DESCRIBE",
    }.get(name, "SELECT")


_LINE = re.compile(r"\bline (\d+)")


def _shift_lines(err: QueryError, offset: int) -> QueryError:
    """Renumber the endpoint's 'line N' past the prefix lines we added, so it points into the user's text.

    Virtuoso numbers lines from 1, and says "line 0" when it does not know the line.
    """
    message = str(err)
    match = _LINE.search(message)
    if not match:
        return err
    line = int(match.group(1)) - offset
    if line < 1:
        return QueryError(message[: match.start()].rstrip(", ") + message[match.end() :])
    return QueryError(message[: match.start(1)] + str(line) + message[match.end(1) :], line=line)


def _is_edge(p: Node, annotation: set[Node]) -> bool:
    """Return True for a predicate the pictures draw as an edge (is-a or relation)."""
    if p in (RDFS.subClassOf, OWL.equivalentClass, RDF.type):
        return True
    return isinstance(p, URIRef) and p not in annotation and not str(p).startswith(_LINK_VOCABULARY)


def _source_triples(
    source: KnowledgeGraph | Graph | str | os.PathLike[str] | None,
) -> list[tuple[Node, Node, Node]]:
    if source is None:
        return list(bundled_triples())
    if isinstance(source, KnowledgeGraph):
        return list(source.graph)
    if isinstance(source, Graph):
        return list(load(source, bundled=False).graph)
    if isinstance(source, (str, Path)) or hasattr(source, "__fspath__"):
        return list(load(source, bundled=False).graph)
    raise TypeError(
        f"upload() takes a KnowledgeGraph, an rdflib Graph or a file path, not {type(source).__name__}"
    )


def _statement(triple: tuple[Node, Node, Node], labels: dict[BNode, str]) -> str:
    parts = []
    for term in triple:
        if isinstance(term, BNode):
            label = labels.get(term)
            if label is None:
                label = labels[term] = f"_:b{len(labels)}"
            parts.append(label)
            continue
        try:
            parts.append(sparql_term(term))
        except ValueError as err:
            raise OntologyLoadError("<upload>", f"cannot send this statement: {err}") from None
    return " ".join(parts) + " ."


def _split_chunks(
    triples: Sequence[tuple[Node, Node, Node]],
) -> tuple[list[list[tuple[Node, Node, Node]]], list[list[tuple[Node, Node, Node]]]]:
    """Chunk triples without blank nodes, and group the others so no blank-node structure is split."""
    plain = [t for t in triples if not isinstance(t[0], BNode) and not isinstance(t[2], BNode)]
    blank = [t for t in triples if isinstance(t[0], BNode) or isinstance(t[2], BNode)]
    parent: dict[BNode, BNode] = {}

    def find(b: BNode) -> BNode:
        root = b
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(b, b) != root:
            parent[b], b = root, parent[b]
        return root

    for s, _, o in blank:
        if isinstance(s, BNode) and isinstance(o, BNode):
            a, b = find(s), find(o)
            if a != b:
                parent[a] = b
    groups: dict[BNode, list[tuple[Node, Node, Node]]] = defaultdict(list)
    for t in blank:
        node = t[0] if isinstance(t[0], BNode) else t[2]
        if isinstance(node, BNode):
            groups[find(node)].append(t)
    blank_chunks: list[list[tuple[Node, Node, Node]]] = []
    current: list[tuple[Node, Node, Node]] = []
    for group in groups.values():
        if current and len(current) + len(group) > _BLANK_CHUNK:
            blank_chunks.append(current)
            current = []
        current.extend(group)
    if current:
        blank_chunks.append(current)
    plain_chunks = [plain[i : i + _PLAIN_CHUNK] for i in range(0, len(plain), _PLAIN_CHUNK)]
    return plain_chunks, blank_chunks
