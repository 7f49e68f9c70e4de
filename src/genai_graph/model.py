"""The values answers are made of: concepts, sets of concepts, relations, explanations.

They are light views onto a :class:`~genai_graph.KnowledgeGraph`: a
:class:`Concept` holds an IRI and looks its label and definition up when asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from html import escape
from typing import TYPE_CHECKING, Any, NamedTuple

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

__all__ = ["Concept", "ConceptSet", "Explanation", "Relation", "Step"]


class Concept:
    """A class, individual or property of a knowledge graph, named by its IRI.

    Two concepts are equal when their IRIs are; they sort by label. Attributes
    other than :attr:`iri` are read from the graph on first use.

    Examples
    --------
    >>> llm = kg.concept("LLM")
    >>> llm.label, llm.curie
    ('Large Language Model', 'genai:LargeLanguageModel')
    >>> "LLM" in llm.synonyms
    True
    """

    __slots__ = ("_kg", "iri")

    def __init__(self, kg: KnowledgeGraph, iri: URIRef) -> None:
        self._kg = kg
        self.iri = iri

    @property
    def label(self) -> str:
        """The preferred label (English first), or the local name when there is none."""
        return self._kg._label(self.iri)

    @property
    def curie(self) -> str:
        """The IRI shortened with a known prefix, e.g. ``genai:LargeLanguageModel``."""
        return self._kg._names().curie(str(self.iri))

    @property
    def definition(self) -> str | None:
        """The ``skos:definition`` (or ``rdfs:comment`` when there is none)."""
        return self._kg._definition(self.iri)

    @property
    def synonyms(self) -> tuple[str, ...]:
        """Other names: ``skos:altLabel`` and the oboInOwl synonym properties, sorted."""
        return self._kg._synonyms(self.iri)

    @property
    def kind(self) -> str:
        """``"class"``, ``"individual"``, ``"property"`` or ``"resource"``."""
        return self._kg._kind(self.iri)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Concept):
            return self.iri == other.iri
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.iri)

    def __lt__(self, other: Concept) -> bool:
        return (self.label.casefold(), str(self.iri)) < (other.label.casefold(), str(other.iri))

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Concept({self.curie!r}, label={self.label!r})"

    def _repr_html_(self) -> str:
        """Return a small card for Jupyter: label, CURIE, kind, definition, synonyms, parents.

        Every string from the data is escaped.

        Examples
        --------
        >>> card = kg.concept("LLM")._repr_html_()
        >>> "<strong>Large Language Model</strong>" in card and "genai:LargeLanguageModel" in card
        True
        """
        parts = [
            f'<div class="genai-graph-concept" style="{_CARD}">',
            f"<strong>{escape(self.label)}</strong> ",
            f'<code title="{escape(str(self.iri))}">{escape(self.curie)}</code> ',
            f'<span style="{_MUTED}">{escape(self.kind)}</span>',
        ]
        definition = self.definition
        if definition:
            parts.append(f'<div style="margin-top:4px">{escape(definition)}</div>')
        if self.synonyms:
            parts.append(_field("also called", ", ".join(self.synonyms)))
        if self.kind in ("class", "individual"):
            parents = ConceptSet(self._kg, self._kg._index().parents(self.iri))
            if parents:
                what = "instance of" if self.kind == "individual" else "is a"
                parts.append(_field(what, ", ".join(parents.labels())))
        parts.append("</div>")
        return "".join(parts)


class ConceptSet(Set[Concept]):
    """An immutable set of concepts, as returned by ``ancestors``, ``descendants``, ...

    Membership accepts a :class:`Concept`, an IRI or any name the graph
    resolves. Iteration yields :class:`Concept` objects in no set order; use
    ``sorted()`` for label order.

    Examples
    --------
    >>> ancestors = kg.ancestors("LLM")
    >>> "Generative AI" in ancestors, "Transformer" in ancestors
    (True, False)
    """

    __slots__ = ("_iris", "_kg")

    def __init__(self, kg: KnowledgeGraph, iris: Set[URIRef]) -> None:
        self._kg = kg
        self._iris = iris  # not copied: indexes hand out read-only views

    @property
    def iris(self) -> Set[URIRef]:
        """The IRIs of the members, as a read-only set."""
        return self._iris

    def labels(self) -> list[str]:
        """Return the members' labels, sorted case-insensitively."""
        return sorted((self._kg._label(i) for i in self._iris), key=str.casefold)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, Concept):
            return item.iri in self._iris
        if isinstance(item, str):
            try:
                return self._kg._resolve(item) in self._iris
            except LookupError:
                return False
        return False

    def __iter__(self) -> Iterator[Concept]:
        kg = self._kg
        return (Concept(kg, iri) for iri in self._iris)

    def __len__(self) -> int:
        return len(self._iris)

    @classmethod
    def _from_iterable(cls, it: Any) -> Any:  # set algebra (a | b, a - b) returns plain sets
        return set(it)

    def __repr__(self) -> str:
        labels = self.labels()
        shown = ", ".join(repr(label) for label in labels[:10])
        more = f", ... ({len(labels)} in all)" if len(labels) > 10 else ""
        return f"ConceptSet({{{shown}{more}}})"

    def _repr_html_(self) -> str:
        """Return a table for Jupyter: label, CURIE and definition, by label; 200 rows at most.

        Examples
        --------
        >>> table = kg.parents("LLM")._repr_html_()
        >>> table.count("<tr>") == len(kg.parents("LLM")) + 1
        True
        """
        kg = self._kg
        members = sorted((kg._label(i).casefold(), str(i), i) for i in self._iris)
        rows = []
        for _, _, iri in members[:_HTML_ROWS]:
            c = Concept(kg, iri)
            rows.append(
                (
                    escape(c.label),
                    f'<code title="{escape(str(iri))}">{escape(c.curie)}</code>',
                    escape(_shorten(c.definition or "")),
                )
            )
        count = f"{len(members):,} concept{'' if len(members) == 1 else 's'}"
        if len(members) > _HTML_ROWS:
            count += f"; {len(members) - _HTML_ROWS:,} more not shown"
        return _table("genai-graph-concepts", ("label", "CURIE", "definition"), rows, count)


