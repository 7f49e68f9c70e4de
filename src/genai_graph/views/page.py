"""Glue between a KnowledgeGraph and the HTML page renderer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from ..errors import GenAIGraphError

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph, NameLike

__all__ = ["render_page"]


def render_page(
    kg: KnowledgeGraph,
    *,
    focus: NameLike | None = None,
    depth: int | None = None,
    title: str | None = None,
    entailment: str | None = None,
    explain: tuple[NameLike, NameLike] | None = None,
    levels: int | None = None,
) -> str:
    """Return the HTML page for `kg`, or for the neighbourhood of `focus` within `depth` links.

    With `explain`, the proof that the first concept is a second is drawn
    highlighted (its inferred steps dashed) and kept in the picture. `levels`
    opens the page with only the top levels of the is-a hierarchy drawn (see
    :func:`genai_graph.views.html.render_html`).
    """
    from .html import render_html
    from .network import neighbourhood, to_networkx

    if depth is not None and focus is None:
        raise GenAIGraphError("depth needs a focus: pass a focus concept as well")
    if depth is not None and depth < 0:
        raise GenAIGraphError(f"depth must be 0 or more, not {depth}")
    graph = to_networkx(kg, entailment=entailment)
    highlight: list[tuple[str, str]] = []
    keep: set[str] = set()
    if explain is not None:
        why = kg.explain(*explain, entailment=entailment)
        if why is None:
            raise GenAIGraphError(
                f"{explain[0]!r} is not a {explain[1]!r}: there is no proof to draw"
            )
        for step in why:
            u, v = str(step.subject), str(step.object)
            if u in graph and v in graph:
                highlight.append((u, v))
                keep.update((u, v))
                predicate = URIRef(str(step.predicate))
                kind, relation = _STEP_KINDS.get(predicate) or ("relation", kg._label(predicate))
                key = f"{step.predicate} {kind}"
                if not graph.has_edge(u, v, key=key):
                    graph.add_edge(
                        u,
                        v,
                        key=key,
                        relation=relation,
                        predicate=str(step.predicate),
                        kind=kind,
                        stated=step.stated,
                    )
    centre = None
    if focus is not None:
        centre = str(kg._resolve(focus))
        if centre not in graph:
            raise GenAIGraphError(f"{focus!r} is not a class or individual, so it cannot be drawn")
        near = neighbourhood(graph, centre, 2 if depth is None else depth)
        graph = graph.subgraph(set(near) | keep).copy()
    return render_html(
        graph,
        title=title or _default_title(kg),
        focus=centre,
        highlight=highlight,
        levels=levels,
    )


_STEP_KINDS = {
    RDF.type: ("type", "instance of"),
    RDFS.subClassOf: ("subclass", "is a"),
    OWL.equivalentClass: ("subclass", "equivalent to"),
}


def _default_title(kg: KnowledgeGraph) -> str:
    for ontology in kg.graph.subjects(RDF.type, OWL.Ontology):
        value = kg.graph.value(ontology, DCTERMS.title)
        if value is not None:
            return str(value)
    return "genai-graph"
