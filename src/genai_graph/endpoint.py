"""Serve a knowledge graph over the SPARQL 1.1 Protocol: read-only, local, standard library only.

:class:`SparqlServer` answers SPARQL queries over HTTP the way any SPARQL
client expects (SPARQLWrapper, rdflib's ``SPARQLStore``, YASGUI, ``curl``):

- ``GET /sparql?query=...``, ``POST`` a form (``query=...``) or ``POST`` the
  query itself as ``application/sparql-query``;
- results by content negotiation (the ``Accept`` header, or a ``format=``
  parameter such as ``json``, ``xml``, ``csv``, ``tsv``, ``turtle``): SELECT
  as SPARQL JSON (the default), XML, CSV or TSV; ASK as JSON or XML;
  CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, RDF/XML or JSON-LD;
- ``GET /sparql`` without a query: a SPARQL 1.1 Service Description
  (Turtle), or the query page for a browser; ``GET /``: the query page, one
  self-contained HTML file that loads nothing from the network.

It is safe to leave running on a workstation:

- **Read-only.** Updates (``update=``, ``application/sparql-update``, or an
  update sent as ``query=``) are refused; ``SERVICE`` and ``FROM`` are refused
  because they would make the server fetch from the network.
- **Loopback by default** (``127.0.0.1``), and requests whose ``Host`` header
  names another machine are refused (403), which defeats DNS rebinding from a
  web page. Add names with `allowed_hosts` when a reverse proxy forwards its
  own ``Host``. There is no authentication: bind another address only on a
  network you trust, or behind a proxy that authenticates.
- **Bounded.** A query runs for at most `timeout` seconds (then 503, and the
  server goes on serving); results are cut to `max_rows` rows or triples (the
  response then carries ``X-Result-Truncated: true``); request bodies over
  `max_body` bytes get 413. Queries run one at a time under a lock (rdflib
  stores are not made for concurrent readers and a query is CPU-bound under
  the GIL anyway); a request that waits for the lock longer than `timeout` gets 503.
- Malformed requests get a 4xx status and a one-line ``text/plain`` message,
  never a traceback.

Examples
--------
>>> from SPARQLWrapper import SPARQLWrapper, JSON
>>> with SparqlServer(kg) as server:
...     client = SPARQLWrapper(server.url, returnFormat=JSON)
...     client.setQuery("ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }")
...     client.queryAndConvert()["boolean"]
True
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import ipaddress
import json
import re
import signal
import socket
import socketserver
import sys
import threading
import time
import traceback
from base64 import b64encode
from collections.abc import Callable, Iterator, Mapping, Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, TextIO
from urllib.parse import unquote_to_bytes, urlsplit

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from ._version import __version__
from .errors import GenAIGraphError, QueryError, QueryTimeoutError, StoreError
from .graph import ASSERTED_GRAPH, INFERRED_GRAPH, KnowledgeGraph
from .namespaces import GENAI, PREFIXES
from .reasoning.regimes import ENTAILMENTS
from .sparql import SelectResult

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "MAX_BODY", "SparqlServer", "serve"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run before it is stopped (503)."""
DEFAULT_MAX_ROWS = 10_000
"""Rows (SELECT) or triples (CONSTRUCT, DESCRIBE) returned at most."""
MAX_BODY = 1_048_576
"""Largest request body accepted, in bytes (413 above it)."""
PATH = "/sparql"
"""Where the endpoint answers."""

_SOCKET_TIMEOUT = 30.0  # an idle or stalled connection is closed after this many seconds
_DRAIN_LIMIT = 16 * MAX_BODY  # an oversized body up to this size is read and dropped after the 413

# -- media types ---------------------------------------------------------------

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
RDF_XML = "application/rdf+xml"
JSON_LD = "application/ld+json"
HTML = "text/html"

_TEXT_PLAIN = "text/plain; charset=utf-8"

# What each kind of answer can be written as, the default first, with the media
# types (beyond its own) that a client may ask for it by.
_OFFERS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "select": (
        (JSON_RESULTS, ("application/json",)),
        (XML_RESULTS, ("application/xml", "text/xml")),
        (CSV, ()),
        (TSV, ()),
    ),
    "ask": (
        (JSON_RESULTS, ("application/json",)),
        (XML_RESULTS, ("application/xml", "text/xml")),
    ),
    "graph": (
        (TURTLE, ("application/x-turtle", "text/n3", "text/rdf+n3")),
        (NTRIPLES, ()),
        (RDF_XML, ("application/xml", "text/xml")),
        (JSON_LD, ("application/json",)),
    ),
    "description": (
        (TURTLE, ("application/x-turtle", "text/n3", "text/rdf+n3")),
        (HTML, ("application/xhtml+xml",)),
        (NTRIPLES, ()),
        (RDF_XML, ("application/xml", "text/xml")),
        (JSON_LD, ("application/json",)),
    ),
}

