"""The bundled ontology: conventions every term follows, and the facts the library promises."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

import genai_graph
from genai_graph.loading import bundled_ontology
from genai_graph.names import normalize

GENAI = str(genai_graph.GENAI)
ROOTS = {
    genai_graph.GENAI[n]
    for n in (
        "AISystem",
        "AITechnology",
        "Modality",
        "Application",
        "LimitationOrRisk",
        "Organization",
    )
}
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def onto() -> Graph:
    """genai.ttl parsed on its own with rdflib."""
    return Graph().parse(data=bundled_ontology().read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def terms(onto: Graph) -> dict[URIRef, URIRef]:
    """Every declared genai: term and its kind."""
    found: dict[URIRef, URIRef] = {}
    for kind in KINDS:
        for s in onto.subjects(RDF.type, kind):
            if isinstance(s, URIRef) and str(s).startswith(GENAI):
                found.setdefault(s, kind)
    return found


def test_header(onto: Graph) -> None:
    """The ontology has a title, description, license, version IRI and no imports."""
    (ontology,) = onto.subjects(RDF.type, OWL.Ontology)
    assert str(ontology) == "https://w3id.org/genai-graph/ontology"
    for predicate in (
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        OWL.versionIRI,
        OWL.versionInfo,
    ):
        assert onto.value(ontology, predicate) is not None, predicate
    assert (
        str(onto.value(ontology, DCTERMS.license)) == "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(onto.value(ontology, OWL.versionIRI)).endswith(
        "/" + str(onto.value(ontology, OWL.versionInfo))
    )
    assert onto.value(ontology, OWL.imports) is None


def test_every_term_is_labelled_defined_and_sourced(
    onto: Graph, terms: dict[URIRef, URIRef]
) -> None:
    """Each term has one English label and definition; classes and individuals cite a source."""
    problems = []
    for term, kind in terms.items():
        labels = [
            v
            for v in onto.objects(term, RDFS.label)
            if isinstance(v, Literal) and v.language == "en"
        ]
        definitions = [
            v
            for v in onto.objects(term, SKOS.definition)
            if isinstance(v, Literal) and v.language == "en"
        ]
        if len(labels) != 1:
            problems.append(f"{term}: {len(labels)} English labels")
        if len(definitions) != 1 or len(str(definitions[0]).split()) < 5:
            problems.append(f"{term}: needs one English definition of a sentence or more")
        if kind in (OWL.Class, OWL.NamedIndividual):
            sources = list(onto.objects(term, DCTERMS.source))
            if not sources or not all(str(s).startswith("https://") for s in sources):
                problems.append(f"{term}: needs dcterms:source IRIs")
    assert problems == []
    assert len(terms) >= 90


def test_names_are_unique(onto: Graph, terms: dict[URIRef, URIRef]) -> None:
    """No label or synonym belongs to two terms, so every name resolves to one."""
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for term in terms:
        for predicate in (RDFS.label, SKOS.altLabel):
            for value in onto.objects(term, predicate):
                owners[normalize(str(value))].add(term)
    shared = {name: sorted(o) for name, o in owners.items() if len(o) > 1}
    assert shared == {}


def test_every_used_term_is_declared(onto: Graph, terms: dict[URIRef, URIRef]) -> None:
    """No genai: IRI is used without being declared (catches typos)."""
    used = {
        x for triple in onto for x in triple if isinstance(x, URIRef) and str(x).startswith(GENAI)
    }
    assert used - set(terms) == set()


def test_taxonomy_shape(onto: Graph, terms: dict[URIRef, URIRef]) -> None:
    """The six roots have no parent; every other class has a named genai: parent."""
    classes = {t for t, k in terms.items() if k == OWL.Class}
    assert classes >= ROOTS
    for cls in classes:
        named = {p for p in onto.objects(cls, RDFS.subClassOf) if isinstance(p, URIRef)}
        if cls in ROOTS:
            assert named == set(), cls
        else:
            assert any(str(p).startswith(GENAI) for p in named), f"{cls} is an orphan"


def test_properties_have_domain_and_range(onto: Graph, terms: dict[URIRef, URIRef]) -> None:
    """Every object and datatype property declares a domain and a range."""
    for term, kind in terms.items():
        if kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
            assert onto.value(term, RDFS.domain) is not None, term
            assert onto.value(term, RDFS.range) is not None, term


def test_restrictions_point_at_declared_classes(onto: Graph, terms: dict[URIRef, URIRef]) -> None:
    """Each restriction names a declared property and a declared class, individual or literal."""
    count = 0
    for restriction in onto.subjects(RDF.type, OWL.Restriction):
        prop = onto.value(restriction, OWL.onProperty)
        value = onto.value(restriction, OWL.hasValue)
        if value is not None:  # owl:hasValue: an individual or a literal
            if isinstance(value, Literal):
                assert terms.get(prop) == OWL.DatatypeProperty, prop
            else:
                assert terms.get(prop) == OWL.ObjectProperty, prop
                assert terms.get(value) == OWL.NamedIndividual, value
            continue
        filler = onto.value(restriction, OWL.someValuesFrom)
        assert terms.get(prop) == OWL.ObjectProperty, prop
        assert terms.get(filler) == OWL.Class, filler
        count += 1
    assert count >= 40


# -- the facts the product promises (the source article's claims) ----------------------


@pytest.mark.parametrize(
    ("sub", "sup", "expected"),
    [
        ("LLM", "Generative AI", True),  # LLMs are a subset of Generative AI
        ("Generative AI", "LLM", False),  # but not the other way round
        ("Text-to-Image Model", "Generative AI", True),  # Generative AI without LLMs
        ("Text-to-Image Model", "LLM", False),
        ("LLM", "Language Model", True),
        ("BERT", "Language Model", True),  # a language model...
        ("BERT", "Generative AI", False),  # ...that is not generative
        ("GPT-4", "Generative AI", True),
        ("GPT-4", "Generative Pre-trained Transformer", True),
        ("Stable Diffusion", "Image Generation Model", True),
        ("Stable Diffusion", "LLM", False),
        ("ChatGPT", "Generative AI", True),
        ("Transformer", "Artificial Neural Network", True),
        ("Latent Diffusion Model", "Diffusion Model", True),
        ("GAN", "Generative Model Family", True),
        ("Hallucination", "Inaccurate or Misleading Output", True),
        ("Deepfake", "Risk", True),
        ("Chatbot", "Application", True),
        ("Code", "Text", True),
        ("OpenAI", "Organization", True),
        ("OpenAI", "AI System", False),
    ],
)
def test_claims(kg: genai_graph.KnowledgeGraph, sub: str, sup: str, expected: bool) -> None:
    """The ontology answers the field's basic is-a questions correctly."""
    assert kg.is_a(sub, sup) is expected


