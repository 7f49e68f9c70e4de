"""Turning what people type into the resource they mean.

A name may be an IRI (``https://...`` or ``<https://...>``), a CURIE
(``genai:LargeLanguageModel``), a label (``"Large Language Model"``), a
synonym (``"LLM"``) or a local name (``"LargeLanguageModel"``). Matching is
case-insensitive and ignores repeated whitespace and Unicode compatibility
forms (NFKC). When several levels match, the most specific wins: IRI, then
CURIE, then label, then synonym, then local name. Within one level, two
different resources make the name ambiguous.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, Namespace

from ._store import distinct_terms, predicate_pairs
from .errors import AmbiguousNameError, UnknownConceptError

__all__ = ["LABEL_PREDICATES", "SYNONYM_PREDICATES", "NameIndex", "normalize"]

_OBO = Namespace("http://www.geneontology.org/formats/oboInOwl#")

LABEL_PREDICATES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel)
"""Predicates whose values are a resource's primary name."""

SYNONYM_PREDICATES: tuple[URIRef, ...] = (
    SKOS.altLabel,
    SKOS.hiddenLabel,
    _OBO.hasExactSynonym,
    _OBO.hasRelatedSynonym,
    _OBO.hasNarrowSynonym,
    _OBO.hasBroadSynonym,
)
"""Predicates whose values are other names of a resource."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_MAX_NAME = 2000


def checked_name(name: str) -> str:
    """Return `name` stripped; refuse an empty or overlong name with an UnknownConceptError."""
    text = name.strip()
    if not text:
        raise UnknownConceptError(name, reason="empty name: give a label, synonym, CURIE or IRI")
    if len(text) > _MAX_NAME:
        raise UnknownConceptError(
            text[:40] + "...",
            reason=f"name too long ({len(text)} characters, limit {_MAX_NAME})",
        )
    return text


def is_curie_or_iri(text: str) -> bool:
    """Return True if `text` looks like ``prefix:local`` or ``scheme:...`` (no spaces)."""
    return _SCHEME.match(text) is not None and " " not in text


def normalize(text: str) -> str:
    """Return `text` in the form names are compared in.

    Examples
    --------
    >>> normalize("  Large   LANGUAGE model ")
    'large language model'
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _lookalike(name: str) -> str:
    """Return a message for an unknown `name` that says which look-alike character it holds, if any.

    A Cyrillic or Greek letter among Latin ones ("LL" and a Cyrillic Em)
    or an invisible formatting character (a zero-width space) makes a name
    look right and match nothing; an empty string when there is none.

    Examples
    --------
    >>> _lookalike("LL\u041c").endswith("(it contains U+041C CYRILLIC CAPITAL LETTER EM, a Latin look-alike)")
    True
    >>> _lookalike("LLM")
    ''
    """
    latin = any(c.isascii() and c.isalpha() for c in name)
    for char in name:
        if unicodedata.category(char) == "Cf":
            what = "an invisible character"  # a zero-width space, a soft hyphen
        elif latin and unicodedata.name(char, "").startswith(("CYRILLIC ", "GREEK ", "ARMENIAN ")):
            what = "a Latin look-alike"
        else:
            continue
        code = f"U+{ord(char):04X} {unicodedata.name(char, '')}".rstrip()
        return f"unknown name {name!r} (it contains {code}, {what})"
    return ""


def _local_name(iri: str) -> str:
    for sep in ("#", "/", ":"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1]
    return iri


class NameIndex:
    """Lookup tables from names to IRIs for one graph state.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph whose labels and synonyms are indexed.
    known : iterable of URIRef
        Every IRI that counts as a resource of the graph (for IRI and CURIE input).
        Local names are indexed only for those that are also subjects, so that the
        IRIs of web pages cited as sources do not become names.
    prefixes : mapping of str to str
        Prefix -> namespace IRI, used to expand and write CURIEs.
    """

    def __init__(self, graph: Graph, known: Iterable[URIRef], prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self.known: frozenset[URIRef] = frozenset(known)
        self._labels: dict[str, set[URIRef]] = defaultdict(set)
        self._synonyms: dict[str, set[URIRef]] = defaultdict(set)
        self._local: dict[str, set[URIRef]] = defaultdict(set)
        self._display: dict[str, str] = {}  # normalized name -> a spelling to suggest
        for table, predicates in (
            (self._labels, LABEL_PREDICATES),
            (self._synonyms, SYNONYM_PREDICATES),
        ):
            for predicate in predicates:
                for subject, value in predicate_pairs(graph, predicate):
                    if isinstance(subject, URIRef) and isinstance(value, Literal):
                        key = normalize(str(value))
                        if key:
                            table[key].add(subject)
                            self._display.setdefault(key, str(value))
        described = distinct_terms(graph)[0]
        for iri in self.known & described:
            local = _local_name(str(iri))
            key = normalize(local)
            if key:
                self._local[key].add(iri)
                self._display.setdefault(key, local)
        # Longest namespace first, so that a CURIE uses the most specific prefix.
        self._by_namespace = sorted(
            ((ns, prefix) for prefix, ns in self.prefixes.items()), key=lambda p: -len(p[0])
        )

    def curie(self, iri: str) -> str:
        """Return the shortest CURIE for `iri` under the known prefixes, or `iri` itself."""
        for namespace, prefix in self._by_namespace:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if re.fullmatch(r"[\w.-]+", local):
                    return f"{prefix}:{local}"
        return iri

    def resolve(self, name: str) -> URIRef:
        """Return the IRI that `name` denotes.

        Raises
        ------
        UnknownConceptError
            If nothing matches; the message suggests the closest names.
        AmbiguousNameError
            If several resources match at the same level.
        """
        text = checked_name(name)
        if text.startswith("<") and text.endswith(">"):
            return self._known_iri(text[1:-1], name)
        if is_curie_or_iri(text):
            prefix, _, local = text.partition(":")
            if prefix in self.prefixes:
                iri = URIRef(self.prefixes[prefix] + local)
                if iri in self.known:
                    return iri
            elif "/" in local or prefix in ("urn", "http", "https", "file", "mailto", "tag"):
                return self._known_iri(text, name)
        key = normalize(text)
        for table in (self._labels, self._synonyms, self._local):
            matches = table.get(key)
            if matches:
                if len(matches) == 1:
                    return next(iter(matches))
                raise AmbiguousNameError(name, sorted(self.curie(str(m)) for m in matches))
        raise UnknownConceptError(name, self.suggest(text), reason=_lookalike(name))

    def _known_iri(self, iri: str, name: str) -> URIRef:
        ref = URIRef(iri)
        if ref in self.known:
            return ref
        raise UnknownConceptError(
            name, self.suggest(_local_name(iri)), reason=f"no resource with IRI <{iri}>"
        )

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Return up to `n` known names close to `text`, best first, one per resource."""
        key = normalize(text)
        close = difflib.get_close_matches(key, self._display.keys(), n=4 * n, cutoff=0.6)
        out: list[str] = []
        seen: set[URIRef] = set()
        for candidate in close:
            owners = (
                self._labels.get(candidate)
                or self._synonyms.get(candidate)
                or self._local.get(candidate, set())
            )
            if owners and owners <= seen:
                continue
            seen |= owners
            out.append(self._display[candidate])
            if len(out) == n:
                break
        return out
