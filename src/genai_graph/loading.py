"""Reading RDF sources into an rdflib graph, with errors that say where.

Formats are chosen by file extension and, for ``.owl``, ``.xml``, ``.rdf`` and
unknown extensions, by looking at the first bytes of the file (Protégé saves
Turtle as ``.owl`` too). Parser errors become
:class:`~genai_graph.errors.OntologyLoadError` with the file, line and column.

Nothing here touches the network or reads a file it was not given:
``owl:imports`` are recorded, never fetched; URLs given as sources are
refused; JSON-LD ``@context``/``@import`` references to other documents are
refused before rdflib could fetch them (inline contexts work); RDF/XML
external entities are not resolved.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from xml.parsers import expat
from xml.sax import SAXParseException

from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.parser import PythonInputSource
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from ._store import gc_paused, rdflib_deprecations_hidden
from ._write import write_atomic
from .errors import GenAIGraphWarning, OntologyLoadError

if TYPE_CHECKING:
    from importlib.abc import Traversable  # importlib.resources.abc is 3.11+

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "UNSUPPORTED",
    "Source",
    "bundled_ontology",
    "bundled_triples",
    "guess_format",
    "max_bytes",
    "parse_into",
]

Source = str | os.PathLike[str] | Graph
"""What :func:`genai_graph.load` accepts: a file path (or ``file:`` URI) or an rdflib Graph or Dataset."""

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
"""File extension -> rdflib parser name (for ``.owl``, ``.rdf`` and ``.xml``, when the content says nothing)."""

_SNIFFED = frozenset({".owl", ".rdf", ".xml"})
"""Extensions used for several syntaxes: the content decides."""

UNSUPPORTED: dict[str, str] = {
    "owl-xml": "OWL/XML",
    "owl-functional": "OWL Functional Syntax",
    "owl-manchester": "OWL Manchester Syntax",
}
"""OWL syntaxes that are not RDF (so rdflib cannot read them): :func:`guess_format` name -> name."""

_UNSUPPORTED_EXTENSIONS = {".owx": "owl-xml", ".ofn": "owl-functional", ".omn": "owl-manchester"}
_FORMAT_NAMES = {"turtle": "Turtle", "xml": "RDF/XML", "json-ld": "JSON-LD", "nt": "N-Triples"}

_SNIFF_BYTES = 65536  # enough for a long DOCTYPE before the root element
_QUAD_FORMATS = ("json-ld", "trig", "nquads", "n3")
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_XML_START = re.compile(rb"<[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?[\s/>]")
_COMMENTS = re.compile(rb"(?:[ \t\r\n]+|#[^\n]*)*")
_FUNCTIONAL = re.compile(rb"(?:Prefix|Ontology|Import)[ \t\r\n]*\(")
_MANCHESTER = re.compile(
    rb"(?:Prefix|Ontology|Import|Class|ObjectProperty|DataProperty|AnnotationProperty"
    rb"|Individual|Datatype):[ \t\r\n]"
)
_URL = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://")


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
    triples are kept in a file named after the ontology's SHA-256 and the
    rdflib version, in ``$GENAI_GRAPH_CACHE`` (``off`` disables it), else
    ``$XDG_CACHE_HOME/genai-graph``, else ``~/.cache/genai-graph``.

    The cache is data, never code: a checksummed JSON table of terms (kind,
    text, datatype, language) read back into rdflib terms, so a planted file
    can at worst be ignored. It is only believed when it is intact, owned by
    the current user and not writable by others; otherwise the Turtle is
    parsed and the file rewritten (atomically). Any problem reading or writing
    it falls back to parsing, with the same answers.
    """
    return _bundled_triples()


@functools.cache
def _bundled_triples() -> tuple[tuple[Node, Node, Node], ...]:
    import rdflib

    source = bundled_ontology()
    data = source.read_bytes()
    cache = _cache_file(
        f"bundled-{hashlib.sha256(data).hexdigest()[:24]}-rdflib{rdflib.__version__}.triples"
    )
    if cache is not None:
        try:
            return _decode_triples(_read_trusted(cache))
        except Exception:  # missing, partial, foreign or tampered: parse instead
            pass
    graph = Graph(bind_namespaces="core")
    parse_bytes(graph, data, "turtle", f"bundled {source.name}")
    triples = tuple(graph)
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            # a fresh file, so that a bad one's owner or mode is not carried over
            cache.unlink(missing_ok=True)
            write_atomic(cache, _encode_triples(triples))
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


