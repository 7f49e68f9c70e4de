"""Quality checks on any ontology, in the spirit of ROBOT's ``report``, with no Java.

Each check yields findings with a level (ERROR, WARN, INFO), the term, a
message and a hint for the fix:

================================  =====  ==================================================
check                             level  finds
================================  =====  ==================================================
``subclass-cycle``                ERROR  classes on a cycle of rdfs:subClassOf
``unsatisfiable-class``           ERROR  classes that cannot have members (OWL 2 EL)
``individual-in-disjoint-classes``  ERROR  individuals typed with disjoint classes
``missing-label``                 ERROR  declared terms without rdfs:label or skos:prefLabel (WARN
                                         for annotation properties)
``duplicate-label``               ERROR  one label (case-insensitive, same language) on two terms
``multiple-labels``               WARN   two rdfs:labels in one language
``missing-definition``            WARN   classes and properties without a definition
``duplicate-definition``          WARN   one definition text on two terms
``dangling-reference``            WARN   IRIs used as classes or properties but never described
``deprecated-in-use``             WARN   owl:deprecated terms still used by others
``label-whitespace``              WARN   labels with leading, trailing or doubled spaces
``orphan-class``                  WARN   classes with no superclass, subclass or instance
``many-parents``                  INFO   classes with more than three direct superclasses
================================  =====  ==================================================

Terms of the standard vocabularies (RDF, RDFS, OWL, XSD, SKOS, Dublin Core,
oboInOwl, PROV, FOAF, schema.org) are not checked: they are not yours to fix.
"""

from __future__ import annotations

import csv
import html
import io
import json
import warnings
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .errors import GenAIGraphWarning
from .reasoning.index import BUILTIN_NAMESPACES

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["LEVELS", "Finding", "Report", "run_report"]

LEVELS = ("ERROR", "WARN", "INFO")
"""Finding levels, most severe first."""

_SKIP = (
    *BUILTIN_NAMESPACES,
    str(SKOS),
    "http://purl.org/dc/",
    "http://www.geneontology.org/formats/oboInOwl#",
    "http://www.w3.org/ns/prov#",
    "http://xmlns.com/foaf/0.1/",
    "http://schema.org/",
    "https://schema.org/",
)
_DEFINITIONS = (SKOS.definition, URIRef("http://purl.obolibrary.org/obo/IAO_0000115"))
_DECLARED = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.NamedIndividual,
)


@dataclass(frozen=True)
class Finding:
    """One problem: its level, the check that found it, the term, what is wrong and how to fix it."""

    level: str
    check: str
    term: str
    message: str
    hint: str