# Short names for the `format` parameter (as Virtuoso and SPARQLWrapper send them).
_FORMAT_NAMES: dict[str, dict[str, str]] = {
    "json": {"select": JSON_RESULTS, "ask": JSON_RESULTS, "graph": JSON_LD, "description": JSON_LD},
    "xml": {"select": XML_RESULTS, "ask": XML_RESULTS, "graph": RDF_XML, "description": RDF_XML},
    "csv": {"select": CSV},
    "tsv": {"select": TSV},
    "turtle": {"graph": TURTLE, "description": TURTLE},
    "ttl": {"graph": TURTLE, "description": TURTLE},
    "n3": {"graph": TURTLE, "description": TURTLE},
    "nt": {"graph": NTRIPLES, "description": NTRIPLES},
    "ntriples": {"graph": NTRIPLES, "description": NTRIPLES},
    "n-triples": {"graph": NTRIPLES, "description": NTRIPLES},
    "rdf": {"graph": RDF_XML, "description": RDF_XML},
    "rdfxml": {"graph": RDF_XML, "description": RDF_XML},
    "rdf+xml": {"graph": RDF_XML, "description": RDF_XML},
    "json-ld": {"graph": JSON_LD, "description": JSON_LD},
    "jsonld": {"graph": JSON_LD, "description": JSON_LD},
    "html": {"description": HTML},
}

_RDFLIB_FORMAT = {TURTLE: "turtle", NTRIPLES: "nt", RDF_XML: "xml", JSON_LD: "json-ld"}
_KIND_NAME = {
    "select": "SELECT results",
    "ask": "ASK results",
    "graph": "CONSTRUCT and DESCRIBE results",
    "description": "the service description",
}

_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_HOST_HEADER = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(:[0-9]{1,5})?$")
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class _HTTPError(Exception):
    """Stop handling a request and answer with `status` and a plain-text `message`."""

    def __init__(
        self, status: HTTPStatus, message: str, *, headers: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = tuple(headers)


# -- content negotiation -------------------------------------------------------


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    """Return the media ranges of an Accept header as (range, q, position); bad parts dropped."""
    ranges = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if media == "*":  # sent by some old clients; means */*
            media = "*/*"
        if not _TOKEN.match(media):
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _negotiate(accept: str | None, kind: str) -> str | None:
    """Return the media type to write a `kind` answer as, or None if `accept` allows none.

    Each offered type takes the q of the most specific range that matches it;
    the highest q wins, then the more specific match, then the range the
    client listed first, then the server's order.

    >>> _negotiate("text/csv, */*;q=0.1", "select")
    'text/csv'
    >>> _negotiate("application/json", "graph")
    'application/ld+json'
    >>> _negotiate(None, "graph")
    'text/turtle'
    >>> _negotiate("image/png", "ask") is None
    True
    """
    if accept is None or not accept.strip():
        return _OFFERS[kind][0][0]
    ranges = _parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for order, (media, aliases) in enumerate(_OFFERS[kind]):
        match: tuple[int, float, int] | None = None  # (specificity, q, position)
        names = (media, *aliases)
        major = media.split("/")[0]
        for pattern, q, position in ranges:
            if pattern in names:
                specificity = 2
            elif pattern == f"{major}/*":  # wildcards match the type itself, not its aliases
                specificity = 1
            elif pattern == "*/*":
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, q, position)
        if match is None or match[1] <= 0:
            continue
        score = (match[1], match[0], -match[2], -order)
        if best is None or score > best:
            best, chosen = score, media
    return chosen


def _from_format(values: Sequence[str], kind: str) -> str | None:
    """Return the media type the `format` parameter values ask for, or None."""
    for value in values:
        name = value.strip().lower()
        if not name:
            continue
        if name in _FORMAT_NAMES:
            chosen = _FORMAT_NAMES[name].get(kind)
        elif "/" in name:
            chosen = _negotiate(name, kind)
        else:
            chosen = None
        if chosen is not None:
            return chosen
    return None


def _available(kind: str) -> str:
    return ", ".join(media for media, _ in _OFFERS[kind])


# -- request parsing -----------------------------------------------------------


