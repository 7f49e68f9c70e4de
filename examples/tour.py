"""A walk through the genai-graph API on the bundled Generative AI ontology.

Run it with ``python examples/tour.py``; it writes ``genai-tour.html`` in the
current directory.
"""

from __future__ import annotations

import genai_graph


def main() -> None:
    kg = genai_graph.load()
    print(kg)

    # 1. Is a Large Language Model a Generative AI? Names can be labels, synonyms, CURIEs or IRIs.
    print("\nIs an LLM a Generative AI?", kg.is_a("LLM", "Generative AI"))
    print(kg.explain("LLM", "Generative AI"))
    print("Is Generative AI an LLM?", kg.is_a("Generative AI", "LLM"))

    # 2. Named systems are individuals; is_a follows rdf:type, then subClassOf.
    print()
    print(kg.explain("GPT-4", "Generative AI"))
    print(
        "Is BERT Generative AI?",
        kg.is_a("BERT", "Generative AI"),
        "- it is a",
        kg.parents("BERT").labels(),
    )

    # 3. What a concept is, and what it is linked to.
    llm = kg.concept("llm")
    print(f"\n{llm.label} ({llm.curie}): {llm.definition}")
    print("also called:", ", ".join(llm.synonyms))
    print("ancestors:", kg.ancestors(llm).labels())
    print("kinds of generative AI:", kg.children("Generative AI").labels())
    for relation in kg.relations(llm)[:6]:
        print("  ", relation)

    # 4. Unknown names come with suggestions.
    try:
        kg.concept("Large Langauge Modle")
    except genai_graph.UnknownConceptError as err:
        print("\n", err, sep="")

    # 5. SPARQL with the usual prefixes and genai: already bound.
    rows = kg.query(
        """
        SELECT ?system ?year WHERE {
          ?system a/rdfs:subClassOf* genai:GenerativeAI ; genai:releaseYear ?year .
        } ORDER BY ?year ?system
        """
    )
    print()
    print(rows)

    # 6. networkx for graph algorithms, HTML for people.
    graph = kg.to_networkx()
    print(f"\nnetworkx: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    kg.to_html("genai-tour.html", focus="LLM", depth=2)
    print("wrote genai-tour.html (open it in a browser; it needs no network)")


if __name__ == "__main__":
    main()