class Report:
    """The findings of :func:`run_report`, most severe first.

    Examples
    --------
    >>> report = kg.report()
    >>> report.errors, report.warnings
    (0, 0)
    >>> report.ok
    True
    """

    def __init__(self, findings: list[Finding]) -> None:
        order = {level: i for i, level in enumerate(LEVELS)}
        self.findings = sorted(findings, key=lambda f: (order[f.level], f.check, f.term))

    @property
    def errors(self) -> int:
        """The number of ERROR findings."""
        return sum(1 for f in self.findings if f.level == "ERROR")

    @property
    def warnings(self) -> int:
        """The number of WARN findings."""
        return sum(1 for f in self.findings if f.level == "WARN")

    @property
    def ok(self) -> bool:
        """True when there is no ERROR."""
        return self.errors == 0

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def summary(self) -> str:
        """Return one line: the counts per level."""
        counts = {level: sum(1 for f in self.findings if f.level == level) for level in LEVELS}
        return ", ".join(f"{n} {level}" for level, n in counts.items())

    def to_table(self) -> str:
        """Return the findings as an aligned text table, then the summary."""
        rows = [("LEVEL", "CHECK", "TERM", "MESSAGE", "HINT")]
        rows += [(f.level, f.check, f.term, f.message, f.hint) for f in self.findings]
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = ["  ".join(r[i].ljust(widths[i]) for i in range(4)) + "  " + r[4] for r in rows]
        return "\n".join([*lines, "", self.summary()])

    def to_tsv(self) -> str:
        """Return the findings as tab-separated values with a header row."""
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="\t", lineterminator="\n")
        writer.writerow(["level", "check", "term", "message", "hint"])
        for f in self.findings:
            writer.writerow([f.level, f.check, f.term, f.message, f.hint])
        return buf.getvalue()

    def to_json(self) -> str:
        """Return the findings as JSON: a summary and a list of objects."""
        counts = {level: sum(1 for f in self.findings if f.level == level) for level in LEVELS}
        return json.dumps(
            {"summary": counts, "findings": [asdict(f) for f in self.findings]},
            indent=2,
            ensure_ascii=False,
        )

    def to_html(self) -> str:
        """Return a self-contained HTML page of the findings (every value escaped)."""
        rows = "".join(
            "<tr class='{0}'><td>{0}</td><td>{1}</td><td>{2}</td><td>{3}</td><td>{4}</td></tr>".format(
                *(html.escape(v, quote=True) for v in (f.level, f.check, f.term, f.message, f.hint))
            )
            for f in self.findings
        )
        style = (
            "body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
            ".ERROR td:first-child{color:#b91c1c;font-weight:bold}.WARN td:first-child{color:#b45309}"
        )
        return (
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Ontology report</title>"
            f"<style>{style}</style></head><body><h1>Ontology report</h1><p>{html.escape(self.summary())}</p>"
            "<table><thead><tr><th>Level</th><th>Check</th><th>Term</th><th>Message</th><th>Hint</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></body></html>\n"
        )

    def _repr_html_(self) -> str:
        """Return a notebook table with inline styles only (the notebook keeps its own look)."""
        cell = "border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top"
        colour = {"ERROR": "color:#b91c1c;font-weight:bold", "WARN": "color:#b45309"}
        rows = "".join(
            f"<tr><td style='{cell};{colour.get(f.level, '')}'>{html.escape(f.level)}</td>"
            + "".join(
                f"<td style='{cell}'>{html.escape(v)}</td>"
                for v in (f.check, f.term, f.message, f.hint)
            )
            + "</tr>"
            for f in self.findings[:500]
        )
        head = "".join(
            f"<th style='{cell}'>{h}</th>" for h in ("Level", "Check", "Term", "Message", "Hint")
        )
        more = f"<p>... and {len(self.findings) - 500} more</p>" if len(self.findings) > 500 else ""
        return (
            f"<div><p>{html.escape(self.summary())}</p>"
            f"<table style='border-collapse:collapse'><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>{more}</div>"
        )

    def __str__(self) -> str:
        return self.to_table()

    def __repr__(self) -> str:
        return f"<Report: {self.summary()}>"


def _checked(term: object) -> bool:
    return isinstance(term, URIRef) and not str(term).startswith(_SKIP)