def _parse_form(raw: bytes) -> dict[str, list[str]]:
    """Decode ``application/x-www-form-urlencoded`` data strictly (bad %-escapes, bad UTF-8: 400).

    >>> _parse_form(b"query=ASK%20%7B%7D&format=json&format=xml")
    {'query': ['ASK {}'], 'format': ['json', 'xml']}
    """
    params: dict[str, list[str]] = {}
    if not raw:
        return params
    for pair in raw.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        decoded = []
        for part in (name, value):
            if _BAD_ESCAPE.search(part):
                raise _HTTPError(
                    HTTPStatus.BAD_REQUEST,
                    "malformed percent-encoding in the request parameters "
                    "(every % must start a two-digit hex escape such as %20)",
                )
            try:
                decoded.append(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8"))
            except UnicodeDecodeError:
                raise _HTTPError(
                    HTTPStatus.BAD_REQUEST, "the request parameters are not valid UTF-8"
                ) from None
        params.setdefault(decoded[0], []).append(decoded[1])
    return params


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """Split a Content-Type header into the lower-cased type and its parameters."""
    if not header:
        return "", {}
    media, *rest = header.split(";")
    parameters = {}
    for item in rest:
        name, _, value = item.partition("=")
        parameters[name.strip().lower()] = value.strip().strip('"').lower()
    return media.strip().lower(), parameters


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


# -- writing answers -----------------------------------------------------------


def _ask_body(answer: bool, media: str) -> str:
    if media == JSON_RESULTS:
        return json.dumps({"head": {}, "boolean": answer})
    return (
        '<?xml version="1.0"?>\n'
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'
        f"  <head/>\n  <boolean>{'true' if answer else 'false'}</boolean>\n</sparql>\n"
    )


def _select_body(rows: SelectResult, media: str) -> str:
    write: Callable[[], str] = {
        JSON_RESULTS: rows.to_json,
        XML_RESULTS: rows.to_xml,
        CSV: rows.to_csv,
        TSV: rows.to_tsv,
    }[media]
    try:
        return write()
    except QueryError as err:  # XML cannot carry most control characters
        raise _HTTPError(
            HTTPStatus.NOT_ACCEPTABLE, f"{err}; ask for {JSON_RESULTS} instead"
        ) from None


def _graph_body(graph: Graph, media: str) -> str:
    try:
        return graph.serialize(format=_RDFLIB_FORMAT[media])
    except Exception as err:  # RDF/XML cannot write every predicate IRI
        raise _HTTPError(
            HTTPStatus.NOT_ACCEPTABLE,
            f"this graph cannot be written as {media} ({err}); ask for {TURTLE} instead",
        ) from None


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8"


# -- the query page ------------------------------------------------------------

_PAGE_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 70rem; padding: 0 1rem; color: #1d232a; }
h1 { font-size: 1.3rem; margin: 0 0 .3rem; }
p.note { margin: 0 0 1rem; color: #59636e; }
textarea { width: 100%; box-sizing: border-box; min-height: 15rem; font: 14px/1.4 ui-monospace, monospace; padding: .5rem; }
button { font: inherit; padding: .35rem 1.1rem; margin: .5rem .8rem .5rem 0; cursor: pointer; }
#status { color: #59636e; }
#status.error { color: #b3261e; }
table { border-collapse: collapse; margin-top: .5rem; font-size: 14px; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td .meta { color: #59636e; font-size: 12px; }
pre { background: #f6f8fa; padding: .6rem; overflow: auto; white-space: pre-wrap; }
"""

_PAGE_SCRIPT = """
"use strict";
(() => {
  const query = document.getElementById("query");
  const run = document.getElementById("run");
  const status = document.getElementById("status");
  const output = document.getElementById("output");
  const RESULTS = "application/sparql-results+json";

  function say(message, isError) {
    status.textContent = message;
    status.className = isError ? "error" : "";
  }

  // Namespaces to show IRIs as CURIEs (the full IRI is in the cell's tooltip).
  const prefixes = Object.entries(JSON.parse(document.body.dataset.prefixes || "{}"))
    .sort((a, b) => b[1].length - a[1].length);

  function curie(iri) {
    for (const [prefix, namespace] of prefixes) {
      const local = iri.slice(namespace.length);
      if (iri.startsWith(namespace) && /^[A-Za-z0-9_.-]*$/.test(local)) {
        return prefix + ":" + local;
      }
    }
    return iri;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      td.textContent = curie(term.value);
      td.title = term.value;
    } else {
      td.textContent = term.type === "bnode" ? "_:" + term.value : term.value;
    }
    let meta = "";
    if (term["xml:lang"]) meta = "@" + term["xml:lang"];
    else if (term.datatype) meta = "^^" + curie(term.datatype);
    if (meta) {
      const span = document.createElement("span");
      span.className = "meta";
      span.textContent = " " + meta;
      td.appendChild(span);
    }
    return td;
  }

  function table(data) {
    const vars = data.head.vars || [];
    const rows = data.results.bindings;
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = "?" + v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const binding of rows) {
      const tr = body.insertRow();
      for (const v of vars) tr.appendChild(cell(binding[v]));
    }
    return t;
  }

  function text(content) {
    const pre = document.createElement("pre");
    pre.textContent = content;
    return pre;
  }

  async function execute() {
    output.replaceChildren();
    say("running\\u2026", false);
    run.disabled = true;
    const began = performance.now();
    try {
      const response = await fetch("sparql", {
        method: "POST",
        headers: {
          "Content-Type": "application/sparql-query",
          "Accept": RESULTS + ", text/turtle;q=0.9",
        },
        body: query.value,
      });
      const body = await response.text();
      const seconds = ((performance.now() - began) / 1000).toFixed(2);
      if (!response.ok) {
        say(response.status + " " + response.statusText + " (" + seconds + " s)", true);
        output.appendChild(text(body));
        return;
      }
      const cut = response.headers.get("X-Result-Truncated") === "true"
        ? ", truncated to the endpoint's row limit" : "";
      const type = (response.headers.get("Content-Type") || "").split(";")[0].trim();
      if (type === RESULTS) {
        const data = JSON.parse(body);
        if (typeof data.boolean === "boolean") {
          say("ASK (" + seconds + " s)", false);
          output.appendChild(text(String(data.boolean)));
        } else {
          const n = data.results.bindings.length;
          say(n + (n === 1 ? " row" : " rows") + " (" + seconds + " s" + cut + ")", false);
          output.appendChild(table(data));
        }
      } else {
        say("graph (" + seconds + " s" + cut + ")", false);
        output.appendChild(text(body));
      }
    } catch (err) {
      say("the request failed: " + err, true);
    } finally {
      run.disabled = false;
      document.body.dataset.done = String(Number(document.body.dataset.done || 0) + 1);
    }
  }

  run.addEventListener("click", execute);
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      execute();
    }
  });
  document.body.dataset.ready = "1";
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


_PAGE_CSP = (
    "default-src 'none'; "
    f"script-src {_csp_hash(_PAGE_SCRIPT)}; "
    f"style-src {_csp_hash(_PAGE_STYLE)}; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)

_GENAI_EXAMPLE = """\
# The kinds of Large Language Model, and how many named systems each has.
# rdf, rdfs, owl, xsd, skos, dcterms and genai are pre-bound.
SELECT ?kind ?label (COUNT(?system) AS ?systems)
WHERE {
  ?kind rdfs:subClassOf genai:LargeLanguageModel ;
        rdfs:label ?label .
  OPTIONAL { ?system a ?kind }
}
GROUP BY ?kind ?label
ORDER BY DESC(?systems) ?label
"""

_GENERIC_EXAMPLE = """\
# Some classes and their labels.
# rdf, rdfs, owl, xsd, skos, dcterms and genai are pre-bound.
SELECT ?class ?label
WHERE {
  ?class a owl:Class .
  OPTIONAL { ?class rdfs:label ?label }
}
LIMIT 100
"""


def _page(example: str, limits: str, prefixes: Mapping[str, str]) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>genai-graph SPARQL endpoint</title>
<style>{_PAGE_STYLE}</style>
</head>
<body data-prefixes="{html.escape(json.dumps(dict(prefixes), ensure_ascii=False))}">
<h1>genai-graph SPARQL endpoint</h1>
<p class="note">Read-only SPARQL 1.1 queries against this graph; {html.escape(limits)}.
Clients can send queries to the <code>sparql</code> path of this server. Ctrl+Enter runs the query.</p>
<textarea id="query" spellcheck="false" aria-label="SPARQL query">{html.escape(example)}</textarea>
<div><button id="run" type="button">Run query</button><span id="status" role="status"></span></div>
<div id="output"></div>
<script>{_PAGE_SCRIPT}</script>
</body>
</html>
"""


# -- the service description ---------------------------------------------------

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
VOID = Namespace("http://rdfs.org/ns/void#")

_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)


# -- the server ----------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog of 5 overflows when dozens of clients
    # connect at once, and Linux then resets some of the new connections.
    request_queue_size = 128
    sparql: SparqlServer

    def __init__(self, address: tuple[str, int], family: int, owner: SparqlServer) -> None:
        self.address_family = family
        self.sparql = owner
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """Bind without http.server's reverse DNS lookup of the address (slow on some networks)."""
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Report an unexpected error on the server's log, not to the client."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return  # the client went away or stalled
        self.sparql._log(f"error while serving {client_address}:\n{traceback.format_exc()}")


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = f"genai-graph/{__version__}"
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # answer garbage with a status line, not HTTP/0.9
    timeout = _SOCKET_TIMEOUT
    error_content_type = _TEXT_PLAIN
    error_message_format = "%(code)d %(message)s: %(explain)s\n"

    _head_only = False
    _responded = False
    _unread = 0  # bytes of request body left unread (drained after the answer)
    _body_read = False

    # -- methods ----------------------------------------------------------------

    def do_GET(self) -> None:
        """Answer GET."""
        self._dispatch()

    def do_HEAD(self) -> None:
        """Answer HEAD like GET, without the body."""
        self._head_only = True
        self._dispatch()

    def do_POST(self) -> None:
        """Answer POST."""
        self._dispatch()

    def do_OPTIONS(self) -> None:
        """Say which methods are allowed."""
        self._dispatch()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("do_"):  # PUT, DELETE, PATCH, anything: 405, not http.server's 501
            return self._dispatch
        raise AttributeError(name)

    # -- plumbing ---------------------------------------------------------------

    def version_string(self) -> str:
        """Name the server in the Server header, without the Python version."""
        return self.server_version

    def handle_one_request(self) -> None:
        """Handle the next request on this (keep-alive) connection, with fresh state."""
        self._head_only, self._responded, self._unread, self._body_read = False, False, 0, False
        super().handle_one_request()

    def handle_expect_100(self) -> bool:
        """Refuse an oversized body before the client sends it (curl asks first above 1 MB)."""
        length = self.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > self.server.sparql.max_body:
            self._send_error(_too_large(self.server.sparql.max_body))
            self.close_connection = True
            return False
        return super().handle_expect_100()

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Log a request, if the server logs requests."""
        if self.server.sparql.log_requests:
            super().log_request(code, size)

    def log_message(self, format: str, *args: Any) -> None:
        """Log a request on the server's log, if it has one."""
        self.server.sparql._log(
            f"{self.address_string()} [{self.log_date_time_string()}] {format % args}"
        )

    def _dispatch(self) -> None:
        try:
            self._route()
        except _HTTPError as err:
            self._send_error(err)
        except (ConnectionError, TimeoutError):  # the client went away or stalled
            self.close_connection = True
        except Exception:
            self.server.sparql._log(f"internal error:\n{traceback.format_exc()}")
            self._send_error(
                _HTTPError(
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                    "internal error; the server's log has the details",
                )
            )
        if self._unread:
            self._drain()

    def _send(
        self,
        status: HTTPStatus,
        body: str | bytes,
        content_type: str,
        headers: Sequence[tuple[str, str]] = (),
    ) -> None:
        if self._responded:
            return
        self._responded = True
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        if not self._body_read:  # answered without reading the body: drop it, then close
            length = (self.headers.get("Content-Length") or "").strip()
            if self.headers.get("Transfer-Encoding"):
                self.close_connection = True
            elif length.isdigit() and int(length) > 0:
                self._unread = int(length)
        if self.close_connection or self._unread:
            self.close_connection = True
            self.send_header("Connection", "close")
        self.end_headers()
        if not self._head_only:
            self.wfile.write(data)

    def _send_error(self, err: _HTTPError) -> None:
        message = err.message if err.message.endswith("\n") else err.message + "\n"
        self._send(err.status, message, _TEXT_PLAIN, err.headers)

    def _drain(self) -> None:
        """Read and drop an unread body so the client, still sending, gets our answer."""
        left, deadline = self._unread, time.monotonic() + 5.0
        self._unread = 0
        self.close_connection = True
        if left > _DRAIN_LIMIT:
            return
        with contextlib.suppress(OSError):
            self.connection.settimeout(1.0)
            while left > 0 and time.monotonic() < deadline:
                chunk = self.rfile.read(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)

    # -- routing ----------------------------------------------------------------

    def _route(self) -> None:
        self._check_host()
        target = urlsplit(self.path)
        if target.path == "/":
            if self._allow("GET", "HEAD"):
                page = self.server.sparql.page
                self._send(HTTPStatus.OK, page, _content_type(HTML), _PAGE_HEADERS)
        elif target.path == PATH:
            if self._allow("GET", "HEAD", "POST"):
                self._endpoint(target.query)
        else:
            raise _HTTPError(
                HTTPStatus.NOT_FOUND,
                f"nothing here: the SPARQL endpoint is at {PATH}, the query page at /",
            )

    def _allow(self, *methods: str) -> bool:
        """Return True to go on; answer OPTIONS (False) and refuse other methods (405)."""
        allowed = ", ".join((*methods, "OPTIONS"))
        if self.command == "OPTIONS":
            self._send(HTTPStatus.NO_CONTENT, b"", _TEXT_PLAIN, [("Allow", allowed)])
            return False
        if self.command not in methods:
            raise _HTTPError(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"method {self.command} is not allowed here; use {' or '.join(methods)}",
                headers=[("Allow", allowed)],
            )
        return True

    def _check_host(self) -> None:
        allowed = self.server.sparql.allowed_hosts
        header = self.headers.get("Host")
        if allowed is None or header is None:
            return
        match = _HOST_HEADER.match(header.strip())
        name = match.group(1).strip("[]").lower() if match else None
        if name not in allowed:
            raise _HTTPError(
                HTTPStatus.FORBIDDEN,
                f"the Host header {header!r} names another server; this endpoint answers to "
                f"{', '.join(sorted(allowed))} (start it with --allow-host to add a name)",
            )

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise _HTTPError(
                HTTPStatus.LENGTH_REQUIRED,
                "chunked request bodies are not supported; send a Content-Length",
            )
        header = self.headers.get("Content-Length")
        if header is None:
            self.close_connection = True
            raise _HTTPError(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length header")
        if not header.strip().isdigit():
            self.close_connection = True
            raise _HTTPError(HTTPStatus.BAD_REQUEST, f"bad Content-Length {header!r}")
        length = int(header)
        limit = self.server.sparql.max_body
        if length > limit:
            self._unread = length
            raise _too_large(limit)
        self._body_read = True
        try:
            body = self.rfile.read(length)
        except TimeoutError:
            self.close_connection = True
            raise _HTTPError(
                HTTPStatus.REQUEST_TIMEOUT, "the request body did not arrive in time"
            ) from None
        if len(body) < length:
            self.close_connection = True
            raise _HTTPError(HTTPStatus.BAD_REQUEST, "the request body is shorter than promised")
        return body

    def _endpoint(self, query_string: str) -> None:
        # http.server decodes the request line as Latin-1; get the bytes back.
        params = _parse_form(query_string.encode("latin-1"))
        if self.command == "POST":
            media, options = _media_type(self.headers.get("Content-Type"))
            body = self._read_body()
            charset = options.get("charset", "utf-8")
            if charset not in ("utf-8", "utf8"):
                raise _HTTPError(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"charset {charset!r} is not supported; send UTF-8",
                )
            if media == "application/sparql-update":
                raise _read_only()
            if media == "application/x-www-form-urlencoded":
                for name, values in _parse_form(body).items():
                    if name in ("query", "update") and name in params:
                        raise _HTTPError(
                            HTTPStatus.BAD_REQUEST, f"{name} is given both in the URL and the body"
                        )
                    params.setdefault(name, []).extend(values)
            elif media == "application/sparql-query":
                if "query" in params:
                    raise _HTTPError(
                        HTTPStatus.BAD_REQUEST,
                        "the query is in the body; it must not also be a URL parameter",
                    )
                try:
                    params["query"] = [body.decode("utf-8")]
                except UnicodeDecodeError:
                    raise _HTTPError(
                        HTTPStatus.BAD_REQUEST, "the query is not valid UTF-8"
                    ) from None
            else:
                raise _HTTPError(
                    HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                    f"cannot take a POST of {media or 'no Content-Type'}; send "
                    "application/x-www-form-urlencoded (query=...) or application/sparql-query",
                )
        if "update" in params:
            raise _read_only()
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise _HTTPError(
                    HTTPStatus.BAD_REQUEST,
                    f"{name} is not supported: this endpoint serves one dataset; "
                    "use GRAPH in the query for the named graphs it has",
                )
        formats = params.get("format", [])
        accept = self.headers.get("Accept")
        queries = params.get("query")
        if queries is None:
            if self.command == "POST":
                raise _HTTPError(HTTPStatus.BAD_REQUEST, "missing the query parameter")
            self._describe(accept, formats)
            return
        if len(queries) > 1:
            raise _HTTPError(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        text = queries[0]
        if not text.strip():
            raise _HTTPError(HTTPStatus.BAD_REQUEST, "the query is empty")
        if not any(self._choose(accept, formats, kind) for kind in ("select", "ask", "graph")):
            raise _not_acceptable(accept, formats, ("select", "ask", "graph"))
        self._answer(self.server.sparql.execute(text), accept, formats)

    def _choose(self, accept: str | None, formats: Sequence[str], kind: str) -> str | None:
        if formats:
            return _from_format(formats, kind)
        return _negotiate(accept, kind)

    def _answer(
        self, result: SelectResult | bool | Graph, accept: str | None, formats: Sequence[str]
    ) -> None:
        if isinstance(result, bool):
            kind = "ask"
        elif isinstance(result, SelectResult):
            kind = "select"
        else:
            kind = "graph"
        media = self._choose(accept, formats, kind)
        if media is None:
            raise _not_acceptable(accept, formats, (kind,))
        limit = self.server.sparql.max_rows
        truncated = False
        if isinstance(result, bool):
            body = _ask_body(result, media)
        elif isinstance(result, SelectResult):  # kg.query stopped after max_rows rows
            truncated = result.truncated
            body = _select_body(result, media)
        else:
            if limit is not None and len(result) > limit:
                kept = Graph()
                for prefix, namespace in result.namespaces():
                    kept.bind(prefix, namespace)
                for _, triple in zip(range(limit), result, strict=False):
                    kept.add(triple)
                result, truncated = kept, True
            body = _graph_body(result, media)
        headers = [("Vary", "Accept"), ("X-Result-Truncated", "true" if truncated else "false")]
        self._send(HTTPStatus.OK, body, _content_type(media), headers)

    def _describe(self, accept: str | None, formats: Sequence[str]) -> None:
        media = self._choose(accept, formats, "description")
        if media is None:
            raise _not_acceptable(accept, formats, ("description",))
        if media == HTML:
            self._send(HTTPStatus.OK, self.server.sparql.page, _content_type(HTML), _PAGE_HEADERS)
            return
        endpoint = self.server.sparql.url
        host = self.headers.get("Host")
        if host and _HOST_HEADER.match(host.strip()):
            endpoint = f"http://{host.strip()}{PATH}"
        body = _graph_body(self.server.sparql.description(endpoint), media)
        self._send(HTTPStatus.OK, body, _content_type(media), [("Vary", "Accept")])


_PAGE_HEADERS = (
    ("Content-Security-Policy", _PAGE_CSP + "; frame-ancestors 'none'"),
    ("Referrer-Policy", "no-referrer"),
    ("Vary", "Accept"),
)


def _too_large(limit: int) -> _HTTPError:
    return _HTTPError(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        f"the request body is larger than this endpoint's limit of {limit} bytes",
    )


def _read_only() -> _HTTPError:
    return _HTTPError(
        HTTPStatus.FORBIDDEN,
        "this endpoint is read-only: SPARQL updates are refused; "
        "change the graph through the genai-graph API instead",
    )


def _not_acceptable(accept: str | None, formats: Sequence[str], kinds: Sequence[str]) -> _HTTPError:
    asked = f"format={','.join(formats)!r}" if formats else f"Accept: {accept!r}"
    offers = "; ".join(f"{_KIND_NAME[kind]}: {_available(kind)}" for kind in kinds)
    return _HTTPError(
        HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {asked}; available are {offers}"
    )


class SparqlServer:
    """A read-only SPARQL 1.1 Protocol endpoint for a :class:`KnowledgeGraph`.

    Use it as a context manager (or call :meth:`start` and :meth:`stop`) to
    serve from a background thread, or call :meth:`serve_forever` to serve
    from the calling one. The endpoint is at :attr:`url` (``.../sparql``),
    the query page at :attr:`page_url` (``.../``).

    Parameters
    ----------
    kg : KnowledgeGraph
        The graph to serve. It is served live: changes made through the API
        show in the next query.
    host : str, default "127.0.0.1"
        The address to listen on. Anything but a loopback address exposes the
        graph, without authentication, to whoever can reach it.
    port : int, default 0
        The TCP port; 0 picks a free one (read it from :attr:`port`).
    entailment : str, default "told"
        The regime queries see (see :meth:`KnowledgeGraph.query`).
    timeout : float or None, default 30
        Seconds a query may run; None for no limit.
    max_rows : int or None, default 10000
        Rows (or triples) returned at most; None for no limit.
    max_body : int, default 1048576
        Largest request body accepted, in bytes.
    allowed_hosts : iterable of str, optional
        Host names the ``Host`` header may carry, beyond the defaults. On a
        loopback address the defaults are ``localhost``, ``127.0.0.1`` and
        ``::1``; ``"*"`` switches the check off (it is off by default on other
        addresses).
    log : text stream, optional
        Where to log requests and errors (e.g. ``sys.stderr``); by default nothing is logged.
    log_requests : bool, default True
        Log every request to `log`, not only errors.

    Examples
    --------
    >>> import urllib.request
    >>> server = SparqlServer(kg).start()
    >>> server.url  # doctest: +ELLIPSIS
    'http://127.0.0.1:.../sparql'
    >>> ask = server.url + "?query=ASK%20%7B%20genai%3AGPT4%20a%20genai%3ALargeLanguageModel%20%7D"
    >>> with urllib.request.urlopen(ask) as response:
    ...     response.headers["Content-Type"], response.read()
    ('application/sparql-results+json; charset=utf-8', b'{"head": {}, "boolean": true}')
    >>> server.stop()
    """

    def __init__(
        self,
        kg: KnowledgeGraph,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        entailment: str = "told",
        timeout: float | None = DEFAULT_TIMEOUT,
        max_rows: int | None = DEFAULT_MAX_ROWS,
        max_body: int = MAX_BODY,
        allowed_hosts: Sequence[str] | None = None,
        log: TextIO | None = None,
        log_requests: bool = True,
    ) -> None:
        if entailment not in ENTAILMENTS:
            raise GenAIGraphError(
                f"unknown entailment {entailment!r}: use one of {', '.join(ENTAILMENTS)}"
            )
        if timeout is not None and not timeout > 0:
            raise GenAIGraphError(f"timeout must be a positive number of seconds, not {timeout!r}")
        if max_rows is not None and max_rows < 1:
            raise GenAIGraphError(f"max_rows must be at least 1, not {max_rows!r}")
        if max_body < 1:
            raise GenAIGraphError(f"max_body must be at least 1 byte, not {max_body!r}")
        if not 0 <= port <= 65535:
            raise GenAIGraphError(f"port must be between 0 and 65535, not {port!r}")
        self.kg = kg
        self.host = host
        self.entailment = entailment
        self.timeout = timeout
        self.max_rows = max_rows
        self.max_body = max_body
        self._requested_port = port
        self._extra_hosts = tuple(h.strip("[]").lower() for h in (allowed_hosts or ()))
        self.allowed_hosts: frozenset[str] | None = None
        self._logfile = log
        self.log_requests = log_requests
        self._log_lock = threading.Lock()
        self._query_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        example = _GENAI_EXAMPLE if GENAI.LargeLanguageModel in kg else _GENERIC_EXAMPLE
        shown = {prefix: str(ns) for prefix, ns in list(kg.graph.namespaces())[:200] if prefix}
        shown.update((prefix, str(ns)) for prefix, ns in PREFIXES.items())
        self.page = _page(example, self._limits(), shown)

    # -- lifecycle ---------------------------------------------------------------

    def bind(self) -> SparqlServer:
        """Prepare the graph for queries and open the listening socket (start and serve_forever do this).

        Raises
        ------
        StoreError
            If the address cannot be bound (port in use, unknown host name).
        """
        if self._httpd is not None:
            return self
        # Build the entailed dataset now: the first query should not pay for it
        # (nor time out on it), and a regime that cannot be built fails here.
        self.kg.query("ASK {}", entailment=self.entailment)
        try:
            infos = socket.getaddrinfo(
                self.host, self._requested_port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            )
            family = infos[0][0]
            self._httpd = _HTTPServer((self.host, self._requested_port), family, self)
        except OSError as err:
            where = f"{self.host}:{self._requested_port}"
            raise StoreError(where, f"cannot listen there: {err.strerror or err}") from None
        bound = str(self._httpd.server_address[0])
        if _is_loopback(bound):
            names = {"localhost", "127.0.0.1", "::1", bound, self.host.strip("[]").lower()}
            self.allowed_hosts = (
                None if "*" in self._extra_hosts else frozenset(names | set(self._extra_hosts))
            )
        elif self._extra_hosts and "*" not in self._extra_hosts:
            self.allowed_hosts = frozenset(self._extra_hosts)
        return self

    def start(self) -> SparqlServer:
        """Serve from a background thread until :meth:`stop`; return self."""
        self.bind()
        if self._thread is None:
            assert self._httpd is not None
            self._thread = threading.Thread(
                target=self._httpd.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"genai-graph SPARQL endpoint {self.url}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve from the calling thread until :meth:`stop` is called from another, or Ctrl-C."""
        self.bind()
        assert self._httpd is not None
        try:
            self._httpd.serve_forever(poll_interval=0.2)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving and close the socket; queries still running finish on their own."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        if thread is not None:
            httpd.shutdown()
            thread.join()
        self._close()

    def _close(self) -> None:
        if self._httpd is not None:
            self._httpd.server_close()
        self._httpd, self._thread = None, None

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- where --------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on (known once bound)."""
        return int(self._bound()[1])

    @property
    def loopback(self) -> bool:
        """True if only this machine can reach the server."""
        return _is_loopback(str(self._bound()[0]))

    @property
    def url(self) -> str:
        """The endpoint's URL, e.g. ``http://127.0.0.1:8000/sparql``."""
        return self._base() + PATH

    @property
    def page_url(self) -> str:
        """The query page's URL, e.g. ``http://127.0.0.1:8000/``."""
        return self._base() + "/"

    def _bound(self) -> tuple[Any, ...]:
        if self._httpd is None:
            raise RuntimeError("the server is not listening yet: call start() or bind() first")
        return tuple(self._httpd.server_address)

    def _base(self) -> str:
        address, port = str(self._bound()[0]), self.port
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None
        try:
            ip = ipaddress.ip_address(address.split("%")[0])
        except ValueError:  # pragma: no cover - server_address is always numeric
            ip = None
        if (
            ip is not None and ip.is_unspecified
        ):  # listening everywhere: name this machine's loopback
            address = "127.0.0.1" if ip.version == 4 else "::1"
        if ":" in address:
            address = f"[{address}]"
        return f"http://{address}:{port}"

    # -- answering -----------------------------------------------------------------

    def execute(self, text: str) -> SelectResult | bool | Graph:
        """Run one query under the server's lock, limits and regime; HTTP errors for failures."""
        waited = self._query_lock.acquire(timeout=-1 if self.timeout is None else self.timeout)
        if not waited:
            raise _HTTPError(
                HTTPStatus.SERVICE_UNAVAILABLE,
                "the endpoint is busy with other queries; try again later",
                headers=[("Retry-After", "5")],
            )
        try:
            return self.kg.query(
                text, entailment=self.entailment, timeout=self.timeout, max_rows=self.max_rows
            )
        except QueryTimeoutError as err:
            raise _HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, str(err)) from None
        except QueryError as err:
            raise _HTTPError(HTTPStatus.BAD_REQUEST, str(err)) from None
        except RecursionError:
            raise _HTTPError(HTTPStatus.BAD_REQUEST, "the query is nested too deeply") from None
        except MemoryError:
            raise _HTTPError(
                HTTPStatus.SERVICE_UNAVAILABLE, "the query needs more memory than the server has"
            ) from None
        except GenAIGraphError as err:
            raise _HTTPError(HTTPStatus.INTERNAL_SERVER_ERROR, str(err)) from None
        finally:
            self._query_lock.release()

    def description(self, endpoint: str | None = None) -> Graph:
        """Return the SPARQL 1.1 Service Description of this endpoint.

        Examples
        --------
        >>> from rdflib import URIRef
        >>> with SparqlServer(kg) as server:
        ...     sd = server.description()
        ...     (None, SD.endpoint, URIRef(server.url)) in sd
        True
        >>> (None, SD.supportedLanguage, SD.SPARQL11Query) in sd
        True
        """
        g = Graph()
        for prefix, namespace in (
            ("sd", SD),
            ("formats", FORMATS),
            ("ent", ENTAILMENT),
            ("void", VOID),
        ):
            g.bind(prefix, namespace)
        service = BNode()
        g.add((service, RDF.type, SD.Service))
        g.add((service, SD.endpoint, URIRef(endpoint or self.url)))
        g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
        for name in _RESULT_FORMATS:
            g.add((service, SD.resultFormat, FORMATS[name]))
        comment = (
            f"genai-graph {__version__}: read-only, entailment {self.entailment!r}, {self._limits()}. "
            "SERVICE and FROM are refused; rdf, rdfs, owl, xsd, skos, dcterms and genai are pre-bound."
        )
        g.add((service, RDFS.comment, Literal(comment)))
        dataset, default = BNode(), BNode()
        g.add((service, SD.defaultDataset, dataset))
        g.add((dataset, RDF.type, SD.Dataset))
        g.add((dataset, SD.defaultGraph, default))
        g.add((default, RDF.type, SD.Graph))
        asserted = len(self.kg.graph)
        if self.entailment == "told":
            g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
            g.add((default, VOID.triples, Literal(asserted, datatype=XSD.integer)))
        else:
            g.add((service, SD.feature, SD.UnionDefaultGraph))
            inferred = len(self.kg.inferred(self.entailment))
            for name, size in ((ASSERTED_GRAPH, asserted), (INFERRED_GRAPH, inferred)):
                named, graph = BNode(), BNode()
                g.add((dataset, SD.namedGraph, named))
                g.add((named, RDF.type, SD.NamedGraph))
                g.add((named, SD.name, name))
                g.add((named, SD.graph, graph))
                g.add((graph, RDF.type, SD.Graph))
                g.add((graph, VOID.triples, Literal(size, datatype=XSD.integer)))
        return g

    def _limits(self) -> str:
        timeout = (
            "no time limit" if self.timeout is None else f"queries stop after {self.timeout:g} s"
        )
        rows = "no row limit" if self.max_rows is None else f"at most {self.max_rows} rows"
        return f"{timeout}, {rows}"

    def _log(self, message: str) -> None:
        if self._logfile is None:
            return
        with self._log_lock, contextlib.suppress(OSError, ValueError):
            print(message, file=self._logfile, flush=True)


def serve(
    kg: KnowledgeGraph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    entailment: str = "told",
    timeout: float | None = DEFAULT_TIMEOUT,
    max_rows: int | None = DEFAULT_MAX_ROWS,
    allowed_hosts: Sequence[str] | None = None,
    out: TextIO | None = None,
    log: TextIO | None = None,
    log_requests: bool = True,
) -> None:
    """Serve `kg` over the SPARQL 1.1 Protocol until Ctrl-C (SIGINT) or SIGTERM.

    Prints the endpoint's URL to `out` (stdout) once it listens, and a warning
    to `log` (stderr) when the address is reachable from other machines.
    Errors, and requests unless `log_requests` is False, are logged to `log`.
    Returns normally when interrupted. The parameters are those of
    :class:`SparqlServer`.

    Raises
    ------
    StoreError
        If the address cannot be bound.
    """
    out = sys.stdout if out is None else out
    log = sys.stderr if log is None else log
    server = SparqlServer(
        kg,
        host=host,
        port=port,
        entailment=entailment,
        timeout=timeout,
        max_rows=max_rows,
        allowed_hosts=allowed_hosts,
        log=log,
        log_requests=log_requests,
    ).bind()
    if not server.loopback:
        print(
            f"warning: listening on {host}, reachable from other machines, with no "
            "authentication: anyone who can connect can read the whole graph",
            file=log,
            flush=True,
        )
    print(f"SPARQL endpoint: {server.url}", file=out)
    print(f"query page:      {server.page_url}", file=out)
    print("press Ctrl-C to stop", file=out, flush=True)
    with _sigterm_as_interrupt(), contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM and SIGINT stop the server (main thread only).

    SIGINT is set explicitly too: a process started in the background by a
    non-interactive shell inherits an ignored SIGINT, and Python then never
    raises KeyboardInterrupt.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous_term = signal.signal(signal.SIGTERM, interrupt)
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