_VOCABULARY = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
)


def _show(kg: KnowledgeGraph, term: Node) -> str:
    """Write a term for people: a label, a literal's text, or a class expression in Manchester syntax."""
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        from .reasoning.expressions import parse_expression, render

        expr = parse_expression(kg.graph, term)
        return f"({render(expr, lambda iri: kg._label(URIRef(iri)))})"
    if isinstance(term, URIRef):
        return kg._label(term)
    return str(term)


class Step(NamedTuple):
    """One statement of an explanation: ``subject predicate object``.

    ``stated`` is True when the statement is in the graph. An inferred step
    (``stated=False``) names the ``rule`` that gives it from the steps before
    it: an EL completion rule, an RDFS or OWL 2 RL rule, or the OWL semantics
    (every class is an ``owl:Thing``). The object may be a blank node holding
    a class expression; :meth:`Explanation.step_text` writes it out.
    """

    subject: Node
    predicate: Node
    object: Node
    stated: bool = True
    rule: str | None = None


class Explanation:
    """Why `sub` is a `sup` (or is linked to it by `relation`): the statements that prove it.

    Stated premises come first, then each inferred statement with the rule
    that gives it. Iterate it for the :class:`Step` objects; ``str()`` gives
    the readable proof.

    Examples
    --------
    >>> why = kg.explain("LLM", "Generative AI")
    >>> print(why)
    Large Language Model is a kind of Generative AI:
      Large Language Model  --rdfs:subClassOf-->  Generative AI
    >>> len(why), why[0].predicate == RDFS.subClassOf, why.stated
    (1, True, True)
    """

    __slots__ = ("_kg", "relation", "steps", "sub", "sup")

    def __init__(
        self,
        kg: KnowledgeGraph,
        sub: URIRef,
        sup: URIRef,
        steps: tuple[Step, ...],
        relation: URIRef | None = None,
    ) -> None:
        self._kg = kg
        self.sub = Concept(kg, sub)
        self.sup = Concept(kg, sup)
        self.relation = None if relation is None else Concept(kg, relation)
        self.steps = steps

    @property
    def stated(self) -> bool:
        """True when every step is stated in the graph (nothing was inferred)."""
        return all(step.stated for step in self.steps)

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i: int) -> Step:
        return self.steps[i]

    def _step_parts(self, step: Step) -> tuple[str, str, str]:
        """Return a step's subject, predicate and object as people read them."""
        kg = self._kg
        predicate = step.predicate
        if isinstance(predicate, URIRef) and str(predicate).startswith(_VOCABULARY):
            shown = kg._names().curie(str(predicate))
        else:
            shown = _show(kg, predicate)
        return _show(kg, step.subject), shown, _show(kg, step.object)

    @staticmethod
    def _how(step: Step) -> str:
        """Return ``stated``, ``by OWL semantics`` or ``inferred: <rule>``."""
        if step.stated:
            return "stated"
        if step.rule in ("owl:Thing is the top class", "owl:Nothing is the bottom class"):
            return "by OWL semantics"
        return f"inferred: {step.rule}" if step.rule else "inferred"

    def step_text(self, step: Step) -> str:
        """Return one step as ``subject --predicate--> object``, with the rule when it is inferred."""
        subject, predicate, obj = self._step_parts(step)
        text = f"{subject}  --{predicate}-->  {obj}"
        return text if step.stated else f"{text}  ({self._how(step)})"

    @property
    def headline(self) -> str:
        """One line: ``X is a kind of Y``, ``X is an instance of Y``, ``X is Y`` or ``X r Y``."""
        sub, sup = self.sub, self.sup
        if self.relation is not None:
            return f"{sub.label} {self.relation.label} {sup.label}"
        if sub == sup or sup.kind == "individual":
            return f"{sub.label} is {sup.label}"
        how = "an instance of" if sub.kind == "individual" else "a kind of"
        return f"{sub.label} is {how} {sup.label}"

    def __str__(self) -> str:
        if not self.steps:
            return self.headline + " (every concept is itself)"
        return self.headline + ":\n" + "\n".join("  " + self.step_text(s) for s in self.steps)

    def __repr__(self) -> str:
        what = "is_a" if self.relation is None else self.relation.curie
        return f"<Explanation {self.sub.curie} {what} {self.sup.curie}: {len(self.steps)} steps>"

    def _repr_html_(self) -> str:
        """Return the proof as a table for Jupyter: inferred steps in italics, marked with their rule.

        Examples
        --------
        >>> table = kg.explain("LLM", "Text Generation Model")._repr_html_()
        >>> "inferred: EL: intersection" in table and 'class="stated"' in table
        True
        """
        rows = []
        for number, step in enumerate(self.steps, 1):
            subject, predicate, obj = (escape(t) for t in self._step_parts(step))
            how = escape(self._how(step))
            if step.stated:
                attrs = ' class="stated"'
            else:
                attrs = f' class="inferred" style="{_INFERRED}"'
                how = f"<em>{how}</em>"
            rows.append((str(number), subject, f"<code>{predicate}</code>", obj, how, attrs))
        caption = escape(self.headline)
        if not self.steps:
            caption += " (every concept is itself)"
        return _table(
            "genai-graph-explanation",
            ("#", "subject", "predicate", "object", "how"),
            rows,
            None,
            caption=caption,
        )