@pytest.mark.parametrize(
    ("concept", "relation", "target"),
    [
        ("LLM", "generates", "Text"),
        ("LLM", "has application", "Chatbot"),
        ("LLM", "has application", "Virtual Assistant"),
        ("LLM", "has limitation or risk", "Hallucination"),
        ("Text-to-Image Model", "takes input", "Text"),
        ("Image Generation Model", "generates", "Image"),
        ("Molecular Generation Model", "has application", "Drug Discovery"),
        ("GPT-4", "developed by", "OpenAI"),
        ("GPT-4", "uses architecture", "Transformer"),
        ("Stable Diffusion", "uses architecture", "Latent Diffusion Model"),
        ("BERT", "uses architecture", "Encoder-Only Transformer"),
    ],
)
def test_links(kg: genai_graph.KnowledgeGraph, concept: str, relation: str, target: str) -> None:
    """Class-level and individual links are stated where the pattern says they are."""
    found = {(r.predicate.label, str(r.object)) for r in kg.relations(concept)}
    assert (relation, target) in found


AIO = Path(__file__).parent / "data" / "aio" / "aio.owl"
_MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch)


def test_every_cited_aio_term_exists(onto: Graph) -> None:
    """Each SKOS mapping to the Artificial Intelligence Ontology names a class of its release file."""
    aio = Graph().parse(AIO, format="xml")
    aio_classes = {str(c) for c in aio.subjects(RDF.type, OWL.Class)}
    links = [str(o) for p in _MAPPINGS for o in onto.objects(None, p) if "w3id.org/aio" in str(o)]
    assert len(links) >= 100
    assert set(links) - aio_classes == set()


def test_mappings_are_annotations(onto: Graph) -> None:
    """SKOS mappings are declared annotation properties, so they never become logical axioms."""
    for p in _MAPPINGS:
        if next(onto.triples((None, p, None)), None) is not None:
            assert (p, RDF.type, OWL.AnnotationProperty) in onto