_CACHE_MAGIC = b"genai-graph triples 1"


def _read_trusted(path: Path) -> bytes:
    """Return the bytes of `path`, or raise if someone else could have written them."""
    # non-blocking, so that a FIFO planted in a shared cache directory cannot hang us
    with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise PermissionError(f"{path} is not a regular file")
        # POSIX: ours, and not writable by everyone
        if hasattr(os, "geteuid") and (status.st_uid != os.geteuid() or status.st_mode & 0o002):
            raise PermissionError(f"{path} is not a trusted cache file")
        return handle.read()


def _encode_triples(triples: Iterable[tuple[Node, Node, Node]]) -> bytes:
    """Encode triples as a checksummed JSON table of terms, read back by :func:`_decode_triples`.

    The first line is ``genai-graph triples 1 <sha256 of the rest>``; the rest
    is ``{"terms": [[kind, text, datatype, language], ...], "triples": [s, p, o, ...]}``
    with kind ``u`` (IRI), ``b`` (blank node) or ``l`` (literal) and the
    triples as indices into the terms.
    """
    index: dict[Node, int] = {}
    terms: list[list[str | None]] = []
    flat: list[int] = []
    for triple in triples:
        for term in triple:
            number = index.get(term)
            if number is None:
                number = index[term] = len(terms)
                if isinstance(term, Literal):
                    datatype = None if term.datatype is None else str(term.datatype)
                    terms.append(["l", str(term), datatype, term.language])
                elif isinstance(term, BNode):
                    terms.append(["b", str(term)])
                elif isinstance(term, URIRef):
                    terms.append(["u", str(term)])
                else:
                    raise TypeError(f"cannot cache the term {term!r}")
            flat.append(number)
    body = json.dumps(
        {"terms": terms, "triples": flat}, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    return _CACHE_MAGIC + b" " + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def _decode_triples(data: bytes) -> tuple[tuple[Node, Node, Node], ...]:
    """Decode what :func:`_encode_triples` wrote; raise ValueError on anything else."""
    header, newline, body = data.partition(b"\n")
    if (
        not newline
        or header[: len(_CACHE_MAGIC) + 1] != _CACHE_MAGIC + b" "
        or header[len(_CACHE_MAGIC) + 1 :] != hashlib.sha256(body).hexdigest().encode("ascii")
    ):
        raise ValueError("not an intact genai-graph cache file")
    document = json.loads(body)
    entries, flat = document["terms"], document["triples"]
    if type(entries) is not list or type(flat) is not list or not flat or len(flat) % 3:
        raise ValueError("malformed cache file")
    terms: list[Node] = []
    resources = bytearray(len(entries))  # 1: IRI or blank node, 2: IRI
    for number, entry in enumerate(entries):
        kind, text = entry[0], entry[1]
        if type(text) is not str:
            raise ValueError("malformed cache file")
        if kind == "u":
            terms.append(URIRef(text))
            resources[number] = 2
        elif kind == "b":
            terms.append(BNode(text))
            resources[number] = 1
        elif kind == "l":
            datatype, language = entry[2], entry[3]
            if not (datatype is None or type(datatype) is str) or not (
                language is None or type(language) is str
            ):
                raise ValueError("malformed cache file")
            terms.append(Literal(text, lang=language, datatype=datatype))
        else:
            raise ValueError("malformed cache file")
    if not all(type(number) is int for number in flat) or not (
        min(flat) >= 0 and max(flat) < len(terms)
    ):
        raise ValueError("malformed cache file")
    if not all(resources[number] for number in flat[0::3]) or not all(
        resources[number] == 2 for number in flat[1::3]
    ):
        raise ValueError("malformed cache file: a literal or blank node out of place")
    nodes = iter([terms[number] for number in flat])
    return tuple(zip(nodes, nodes, nodes, strict=True))


def guess_format(path: str | os.PathLike[str], head: bytes = b"") -> str:
    """Return the parser name for `path`, from its extension or its first bytes.

    ``.owl``, ``.rdf``, ``.xml`` and unknown extensions are decided by the
    content: Turtle (or N-Triples), RDF/XML, JSON-LD, or one of the OWL
    syntaxes that are not RDF, ``"owl-xml"``, ``"owl-functional"`` and
    ``"owl-manchester"`` (see :data:`UNSUPPORTED`), which
    :func:`parse_bytes` refuses with a note on how to convert them.

    Examples
    --------
    >>> guess_format("ontology.owl")
    'xml'
    >>> guess_format("ontology.owl", b"@prefix owl: <http://www.w3.org/2002/07/owl#> .")
    'turtle'
    >>> guess_format("ontology.owl", b"Prefix(:=<http://example.org/>)")
    'owl-functional'
    >>> guess_format("data", b'{"@context": {}}')
    'json-ld'
    """
    suffix = Path(path).suffix.lower()
    if suffix in _UNSUPPORTED_EXTENSIONS:
        return _UNSUPPORTED_EXTENSIONS[suffix]
    if suffix in FORMATS and suffix not in _SNIFFED:
        return FORMATS[suffix]
    return _sniff(head) or FORMATS.get(suffix, "turtle")


def _sniff(head: bytes) -> str | None:
    """Return the syntax the first bytes of a file are in, or None if they do not say."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if not text:
        return None
    if text.startswith((b"{", b"[")):
        return "json-ld"
    declared = text.startswith((b"<?xml", b"<!"))
    if declared or _XML_START.match(text):
        root = _xml_root(text)
        if root is None:  # the root element is further on than we looked
            return "xml"
        if root == "":  # not XML after all: Turtle that starts with an IRI such as <urn:x>
            return "xml" if declared else "turtle"
        return "owl-xml" if root == "owl" else "xml"
    text = text[_COMMENTS.match(text).end() :]  # type: ignore[union-attr]  # always matches
    if _FUNCTIONAL.match(text):
        return "owl-functional"
    if _MANCHESTER.match(text):
        return "owl-manchester"
    return "turtle"


class _RootFoundError(Exception):
    """Stops the XML scan at the root element."""


def _xml_root(text: bytes) -> str | None:
    """Classify the root element of the XML document that starts `text`.

    Returns ``"owl"`` for an OWL/XML ``Ontology`` (an ``owl:Ontology`` root
    without RDF attributes), ``"xml"`` for any other element in a namespace,
    ``""`` if `text` is not well-formed XML up to its root or the root has no
    namespace, and None if the root element is not within `text`. Only the
    prolog is read; no entity or DTD is ever loaded.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition(" ")
        if namespace == _OWL and local == "Ontology":
            rdf = any(key.startswith(_RDF + " ") for key in attributes)
            found.append("xml" if rdf else "owl")
        else:
            found.append("xml" if namespace else "")
        raise _RootFoundError

    parser.StartElementHandler = start
    try:
        parser.Parse(text, False)
    except _RootFoundError:
        return found[0]
    except expat.ExpatError:
        return ""
    return None


def parse_into(graph: Graph, sources: Iterable[Source]) -> None:
    """Parse every source into `graph`, raising OntologyLoadError on the first failure.

    A source is a file path, a ``file:`` URI or an rdflib graph. An rdflib
    Dataset or ConjunctiveGraph contributes the triples of all its graphs,
    default and named, merged: graph names are not kept. Other URLs are
    refused, since nothing here downloads.
    """
    for source in sources:
        if isinstance(source, Graph):
            with rdflib_deprecations_hidden():
                if isinstance(source, (Dataset, ConjunctiveGraph)):  # a Dataset iterates quads
                    graph.addN(
                        (s, p, o, graph)
                        for s, p, o in _statements(source.quads((None, None, None, None)))
                    )
                else:
                    graph.addN((s, p, o, graph) for s, p, o in source)
            continue
        _parse_file(graph, source)


_IMPORTS = URIRef(_OWL + "imports")


def _warn_imports(graph: Graph, name: str, before: set[Node]) -> None:
    """Warn that the owl:imports `name` added were not fetched (nothing is ever downloaded)."""
    new = sorted(str(o) for o in set(graph.objects(None, _IMPORTS)) - before)
    if new:
        shown = ", ".join(f"<{iri}>" for iri in new[:3]) + (
            f" and {len(new) - 3} more" if len(new) > 3 else ""
        )
        warnings.warn(
            f"{name} imports {shown}, not fetched: genai-graph never downloads anything; "
            "to use an imported ontology, download it and load it too (load(file, other) "
            "or genai-graph -O other.ttl)",
            GenAIGraphWarning,
            stacklevel=2,
        )


def _statements(quads: Iterable[tuple[Node, Node, Node, Any]]) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triples of `quads`, leaving out N3 formulas (rules), which are not statements."""
    for s, p, o, _ in quads:
        if isinstance(s, (URIRef, BNode)) and isinstance(o, (URIRef, BNode, Literal)):
            yield s, p, o


def _local_path(source: str | os.PathLike[str]) -> Path:
    """Return the file `source` names; a ``file:`` URI counts, other URLs are refused."""
    if not isinstance(source, str):
        return Path(source)
    if source[:6].lower() == "file:/":
        parts = urlsplit(source)
        if parts.netloc in ("", "localhost"):
            return Path(url2pathname(parts.path) if os.name == "nt" else unquote(parts.path))
    elif _URL.match(source) is None:
        return Path(source)
    raise OntologyLoadError(
        source,
        "this is a URL, and genai-graph never downloads anything (no network at run time); "
        f"download it yourself (e.g. curl -LO '{source}') and load the local file",
    )


DEFAULT_MAX_BYTES = 2 * 1024**3
"""Largest file the memory store parses (2 GiB) unless ``$GENAI_GRAPH_MAX_BYTES`` says otherwise."""


def max_bytes() -> int:
    """Return the size limit for files parsed into memory: ``$GENAI_GRAPH_MAX_BYTES`` or 2 GiB.

    rdflib holds a whole file, and then its triples, in memory (several times
    the file's size), so a larger file is refused before it is read rather
    than exhausting memory; the Oxigraph store streams files of any size.
    The variable takes a number of bytes, optionally with a K, M, G or T suffix
    (powers of 1024); ``0`` or ``off`` lifts the limit.

    Examples
    --------
    >>> max_bytes() == DEFAULT_MAX_BYTES or "GENAI_GRAPH_MAX_BYTES" in os.environ
    True
    """
    setting = os.environ.get("GENAI_GRAPH_MAX_BYTES", "").strip()
    if not setting:
        return DEFAULT_MAX_BYTES
    if setting.lower() in ("0", "off", "none", "no"):
        return 0
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?", setting, re.IGNORECASE)
    if match is None:
        raise OntologyLoadError(
            "$GENAI_GRAPH_MAX_BYTES",
            f"{setting!r} is not a size; give bytes, e.g. 500000000 or 4G, or 0 for no limit",
        )
    scale = 1024 ** " KMGT".index(match.group(2).upper() or " ")
    return int(float(match.group(1)) * scale)


def _size(n: float) -> str:
    """Return `n` bytes for people: ``3.0 GiB``, ``12.5 MiB``, ``800 bytes``."""
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    raise AssertionError  # pragma: no cover


def _parse_file(graph: Graph, source: str | os.PathLike[str]) -> None:
    name = str(source)
    path = _local_path(source)
    if not path.exists():
        raise OntologyLoadError(name, "no such file")
    if path.is_dir():
        raise OntologyLoadError(name, "is a directory, not an RDF file")
    limit = max_bytes()
    try:
        size = path.stat().st_size
    except OSError as err:
        raise OntologyLoadError(name, err.strerror or str(err)) from err
    if limit and size > limit:
        raise OntologyLoadError(
            name,
            f"the file is {_size(size)}, over the limit of {_size(limit)} for the memory store "
            "(parsing it would need several times that in memory); raise the limit with "
            "GENAI_GRAPH_MAX_BYTES (e.g. GENAI_GRAPH_MAX_BYTES=8G), or use the Oxigraph store, "
            "which streams: load(..., store='oxigraph', path=DIR) or genai-graph --db DIR",
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise OntologyLoadError(name, err.strerror or str(err)) from err
    except MemoryError as err:
        raise OntologyLoadError(
            name, f"the file is {_size(size)}, too large to read into memory here"
        ) from err
    fmt = guess_format(path, data[:_SNIFF_BYTES])
    expected = FORMATS.get(path.suffix.lower(), fmt)
    imported = set(graph.objects(None, _IMPORTS))
    try:
        parse_bytes(graph, data, fmt, name)
    except OntologyLoadError as err:
        sniffed = _sniff(data[:_SNIFF_BYTES])
        if sniffed == "json-ld" and not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            sniffed = None  # "[" also starts Turtle's blank nodes
        if fmt == expected and sniffed not in (None, fmt) and fmt not in ("n3", "nt", "trig"):
            # a .ttl file holding JSON-LD or RDF/XML: say that the extension is the likely problem
            looks, read_as = _FORMAT_NAMES.get(sniffed, sniffed), _FORMAT_NAMES.get(fmt, fmt)
            raise OntologyLoadError(
                name,
                f"{err.reason} (read as {read_as} because of its {path.suffix or 'missing'} "
                f"extension, but its content looks like {looks}: is the extension wrong?)",
                line=err.line,
                column=err.column,
            ) from err
        if fmt == expected or fmt in UNSUPPORTED:
            raise
        # say why a .owl file got a Turtle error: its content did not look like RDF/XML
        read_as, usual = _FORMAT_NAMES.get(fmt, fmt), _FORMAT_NAMES.get(expected, expected)
        raise OntologyLoadError(
            name,
            f"{err.reason} (read as {read_as} because of its content; "
            f"{path.suffix} files are usually {usual})",
            line=err.line,
            column=err.column,
        ) from err
    _warn_imports(graph, name, imported)


def parse_bytes(graph: Graph, data: bytes, fmt: str, name: str) -> None:
    """Parse `data` in format `fmt` into `graph`; `name` is used in error messages.

    JSON-LD that refers to another document for its ``@context`` (or
    ``@import``) is refused before anything is fetched; OWL syntaxes that are
    not RDF (:data:`UNSUPPORTED`) are refused with a note on how to convert them.
    """
    if fmt in UNSUPPORTED:
        raise OntologyLoadError(name, _unsupported(fmt, name))
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
    source = None
    if fmt == "json-ld":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as err:
            raise OntologyLoadError(
                name, f"JSON error: {err.msg}", line=err.lineno, column=err.colno
            ) from err
        except RecursionError as err:
            raise OntologyLoadError(name, "JSON error: nested too deeply") from err
        _refuse_context_references(document, name)
        # rdflib gets the very document that was checked, not text it would parse again
        source = PythonInputSource(document)
    try:
        # rdflib's own parsers (JSON-LD, N3, TriG) call its deprecated APIs; users can't act on that.
        with rdflib_deprecations_hidden(), gc_paused():
            data_or_source: dict[str, Any] = (
                {"source": source} if source is not None else {"data": payload}
            )
            if fmt in _QUAD_FORMATS and not graph.store.context_aware:
                # these parsers need a store with named graphs; their triples are merged
                scratch = Dataset()
                scratch.parse(format=fmt, **data_or_source)
                graph.addN(
                    (s, p, o, graph)
                    for s, p, o in _statements(scratch.quads((None, None, None, None)))
                )
            else:
                graph.parse(format=fmt, **data_or_source)
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


def _refuse_context_references(document: Any, name: str) -> None:
    """Raise OntologyLoadError if a JSON-LD ``@context`` or ``@import`` names another document.

    rdflib would fetch such a context (http, https, file, or a path relative to
    the current directory) while parsing. Inline context objects, and null,
    are fine; they are looked into too, since they may hold scoped contexts.
    """
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("@context", "@import"):
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, str):
                            raise OntologyLoadError(
                                name,
                                f"JSON-LD {key} refers to another document, {item!r}, and "
                                "genai-graph never fetches documents (no network, no other "
                                "files); put the context inline, as a JSON object",
                            )
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _unsupported(fmt: str, name: str) -> str:
    syntax = UNSUPPORTED[fmt]
    target = Path(name).with_suffix(".ttl").name
    return (
        f"this file is in {syntax}, which is not an RDF syntax, so genai-graph cannot read it "
        "(it reads Turtle, RDF/XML, N-Triples, N3, TriG, N-Quads and JSON-LD); "
        f"convert it to Turtle first, e.g. with ROBOT: robot convert --input {name} "
        f"--format ttl --output {target}, or in Protégé: File > Save as... > Turtle Syntax"
    )


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of character `offset` in `text`."""
    newline = "\n" if isinstance(text, str) else b"\n"
    offset = max(0, min(offset, len(text)))
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    start = text.rfind(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - start + 1


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_FORMS = {
    "http://www.w3.org/2001/XMLSchema#integer": re.compile(r"[+-]?\d+"),
    "http://www.w3.org/2001/XMLSchema#decimal": re.compile(r"[+-]?\d*\.\d+"),
    "http://www.w3.org/2001/XMLSchema#double": re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+"),
    "http://www.w3.org/2001/XMLSchema#boolean": re.compile(r"true|false"),
}


def _sort_key(node: Node) -> tuple[str, str, str, str]:
    datatype = getattr(node, "datatype", None)
    return (
        type(node).__name__,
        str(node),
        str(datatype or ""),
        getattr(node, "language", "") or "",
    )


def serialize(graph: Graph, fmt: str, name: str) -> bytes:
    """Return `graph` in `fmt` (turtle, nt, xml or json-ld) as UTF-8, refusing to lose anything.

    rdflib's Turtle writer shortens numbers to six digits (``10000001.0`` becomes
    ``1e+07``); here a number is written bare only when its lexical form reads
    back unchanged, and quoted with its datatype otherwise. RDF/XML cannot hold
    control characters, and rdflib's JSON-LD and RDF/XML writers drop some
    shapes (a blank node that is its own object): those are refused with a
    GenAIGraphError that names a syntax that works.
    """
    from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, TurtleSerializer

    from .errors import GenAIGraphError

    if fmt == "xml":
        for triple in graph:
            for term in triple:
                bad = _XML_INVALID.search(str(term))
                if bad is not None:
                    raise GenAIGraphError(
                        f"cannot write {name!r} as RDF/XML: XML cannot hold the control character "
                        f"U+{ord(bad.group()):04X} (in {str(term)[:60]!r}); save as Turtle (.ttl) "
                        "or N-Triples (.nt) instead"
                    )

    class _LosslessTurtle(TurtleSerializer):
        def sortProperties(self, properties: Any) -> list[Any]:  # noqa: N802  # rdflib's name
            # rdflib compares literal values, and Decimal("-0.0") < float("nan") raises
            for objects in properties.values():
                objects.sort(key=_sort_key)
            first = [p for p in self.predicateOrder if p in properties]
            return list(dict.fromkeys([*first, *sorted(properties)]))

        def label(self, node: Node, position: int) -> str:
            if isinstance(node, Literal) and node.datatype is not None:
                form = _PLAIN_FORMS.get(str(node.datatype))
                if form is None or not form.fullmatch(str(node)):
                    return node._literal_n3(
                        use_plain=False,
                        qname_callback=lambda dt: self.get_pname(dt, _GEN_QNAME_FOR_DT),
                    )
                return str(node)
            return str(super().label(node, position))

    try:
        with rdflib_deprecations_hidden():
            if fmt == "turtle":
                stream = io.BytesIO()
                _LosslessTurtle(graph).serialize(stream, encoding="utf-8")
                data = stream.getvalue()
            else:
                data = graph.serialize(format=fmt, encoding="utf-8")
    except Exception as err:  # rdflib's serializers raise plain exceptions
        raise GenAIGraphError(f"cannot write {name!r} as {fmt}: {err}") from err
    if fmt in ("xml", "json-ld"):  # writers known to drop shapes they cannot express
        check = Graph()
        parse_bytes(check, data, fmt, name)
        if len(check) != len(graph):
            raise GenAIGraphError(
                f"cannot write {name!r} as {_FORMAT_NAMES[fmt]}: rdflib's writer would keep "
                f"{len(check)} of the {len(graph)} triples (it cannot express some blank node "
                "shapes); save as Turtle (.ttl) or N-Triples (.nt) instead"
            )
    return data