class Relation(NamedTuple):
    """A link of a concept: ``subject --predicate--> object``.

    ``object`` is a :class:`Concept` or, for a datatype property, an rdflib
    Literal. ``via`` says how the link is stated: ``"triple"`` for a plain
    statement, ``"some"`` for an existential restriction (``owl:someValuesFrom``)
    and ``"value"`` for ``owl:hasValue``. ``stated`` is False for a link the
    reasoner inferred rather than read from the graph.
    """

    subject: Concept
    predicate: Concept
    object: Concept | Literal
    via: str = "triple"
    stated: bool = True

    def __str__(self) -> str:
        obj = self.object if isinstance(self.object, Literal) else self.object.label
        text = f"{self.subject.label} --{self.predicate.label}--> {obj}"
        return text if self.stated else text + "  (inferred)"

    def _repr_html_(self) -> str:
        """Return the link as one line of HTML for Jupyter; an inferred link is in italics.

        Examples
        --------
        >>> kg.relations("LLM")[0]._repr_html_()
        '<span class="genai-graph-relation">Large Language Model <code>generates</code> ...</span>'
        """
        obj = self.object if isinstance(self.object, Literal) else self.object.label
        text = f"{escape(self.subject.label)} <code>{escape(self.predicate.label)}</code> {escape(str(obj))}"
        if self.via != "triple":
            text += f' <span style="{_MUTED}">({escape(self.via)})</span>'
        if not self.stated:
            return f'<span class="genai-graph-relation inferred" style="{_INFERRED}">{text} (inferred)</span>'
        return f'<span class="genai-graph-relation">{text}</span>'


# -- HTML for Jupyter: inline styles only, so nothing leaks into the notebook's page ------

_HTML_ROWS = 200
_CARD = "border:1px solid #d0d7de;border-radius:6px;padding:6px 10px;max-width:48em"
_MUTED = "color:#57606a;font-size:90%"
_INFERRED = "font-style:italic;color:#6e4b00;background:#fff8e1"


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _field(name: str, value: str) -> str:
    return f'<div><span style="{_MUTED}">{escape(name)}:</span> {escape(value)}</div>'


def _table(
    css_class: str,
    heads: Iterable[str],
    rows: Iterable[tuple[str, ...]],
    note: str | None,
    *,
    caption: str | None = None,
) -> str:
    """Return an HTML table; `rows` hold HTML already escaped (a 6th item: the row's attributes)."""
    parts = [f'<table class="{css_class}">']
    if caption is not None:
        parts.append(f'<caption style="text-align:left;font-weight:bold">{caption}</caption>')
    parts.append("<thead><tr>")
    parts.extend(f"<th>{escape(h)}</th>" for h in heads)
    parts.append("</tr></thead><tbody>")
    for row in rows:
        cells, attrs = (row[:5], row[5]) if len(row) == 6 else (row, "")
        parts.append(f"<tr{attrs}>")
        parts.extend(f'<td style="text-align:left">{cell}</td>' for cell in cells)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    if note:
        parts.append(f"<p>{escape(note)}</p>")
    return "".join(parts)
