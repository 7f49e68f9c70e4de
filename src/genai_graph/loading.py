"""Reading RDF sources into an rdflib graph, with errors that say where.

Formats are chosen by file extension and, when the extension says nothing,
by looking at the first bytes of the file. Parser errors become
:class:`~genai_graph.errors.OntologyLoadError` with the file, line and column.
Nothing here touches the network: ``owl:imports`` are recorded, never fetched.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import warnings
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax import SAXParseException

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ._store import gc_paused
from ._write import write_atomic
from .errors import OntologyLoadError

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc is 3.11+

__all__ = ["FORMATS", "Source", "bundled_ontology", "bundled_triples", "guess_format", "parse_into"]

Source = str | os.PathLike[str] | Graph
"""What :func:`genai_graph.load` accepts: a file path or an rdflib Graph."""

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".n3": "n3",
    ".nt": "nt",
    ".ntriples": "nt",
    ".owl": "xml",
    ".rdf": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".trig": "trig",
    ".nq": "nquads",
}
"""File extension -> rdflib parser name."""

_SNIFF_BYTES = 4096
_QUAD_FORMATS = ("json-ld", "trig", "nquads", "n3")


def bundled_ontology(name: str = "genai.ttl") -> Traversable:
    """Return a file of the bundled ontology (``genai.ttl``, ``shapes.ttl``, ...), wherever the package is.

    From a wheel it is package data (``genai_graph/ontology/``); from a source
    checkout or an editable install it is the top-level ``ontology/``.

    Examples
    --------
    >>> bundled_ontology().name
    'genai.ttl'
    """
    packaged = files("genai_graph") / "ontology" / name
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "ontology" / name
    if checkout.is_file():
        return checkout
    raise OntologyLoadError(
        name, "the bundled ontology is missing from this installation; reinstall genai-graph"
    )


def bundled_triples() -> tuple[tuple[Node, Node, Node], ...]:
    """Return the bundled ontology's triples, parsed once per process and cached on disk.

    Parsing the Turtle takes most of a command-line call, so the parsed
    triples are kept in a pickle named after the file's SHA-256 and the rdflib
    version, in ``$GENAI_GRAPH_CACHE`` (``off`` disables it), else
    ``$XDG_CACHE_HOME/genai-graph``, else ``~/.cache/genai-graph``. The file is
    written atomically; any problem reading or writing it falls back to parsing.
    """
    return _bundled_triples()


@functools.cache
def _bundled_triples() -> tuple[tuple[Node, Node, Node], ...]:
    import rdflib

    source = bundled_ontology()
    data = source.read_bytes()
    cache = _cache_file(
        f"bundled-{hashlib.sha256(data).hexdigest()[:24]}-rdflib{rdflib.__version__}.pickle"
    )
    if cache is not None:
        try:
            with cache.open("rb") as handle:
                triples = pickle.load(handle)
            if isinstance(triples, tuple) and triples and len(triples[0]) == 3:
                return triples
        except Exception:  # a missing, partial or foreign cache file: parse instead
            pass
    graph = Graph(bind_namespaces="core")
    parse_bytes(graph, data, "turtle", f"bundled {source.name}")
    triples = tuple(graph)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cache, pickle.dumps(triples, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # a read-only home or a full disk: no cache, same answers
            pass
    return triples


def _cache_file(name: str) -> Path | None:
    setting = os.environ.get("GENAI_GRAPH_CACHE", "")
    if setting.lower() in ("0", "off", "no", "false"):
        return None
    if setting:
        return Path(setting) / name
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "genai-graph" / name


def guess_format(path: str | os.PathLike[str], head: bytes = b"") -> str:
    """Return the rdflib parser name for `path`, from its extension or its first bytes.

    Examples
    --------
    >>> guess_format("ontology.owl")
    'xml'
    >>> guess_format("data", b'{"@context": {}}')
    'json-ld'
    """
    suffix = Path(path).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<?xml", b"<rdf:RDF", b"<RDF")):
        return "xml"
    if text.startswith((b"{", b"[")):
        return "json-ld"
    return "turtle"  # also reads N-Triples


def parse_into(graph: Graph, sources: Iterable[Source]) -> None:
    """Parse every source into `graph`, raising OntologyLoadError on the first failure."""
    for source in sources:
        if isinstance(source, Graph):
            for triple in source:
                graph.add(triple)
            continue
        _parse_file(graph, source)


def _parse_file(graph: Graph, source: str | os.PathLike[str]) -> None:
    path = Path(source)
    name = str(source)
    if not path.exists():
        raise OntologyLoadError(name, "no such file")
    if path.is_dir():
        raise OntologyLoadError(name, "is a directory, not an RDF file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise OntologyLoadError(name, err.strerror or str(err)) from err
    fmt = guess_format(path, data[:_SNIFF_BYTES])
    parse_bytes(graph, data, fmt, name)


def parse_bytes(graph: Graph, data: bytes, fmt: str, name: str) -> None:
    """Parse `data` in format `fmt` into `graph`; `name` is used in error messages."""
    if fmt in ("turtle", "n3", "nt", "trig", "nquads", "json-ld"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line, column = _position(data, err.start)
            raise OntologyLoadError(
                name,
                f"not UTF-8 text (byte {err.start}); is this a {fmt} file?",
                line=line,
                column=column,
            ) from err
        if "\x00" in text:
            raise OntologyLoadError(name, f"binary data, not a {fmt} file")
        payload: str | bytes = text
    else:
        payload = data
    try:
        with warnings.catch_warnings(), gc_paused():
            # rdflib's own parsers (JSON-LD, N3, TriG) call its deprecated APIs; users can't act on that.
            warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib(\.|$)")
            if fmt in _QUAD_FORMATS and not graph.store.context_aware:
                # these parsers need a store with named graphs; their triples are merged
                scratch = Dataset()
                scratch.parse(data=payload, format=fmt)
                graph.addN(
                    (s, p, o, graph)
                    for s, p, o, _ in scratch.quads((None, None, None, None))
                    # N3 formulas (rules) are not statements: leave them out
                    if isinstance(s, (URIRef, BNode)) and isinstance(o, (URIRef, BNode, Literal))
                )
            else:
                graph.parse(data=payload, format=fmt)
    except BadSyntax as err:
        line, column = _position(err._str, err._i)
        raise OntologyLoadError(
            name, f"{fmt} syntax error: {err._why}", line=line, column=column
        ) from err
    except SAXParseException as err:
        raise OntologyLoadError(
            name,
            f"XML error: {err.getMessage()}",
            line=err.getLineNumber(),
            column=err.getColumnNumber(),
        ) from err
    except json.JSONDecodeError as err:
        raise OntologyLoadError(
            name, f"JSON error: {err.msg}", line=err.lineno, column=err.colno
        ) from err
    except Exception as err:  # rdflib raises many types; none may escape as a traceback
        raise OntologyLoadError(name, f"{fmt} parse error: {err}") from err


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of character `offset` in `text`."""
    newline = "\n" if isinstance(text, str) else b"\n"
    offset = max(0, min(offset, len(text)))
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - start + 1