SYSTEM_PROPERTIES = {
    "developer": "?s genai:developedBy ?v",
    "input modality": "?s a/owl:onProperty genai:takesInputModality",
    "output modality": "?s a/owl:onProperty genai:generatesModality",
    "architecture": "?s a/owl:onProperty genai:usesArchitecture",
    "release year": "?s genai:releaseYear ?v",
    "parameter count or undisclosed": "{ ?s genai:parameterCount ?v } UNION { ?s genai:parameterCountDisclosed false }",
    "license or open weights": "{ ?s genai:licenseName ?v } UNION { ?s genai:openWeights ?v }",
}


def _count(kg: genai_graph.KnowledgeGraph, where: str) -> int:
    rows = kg.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {where} }}")
    return int(rows[0].n)  # type: ignore[index, union-attr]


def test_coverage_floors(kg: genai_graph.KnowledgeGraph) -> None:
    """SPARQL counts over the bundled ontology meet the floors of the ontology issue."""
    own = 'FILTER(STRSTARTS(STR(?s), "https://w3id.org/genai-graph/ontology#"))'
    classes = _count(kg, f"?s a owl:Class . {own}")
    assert classes >= 300
    assert _count(kg, f"?s a owl:ObjectProperty . {own}") >= 15
    assert _count(kg, f"?s a owl:DatatypeProperty . {own}") >= 8
    assert _count(kg, f"?s a owl:Class ; owl:equivalentClass/owl:intersectionOf ?x . {own}") >= 20
    assert _count(kg, f"?s a owl:Class ; skos:altLabel ?x . {own}") >= 0.7 * classes
    crossref = (
        "{ ?s skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?x } UNION "
        '{ ?s dcterms:source|rdfs:seeAlso ?x FILTER(STRSTARTS(STR(?x), "https://en.wikipedia.org/")) }'
    )
    assert _count(kg, f"?s a owl:Class . {crossref} {own}") >= 0.8 * classes
    for what in (
        "rdfs:label",
        "skos:definition",
        "dcterms:source",
    ):  # 100% of classes and individuals
        for kind in ("owl:Class", "owl:NamedIndividual"):
            assert _count(kg, f"?s a {kind} . {own} FILTER NOT EXISTS {{ ?s {what} ?v }}") == 0, (
                what,
                kind,
            )


def test_taxonomy_is_deep(kg: genai_graph.KnowledgeGraph) -> None:
    """Some class sits at least four levels below its root category."""
    index = kg._index("told")
    deepest = max(len(index.ancestors(c)) for c in index.classes if str(c).startswith(GENAI))
    assert deepest >= 4


def test_named_systems(kg: genai_graph.KnowledgeGraph) -> None:
    """At least 120 named systems; each has five or more structured facts; each fact covers 90% of them."""
    systems = {row.s for row in kg.query("SELECT ?s WHERE { ?s genai:releaseYear ?y }")}  # type: ignore[union-attr]
    assert len(systems) >= 120
    has: dict[str, set[object]] = {}
    for name, pattern in SYSTEM_PROPERTIES.items():
        has[name] = {row.s for row in kg.query(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}")}  # type: ignore[union-attr]
    for system in systems:
        facts = 1 + sum(system in found for found in has.values())  # 1: its kind (rdf:type)
        assert facts >= 5, system
    coverage = {name: len(found & systems) / len(systems) for name, found in has.items()}
    assert {name: share for name, share in coverage.items() if share < 0.9} == {}


@pytest.mark.parametrize(
    ("system", "kind"),
    [
        ("Llama 2", "Transformer Language Model"),
        ("Sora", "Diffusion-Based Model"),
        ("BERT", "Masked Language Model"),
        ("ChatGPT", "Generative AI Chatbot"),
        ("GPT-4", "Vision-Language Model"),
        ("Mixtral 8x7B", "Open-Weights Model"),
        ("GPT-4", "OpenAI System"),
    ],
)
def test_reasoner_classifies_named_systems(
    kg: genai_graph.KnowledgeGraph, system: str, kind: str
) -> None:
    """The defined classes classify named systems from their properties under EL, not from stated types."""
    assert kg.is_a(system, kind)
    assert not kg.is_a(system, kind, entailment="told")