def run_report(kg: KnowledgeGraph) -> Report:
    """Run every check on `kg` and return the findings (see the module docstring)."""
    g = kg.graph
    out: list[Finding] = []
    curie = kg._names().curie

    def add(level: str, check: str, term: object, message: str, hint: str) -> None:
        out.append(
            Finding(
                level,
                check,
                curie(str(term)) if isinstance(term, URIRef) else str(term),
                message,
                hint,
            )
        )

    declared: dict[URIRef, URIRef] = {}
    for kind in _DECLARED:
        for s in g.subjects(RDF.type, kind):
            if _checked(s):
                declared.setdefault(s, kind)  # type: ignore[arg-type]
    told = kg._index("told")
    classes = {c for c in told.classes if _checked(c)}
    for c in classes:
        declared.setdefault(c, OWL.Class)

    # cycles: over rdfs:subClassOf alone (owl:equivalentClass is the way to say two classes are one)
    import networkx as nx

    taxonomy = nx.DiGraph(
        (s, o)
        for s, o in g.subject_objects(RDFS.subClassOf)
        if isinstance(s, URIRef) and isinstance(o, URIRef) and s != o
    )
    for cycle in nx.strongly_connected_components(taxonomy):
        if len(cycle) > 1:
            names = ", ".join(sorted(curie(str(c)) for c in cycle))
            for c in cycle:
                add(
                    "ERROR",
                    "subclass-cycle",
                    c,
                    f"is on a cycle of rdfs:subClassOf: {names}",
                    "remove a subClassOf link, or state owl:equivalentClass if they are the same class",
                )

    # logic: unsatisfiable classes and inconsistent individuals under OWL 2 EL
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GenAIGraphWarning)
        el = kg._index("el")
    for c in el.equivalents(OWL.Nothing):
        if _checked(c):
            add(
                "ERROR",
                "unsatisfiable-class",
                c,
                "can have no members: it is below disjoint classes",
                "check its superclasses and the disjointness axioms (genai-graph explain C owl:Nothing)",
            )
    for ind in el.individuals():
        if _checked(ind) and el.is_a(ind, OWL.Nothing):
            add(
                "ERROR",
                "individual-in-disjoint-classes",
                ind,
                "is an instance of classes declared disjoint",
                "remove one of its types, or the disjointness if it does not hold",
            )

    # labels
    by_label: dict[tuple[str, str], set[URIRef]] = defaultdict(set)
    for term, kind in declared.items():
        labels = [
            v
            for p in (RDFS.label, SKOS.prefLabel)
            for v in g.objects(term, p)
            if isinstance(v, Literal)
        ]
        if not labels:
            level = "WARN" if kind == OWL.AnnotationProperty else "ERROR"
            add(
                level,
                "missing-label",
                term,
                "has no rdfs:label",
                "add an rdfs:label, with a language tag",
            )
            continue
        per_language: dict[str, int] = defaultdict(int)
        for label in labels:
            text = str(label)
            by_label[(" ".join(text.casefold().split()), label.language or "")].add(term)
            per_language[label.language or ""] += 1
            if text != text.strip() or "  " in text:
                add(
                    "WARN",
                    "label-whitespace",
                    term,
                    f"label {text!r} has stray whitespace",
                    "trim the label",
                )
        for language, n in per_language.items():
            if n > 1:
                add(
                    "WARN",
                    "multiple-labels",
                    term,
                    f"has {n} labels in language {language or '(none)'!r}",
                    "keep one label per language; move the others to skos:altLabel",
                )
    for (text, language), terms in by_label.items():
        if len(terms) > 1:
            names = ", ".join(sorted(curie(str(t)) for t in terms))
            for term in terms:
                add(
                    "ERROR",
                    "duplicate-label",
                    term,
                    f"shares the label {text!r}{'@' + language if language else ''} with {names}",
                    "make the labels distinct, or merge the terms if they are the same",
                )

    # definitions
    by_definition: dict[str, set[URIRef]] = defaultdict(set)
    for term, kind in declared.items():
        found = [v for p in _DEFINITIONS for v in g.objects(term, p)]
        if not found and kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
            add(
                "WARN",
                "missing-definition",
                term,
                "has no definition",
                "add a skos:definition (or IAO:0000115)",
            )
        for d in found:
            by_definition[" ".join(str(d).casefold().split())].add(term)
    for terms in by_definition.values():
        if len(terms) > 1:
            for term in terms:
                others = ", ".join(sorted(curie(str(t)) for t in terms - {term}))
                add(
                    "WARN",
                    "duplicate-definition",
                    term,
                    f"has the same definition as {others}",
                    "write a definition that tells the terms apart",
                )

    # references to terms nothing describes
    described = {s for s in g.subjects() if isinstance(s, URIRef)}
    used: dict[URIRef, str] = {}
    for o in g.objects(None, RDFS.subClassOf):
        if isinstance(o, URIRef):
            used.setdefault(o, "a superclass")
    for o in g.objects(None, OWL.someValuesFrom):
        if isinstance(o, URIRef):
            used.setdefault(o, "a restriction's class")
    for p in g.objects(None, OWL.onProperty):
        if isinstance(p, URIRef):
            used.setdefault(p, "a restriction's property")
    for s, o in g.subject_objects(RDF.type):
        if isinstance(s, URIRef) and isinstance(o, URIRef):
            used.setdefault(o, "a type")
    for term, role in used.items():
        if _checked(term) and term not in described:
            add(
                "WARN",
                "dangling-reference",
                term,
                f"is used as {role} but nothing in the graph describes it",
                "declare and label it, fix a typo in the IRI, or load the ontology that defines it",
            )

    # deprecated terms still in use
    deprecated = {s for s in g.subjects(OWL.deprecated, Literal(True)) if isinstance(s, URIRef)}
    for term in deprecated:
        users = {s for s in g.subjects(RDFS.subClassOf, term)} | {
            s for s in g.subjects(RDF.type, term)
        }
        users |= {r for r in g.subjects(OWL.someValuesFrom, term)}
        users = {u for u in users if u not in deprecated}
        if users:
            add(
                "WARN",
                "deprecated-in-use",
                term,
                f"is deprecated but used by {len(users)} term(s)",
                "point its users to the replacement (see its obo:IAO_0100001 or dcterms:isReplacedBy)",
            )

    # shape of the taxonomy
    for c in classes:
        if c in (OWL.Thing, OWL.Nothing):
            continue
        parents = told.parents(c)
        if (
            not parents
            and not told.children(c)
            and not told.instances(c)
            and not told.equivalents(c)
            and not any(isinstance(o, BNode) for o in g.objects(c, RDFS.subClassOf))
        ):
            add(
                "WARN",
                "orphan-class",
                c,
                "has no superclass, subclass or instance",
                "place it in the taxonomy with rdfs:subClassOf",
            )
        if len(parents) > 3:
            add(
                "INFO",
                "many-parents",
                c,
                f"has {len(parents)} direct superclasses",
                "check that each is intended; many parents often hide a missing defined class",
            )
    return Report(out)
