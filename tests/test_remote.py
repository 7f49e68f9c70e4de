"""RemoteGraph against a real Virtuoso: the same answers as a local KnowledgeGraph, fetched in fragments.

The Virtuoso tests are slow (a private server starts once per session, about
4 s) and run in CI, where .ci/run installs Virtuoso. The tests at the top need
no server.
"""

from __future__ import annotations

import itertools
import random
import socket
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import genai_graph
from genai_graph import GENAI, GenAIGraphError, GenAIGraphWarning, KnowledgeGraph, RemoteGraph
from genai_graph.errors import (
    AmbiguousNameError,
    OntologyLoadError,
    QueryError,
    StoreError,
    UnknownConceptError,
)
from genai_graph.loading import bundled_triples
from genai_graph.remote import sparql_iri, sparql_term, sparql_text
from genai_graph.views.network import neighbourhood

from .conftest import MINI, external_references
from .virtuoso import Virtuoso, virtuoso_server  # noqa: F401  (the `virtuoso` fixture)

BUNDLED = "urn:genai-graph:test:bundled"
MINI_GRAPH = "urn:genai-graph:test:mini"
EX = "http://example.org/mini#"

# RDFS on top of tests/data/mini.ttl: domains, ranges and subproperties give individuals
# types that "told" does not, through a sameAs link too; and a class stated below
# owl:Nothing, a class known only from its instances and a class only from its subclass.
RDFS_EXTRA = f"""
@prefix ex:   <{EX}> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:worksFor a owl:ObjectProperty ; rdfs:label "works for" ;
    rdfs:domain ex:A ; rdfs:range ex:Orphan .
ex:employedBy a owl:ObjectProperty ; rdfs:subPropertyOf ex:worksFor .
ex:contractsFor owl:equivalentProperty ex:employedBy .
ex:note a owl:AnnotationProperty ; rdfs:domain ex:Top .
ex:alice ex:employedBy ex:acme ; ex:note ex:d1 .
ex:bob owl:sameAs ex:robert .
ex:robert ex:contractsFor ex:acme2 .
ex:Broken a owl:Class ; rdfs:subClassOf ex:G , owl:Nothing ; rdfs:label "Broken" .
ex:carol a ex:Undeclared .
ex:Sub rdfs:subClassOf ex:OnlyAParent .
"""


def _mini_local() -> KnowledgeGraph:
    extra = Graph().parse(data=RDFS_EXTRA, format="turtle")
    return genai_graph.load(MINI, extra, bundled=False, entailment="told")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the block ends


# -- no server needed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "iri",
    [
        "http://x.org/> } ; DROP ALL ; #",
        'http://x.org/"a"',
        "http://x.org/a b",
        "http://x.org/{a}",
        "http://x.org/a|b",
        "http://x.org/a^b",
        "http://x.org/a`b",
        "http://x.org/a\\u003E",
        "http://x.org/a\nb",
        "no-scheme",
        "",
    ],
)
def test_iris_that_could_escape_are_refused(iri: str) -> None:
    """An IRI that could close its <...> in a query is refused, never escaped."""
    with pytest.raises(ValueError, match="not a valid IRI"):
        sparql_iri(iri)


@settings(max_examples=300, deadline=None)
@given(
    st.text()
    | st.lists(st.sampled_from(["\\", "u", "U", "0041", '"', "\n", "{", "}"])).map("".join)
)
def test_escaped_strings_read_back_exactly(text: str) -> None:
    """Whatever the text, the SPARQL string we write reads back as that text, and only that.

    rdflib replaces codepoint escapes before parsing, as SPARQL 1.1 allows, so
    this also checks that no backslash-u survives into the query text.
    """
    query = f"SELECT ?x WHERE {{ BIND({sparql_text(text)} AS ?x) }}"
    rows = list(Graph().query(query))
    assert [str(row[0]) for row in rows] == [text]  # type: ignore[index]


@pytest.mark.parametrize("text", ["\\u0041", "a\\U00000041b", "\\\\u0022", "\\u005C\\u0022"])
def test_codepoint_escapes_in_names_stay_text(text: str) -> None:
    """A backslash before u in a name is text, not an escape, wherever the query is parsed."""
    assert "\\u" not in sparql_text(text).replace("\\\\", "")
    rows = list(Graph().query(f"SELECT ?x WHERE {{ BIND({sparql_text(text)} AS ?x) }}"))
    assert [str(row[0]) for row in rows] == [text]  # type: ignore[index]


def test_terms_are_written_in_sparql_syntax() -> None:
    """Literals keep their language and datatype; a hostile language tag or a blank node is refused."""
    assert sparql_term(Literal("x", lang="en")) == '"x"@en'
    assert (
        sparql_term(Literal("2023", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer")))
        == '"2023"^^<http://www.w3.org/2001/XMLSchema#integer>'
    )
    with pytest.raises(ValueError, match="language tag"):
        sparql_term(Literal("x", lang="en } ; DROP ALL"))
    with pytest.raises(ValueError, match="cannot write BNode"):
        sparql_term(BNode())


def test_a_closed_port_is_a_store_error_not_a_traceback() -> None:
    """An endpoint that is down gives a StoreError naming the URL."""
    port = _closed_port()
    rg = genai_graph.connect(f"http://127.0.0.1:{port}/sparql", timeout=5)
    with pytest.raises(StoreError, match=f"127.0.0.1:{port}") as caught:
        rg.is_a("LLM", "Generative AI")
    assert "cannot reach" in str(caught.value)
    with pytest.raises(StoreError):
        rg.query("ASK {}")


def test_an_endpoint_that_never_answers_times_out_as_a_store_error() -> None:
    """A server that accepts the connection and says nothing: StoreError after `timeout`."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        rg = genai_graph.connect(f"http://127.0.0.1:{port}/sparql", timeout=0.5)
        with pytest.raises(StoreError, match=r"no answer within 0\.5 s"):
            rg.query("ASK {}")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://x.org/sparql",
        "127.0.0.1:8890",
        "http://dba:secret@127.0.0.1:8890/sparql",
        "http://127.0.0.1:port/sparql",
    ],
)
def test_only_http_urls_are_accepted(url: str) -> None:
    """connect() refuses what urllib would open without HTTP (file:, ftp:), and credentials in URLs."""
    with pytest.raises(StoreError, match=r"http|auth=|valid URL") as caught:
        genai_graph.connect(url)
    assert "secret" not in str(caught.value)


def test_bad_settings_are_refused() -> None:
    """A graph IRI that could escape, auth that is not a pair, a timeout of zero: refused up front."""
    with pytest.raises(StoreError, match="graph"):
        genai_graph.connect("http://127.0.0.1:1/sparql", graph="urn:a> } DROP ALL {")
    with pytest.raises(StoreError, match="auth"):
        genai_graph.connect("http://127.0.0.1:1/sparql", auth="dba:dba")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="timeout"):
        genai_graph.connect("http://127.0.0.1:1/sparql", timeout=0)


def test_owl_classification_is_refused_remotely_with_a_reason() -> None:
    """EL and OWL RL are not answered from fragments: a clear error, not a partial answer."""
    rg = genai_graph.connect(f"http://127.0.0.1:{_closed_port()}/sparql")
    for regime in ("el", "owl-rl"):
        with pytest.raises(GenAIGraphError, match="not answered on a remote store"):
            rg.is_a("LLM", "Generative AI", entailment=regime)
    with pytest.raises(GenAIGraphError, match="unknown entailment"):
        rg.entailment = "owl"


def test_updates_are_refused_by_query_before_sending() -> None:
    """query() is read-only: updates are refused before anything is sent."""
    rg = genai_graph.connect(f"http://127.0.0.1:{_closed_port()}/sparql")
    for update in ("DROP ALL", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "CLEAR GRAPH <urn:g>"):
        with pytest.raises(QueryError, match="read-only"):
            rg.query(update)


def test_writing_needs_a_named_graph() -> None:
    """upload() and clear() need graph= and say so."""
    rg = genai_graph.connect(f"http://127.0.0.1:{_closed_port()}/sparql")
    with pytest.raises(StoreError, match="named graph"):
        rg.upload()
    with pytest.raises(StoreError, match="named graph"):
        rg.clear()


# -- against a private Virtuoso ------------------------------------------------------------


@pytest.fixture(scope="module")
def remote(virtuoso: Virtuoso) -> RemoteGraph:
    """Return a RemoteGraph holding the bundled ontology, uploaded through RemoteGraph.upload()."""
    rg = genai_graph.connect(
        virtuoso.sparql, graph=BUNDLED, update_url=virtuoso.sparql_auth, auth=virtuoso.auth
    )
    assert rg.upload(replace=True) == len(bundled_triples())
    return rg


@pytest.fixture(scope="module")
def mini_remote(virtuoso: Virtuoso) -> RemoteGraph:
    """Return tests/data/mini.ttl plus RDFS_EXTRA, uploaded into a named graph of their own."""
    rg = genai_graph.connect(
        virtuoso.sparql, graph=MINI_GRAPH, update_url=virtuoso.sparql_auth, auth=virtuoso.auth
    )
    rg.upload(_mini_local(), replace=True)
    return rg


@pytest.fixture(scope="module")
def admin(virtuoso: Virtuoso) -> RemoteGraph:
    """Return a connection querying through /sparql-auth as dba: an injected update would run."""
    return genai_graph.connect(virtuoso.sparql_auth, auth=virtuoso.auth)


def _count_all(admin: RemoteGraph) -> int:
    rows = admin.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(rows, genai_graph.SelectResult)
    return int(rows[0][0])


@pytest.mark.slow
def test_upload_puts_every_statement_in_the_named_graph(
    remote: RemoteGraph, kg: KnowledgeGraph
) -> None:
    """Every statement of the bundled ontology arrives, blank-node structures whole."""
    rows = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(rows, genai_graph.SelectResult)
    assert int(rows[0].n) == len(bundled_triples())
    # blank-node structures arrive whole: as many restrictions, each with its property
    q = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a owl:Restriction ; owl:onProperty ?p }"
    remote_rows, local_rows = remote.query(q), kg.query(q)
    assert isinstance(remote_rows, genai_graph.SelectResult)
    assert isinstance(local_rows, genai_graph.SelectResult)
    assert int(remote_rows[0].n) == int(local_rows[0].n) > 100


@pytest.mark.slow
def test_the_well_known_answers(remote: RemoteGraph) -> None:
    """LLM is a Generative AI, GPT-4 is an LLM, a Generative AI is not (always) an LLM."""
    assert remote.is_a("LLM", "Generative AI")
    assert remote.is_a("GPT-4", "LLM")
    assert not remote.is_a("Generative AI", "LLM")
    assert remote.is_a("genai:GPT4", f"<{GENAI.GenerativeAI}>")
    assert remote.is_a(GENAI.GPT4, "AI System")
    assert not remote.is_a("BERT", "Generative AI")


@pytest.mark.slow
def test_is_a_equals_the_local_told_answer_on_random_pairs(
    remote: RemoteGraph, kg: KnowledgeGraph
) -> None:
    """300 seeded pairs of classes and individuals: the remote answer is the local told answer."""
    told = kg._index("told")
    nodes = sorted({*told.classes, *told.individuals()})
    rng = random.Random(20261129)
    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(200)]
    # and as many that hold, so that both answers are exercised
    for x in rng.sample(nodes, 100):
        above = sorted(told.ancestors(x))
        if above:
            pairs.append((x, rng.choice(above)))
    expected = [kg.is_a(x, y, entailment="told") for x, y in pairs]
    assert 80 < sum(expected) < len(pairs)
    assert [remote.is_a(x, y) for x, y in pairs] == expected


@pytest.mark.slow
def test_sets_equal_the_local_told_answers(remote: RemoteGraph, kg: KnowledgeGraph) -> None:
    """ancestors, descendants, parents, children and instances equal the local told sets."""
    told = kg._index("told")
    nodes = sorted({*told.classes, *told.individuals()})
    sample = [*random.Random(7).sample(nodes, 15), GENAI.LargeLanguageModel, GENAI.AISystem]
    for x in sample:
        assert set(remote.ancestors(x).iris) == set(kg.ancestors(x, entailment="told").iris), x
        assert set(remote.descendants(x).iris) == set(kg.descendants(x, entailment="told").iris)
        assert set(remote.parents(x).iris) == set(kg.parents(x, entailment="told").iris), x
        assert set(remote.children(x).iris) == set(kg.children(x, entailment="told").iris), x
        assert set(remote.instances(x).iris) == set(kg.instances(x, entailment="told").iris), x
    assert len(remote.descendants("AI System")) > 50
    assert "GPT-4" in remote.instances("LLM")
    assert (
        remote.ancestors("Stable Diffusion").labels()
        == kg.ancestors("Stable Diffusion", entailment="told").labels()
    )


@pytest.mark.slow
def test_explain_gives_the_local_proof_made_of_stated_statements(
    remote: RemoteGraph, kg: KnowledgeGraph
) -> None:
    """The proof is the local one: a chain from x to y of statements the store holds."""
    why = remote.explain("GPT-4", "Generative AI")
    assert why is not None
    assert list(why) == list(kg.explain("GPT-4", "Generative AI", entailment="told") or ())
    assert str(why).splitlines()[1:] == [
        "  GPT-4  --rdf:type-->  Large Language Model",
        "  Large Language Model  --rdfs:subClassOf-->  Generative AI",
    ]
    # a chain: each step starts where the previous ended, and each is in the store
    assert why[0].subject == GENAI.GPT4 and why[-1].object == GENAI.GenerativeAI
    for before, after in itertools.pairwise(why):
        assert before.object == after.subject
    for step in why:
        assert step.stated
        assert remote.query("ASK { " + " ".join(sparql_term(t) for t in step[:3]) + " }")
    assert remote.explain("Generative AI", "LLM") is None


@pytest.mark.slow
def test_relations_equal_the_local_told_relations(remote: RemoteGraph, kg: KnowledgeGraph) -> None:
    """relations() of named systems and classes (triples and restrictions) equal the local ones."""
    for name in ("GPT-4", "Stable Diffusion", "Text-to-Image Model", "LLM"):
        got = remote.relations(name)
        assert got == kg.relations(name), name
    texts = [str(r) for r in remote.relations("GPT-4")]
    assert "GPT-4 --developed by--> OpenAI" in texts
    with pytest.raises(GenAIGraphError, match="inferred=True"):
        remote.relations("GPT-4", inferred=True)


@pytest.mark.slow
def test_names_resolve_as_they_do_locally(remote: RemoteGraph, kg: KnowledgeGraph) -> None:
    """Labels, synonyms, CURIEs, IRIs and local names resolve, case and spacing ignored."""
    for name in ("LLM", "llm", "  Large   language MODEL ", "genai:LargeLanguageModel"):
        assert remote.concept(name).iri == GENAI.LargeLanguageModel, name
    assert remote.concept(f"<{GENAI.LargeLanguageModel}>").iri == GENAI.LargeLanguageModel
    assert remote.concept(str(GENAI.LargeLanguageModel)).iri == GENAI.LargeLanguageModel
    assert remote.concept("LargeLanguageModel").iri == GENAI.LargeLanguageModel  # local name
    llm, local = remote.concept("LLM"), kg.concept("LLM")
    assert (llm.label, llm.curie, llm.synonyms, llm.definition, llm.kind) == (
        local.label,
        local.curie,
        local.synonyms,
        local.definition,
        local.kind,
    )
    assert remote.concept("GPT-4").kind == "individual"
    assert remote.concept("developed by").kind == "property"
    assert "LLM" in remote and "Large Langauge Modle" not in remote


@pytest.mark.slow
def test_unknown_names_fail_with_suggestions(remote: RemoteGraph) -> None:
    """A misspelt name fails with the closest names; an unknown IRI, an empty name too."""
    with pytest.raises(UnknownConceptError, match="did you mean 'Large Language Model'") as caught:
        remote.is_a("Large Langauge Modle", "Generative AI")
    assert caught.value.suggestions[0] == "Large Language Model"
    with pytest.raises(UnknownConceptError, match="no resource with IRI"):
        remote.concept(f"<{GENAI}NoSuchThing>")
    with pytest.raises(UnknownConceptError, match="empty name"):
        remote.concept("   ")
    with pytest.raises(TypeError):
        remote.concept(42)  # type: ignore[arg-type]


@pytest.mark.slow
def test_the_told_edge_cases_of_mini_match_the_local_graph(mini_remote: RemoteGraph) -> None:
    """Diamond, cycle, equivalence, sameAs, punning, a class below owl:Nothing, undeclared classes."""
    local = _mini_local()
    index = local._index("told")
    nodes = sorted({*index.classes, *index.individuals()} - {OWL.Thing, OWL.Nothing})
    assert URIRef(EX + "Broken") in nodes and URIRef(EX + "Undeclared") in nodes
    for x in nodes:
        assert set(mini_remote.ancestors(x).iris) == set(local.ancestors(x).iris), x
        assert set(mini_remote.descendants(x).iris) == set(local.descendants(x).iris), x
        assert set(mini_remote.descendants(x, reflexive=True).iris) == set(
            local.descendants(x, reflexive=True).iris
        ), x
        assert set(mini_remote.equivalents(x).iris) == set(local.equivalents(x).iris), x
        assert set(mini_remote.children(x).iris) == set(local.children(x).iris), x
        assert set(mini_remote.instances(x).iris) == set(local.instances(x).iris), x
    for a, b in [("d3", "Gamma"), ("Epsilon", "Phi"), ("Eta", "Delta"), ("Broken", "Orphan")]:
        assert mini_remote.is_a(a, b) == local.is_a(a, b) is True, (a, b)
        assert list(mini_remote.explain(a, b) or ()) == list(local.explain(a, b) or ())
    assert mini_remote.is_a("Sub", OWL.Thing) and mini_remote.is_a("carol", OWL.Thing)
    assert not mini_remote.is_a("Orphan", "Top")


@pytest.mark.slow
def test_rdfs_matches_the_local_rdfs_regime(mini_remote: RemoteGraph) -> None:
    """Domains, ranges, subproperties and sameAs give the types the local RDFS regime gives."""
    local = _mini_local()
    index = local._index("rdfs")
    nodes = sorted({*index.classes, *index.individuals()} - {OWL.Thing, OWL.Nothing})
    differs = 0
    for x in nodes:
        expected = set(local.ancestors(x, entailment="rdfs").iris)
        differs += expected != set(local.ancestors(x, entailment="told").iris)
        assert set(mini_remote.ancestors(x, entailment="rdfs").iris) == expected, x
        assert set(mini_remote.parents(x, entailment="rdfs").iris) == set(
            local.parents(x, entailment="rdfs").iris
        ), x
    assert differs >= 3  # alice (subproperty + domain), acme2 (range, through an equivalent
    # property), bob (sameAs robert)
    why = mini_remote.explain("alice", "Top", entailment="rdfs")
    assert why is not None
    assert list(why) == list(local.explain("alice", "Top", entailment="rdfs") or ())
    assert not why.stated  # rdfs2 (domain) after rdfs7 (subproperty)
    mini_remote.entailment = "rdfs"
    try:
        assert mini_remote.is_a("bob", "Alpha")
    finally:
        mini_remote.entailment = "told"
    assert not mini_remote.is_a("bob", "Alpha")


@pytest.mark.slow
def test_an_ambiguous_name_lists_the_candidates(mini_remote: RemoteGraph) -> None:
    """A synonym of two classes is ambiguous; a label outranks a synonym."""
    with pytest.raises(AmbiguousNameError) as caught:
        mini_remote.concept("shared")
    assert set(caught.value.candidates) == {f"{EX}B", f"{EX}E"}
    assert mini_remote.concept("Beta").iri == URIRef(EX + "B")  # a label beats a synonym


@pytest.mark.slow
def test_query_returns_what_a_local_query_returns(remote: RemoteGraph, kg: KnowledgeGraph) -> None:
    """SELECT, ASK and CONSTRUCT come back as the local types, with the prefixes pre-bound."""
    q = "SELECT ?c WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel } ORDER BY ?c"
    rows = remote.query(q)
    assert isinstance(rows, genai_graph.SelectResult)
    local = kg.query(q)
    assert isinstance(local, genai_graph.SelectResult)
    assert rows.vars == ("c",) and [r.c for r in rows] == [r.c for r in local]
    assert rows.to_table() == local.to_table()
    assert remote.query("ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }")
    assert not remote.query("ASK { genai:GenerativeAI rdfs:subClassOf genai:LargeLanguageModel }")
    graph = remote.query("CONSTRUCT { genai:GPT4 ?p ?o } WHERE { genai:GPT4 ?p ?o }")
    assert isinstance(graph, Graph)
    assert len(graph) == len(list(kg.graph.predicate_objects(GENAI.GPT4)))
    # a PREFIX of the query's own wins over the pre-bound one
    own = remote.query("PREFIX genai: <urn:nothing#> ASK { genai:GPT4 ?p ?o }")
    assert own is False


@pytest.mark.slow
def test_a_bad_query_reports_the_endpoints_message_and_line(remote: RemoteGraph) -> None:
    """Virtuoso's own message, with the line counted in the user's text."""
    with pytest.raises(QueryError, match=r"SP030.*line 3: syntax error at 'FOO'") as caught:
        remote.query("SELECT ?x WHERE {\n  ?x rdfs:label ?l .\n  FOO }")
    assert caught.value.line == 3
    with pytest.raises(QueryError, match="Parentheses are not balanced") as caught:
        remote.query("SELECT ?x WHERE {\n  ?x rdfs:label ?l \n  FILTER(\n}")
    assert caught.value.line is None and "line 0" not in str(caught.value)


@pytest.mark.slow
def test_a_cut_off_answer_is_flagged(admin: RemoteGraph, remote: RemoteGraph) -> None:
    """A SELECT the endpoint cut off at its row limit comes with a warning."""
    # the whole store holds more than Virtuoso's ResultSetMaxRows (10,000 here)
    with pytest.warns(GenAIGraphWarning, match="cut the answer off at 10000 rows"):
        rows = admin.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert isinstance(rows, genai_graph.SelectResult) and len(rows) == 10000


@pytest.mark.slow
def test_hostile_names_never_reach_the_query_text(
    admin: RemoteGraph, virtuoso: Virtuoso, remote: RemoteGraph
) -> None:
    """Names that would close a string or an IRI and add an update are only ever string values.

    They are asked through /sparql-auth as the administrator, where an injected
    update would run; the store must hold exactly what it held before.
    """
    rg = genai_graph.connect(virtuoso.sparql_auth, graph=BUNDLED, auth=virtuoso.auth)
    canary = "INSERT DATA { GRAPH <urn:canary> { <urn:a> <urn:b> <urn:c> } }"
    hostile = [
        '"> } ; DROP ALL ; #',
        f'" . }} {canary} #',
        f"' . }} {canary} #",
        f'"""}} ; {canary} ; #',
        f'x") || true) }} {canary} ; SELECT * WHERE {{ ?s ?p ?o FILTER(("',
        f"<urn:a> }} ; {canary} ; #",
        f"genai:GPT4> }} ; {canary} ; #",
        f"http://x.org/> }} ; {canary} ; #",
        "\\u0022 } ; DROP ALL ; #",
        '\\" } ; DROP ALL ; #',
        "{{ ?s ?p ?o }}",
        "GPT-4\n} ; DROP ALL ; #",
    ]
    before = _count_all(admin)
    assert before > len(bundled_triples())
    for name in hostile:
        with pytest.raises(UnknownConceptError):
            rg.concept(name)
        with pytest.raises(UnknownConceptError):
            rg.is_a("GPT-4", name)
    assert _count_all(admin) == before
    assert not admin.query("ASK { GRAPH <urn:canary> { ?s ?p ?o } }")
    assert remote.is_a("GPT-4", "LLM")


@pytest.mark.slow
def test_hostile_labels_round_trip_as_plain_text(virtuoso: Virtuoso, admin: RemoteGraph) -> None:
    """A resource whose label is an attack is uploaded, found by that label, and read back intact."""
    labels = [
        '"> } ; DROP ALL ; #',
        'quote " backslash \\ newline \n tab \t brace { } ; #',
        "\\u0022 stays six characters",
        "<script>alert(1)</script> and more",
    ]
    graph = Graph()
    for i, label in enumerate(labels):
        graph.add((URIRef(f"http://example.org/hostile#t{i}"), RDFS.label, Literal(label)))
        graph.add((URIRef(f"http://example.org/hostile#t{i}"), RDF.type, OWL.Class))
    rg = genai_graph.connect(
        virtuoso.sparql,
        graph="urn:genai-graph:test:hostile",
        update_url=virtuoso.sparql_auth,
        auth=virtuoso.auth,
    )
    rg.upload(graph, replace=True)
    before = _count_all(admin)
    for i, label in enumerate(labels):
        concept = rg.concept(label)
        assert concept.iri == URIRef(f"http://example.org/hostile#t{i}")
        assert concept.label == label
    assert _count_all(admin) == before
    rg.clear()
    assert _count_all(admin) == before - len(graph)


def _attributes(node: dict[str, object]) -> dict[str, object]:
    synonyms = node.get("synonyms")
    assert isinstance(synonyms, list)
    return {**node, "synonyms": sorted(synonyms)}


@pytest.mark.slow
def test_neighbourhood_is_the_local_neighbourhood(remote: RemoteGraph, kg: KnowledgeGraph) -> None:
    """The remote neighbourhood has the nodes, edges and attributes of the local one."""
    full = kg.to_networkx(entailment="told")
    for name, depth in (("GPT-4", 2), ("Hallucination", 1), ("Stable Diffusion", 1)):
        centre = str(kg.concept(name).iri)
        expected = neighbourhood(full, centre, depth)
        got = remote.to_networkx(focus=name, depth=depth)
        assert set(got.nodes) == set(expected.nodes), name
        assert set(got.edges(keys=True)) == set(expected.edges(keys=True)), name
        for node in expected.nodes:
            # synonyms that differ only in case ("Llama 1", "LLaMA 1") sort in graph order
            assert _attributes(got.nodes[node]) == _attributes(expected.nodes[node]), node
    near = remote.neighbourhood("GPT-4", depth=1)
    assert isinstance(near, KnowledgeGraph) and near.entailment == "told"
    assert len(near) < len(kg) / 2  # a fragment, not the dataset
    assert near.is_a("GPT-4", "Generative AI")


@pytest.mark.slow
def test_to_html_draws_the_neighbourhood_offline(remote: RemoteGraph, tmp_path: Path) -> None:
    """to_html writes the offline page around the focus; a remote graph is never drawn whole."""
    target = tmp_path / "gpt4.html"
    page = remote.to_html(target, focus="GPT-4", depth=1)
    assert target.read_text(encoding="utf-8") == page
    assert "GPT-4" in page and str(GENAI.GPT4) in page and "OpenAI" in page
    assert external_references(page) == []
    with pytest.raises(GenAIGraphError, match="focus"):
        remote.to_html(tmp_path / "all.html")


@pytest.mark.slow
def test_upload_replace_is_idempotent_and_clear_empties(virtuoso: Virtuoso) -> None:
    """Uploading with replace=True twice leaves one copy; clear() empties the graph."""
    rg = genai_graph.connect(
        virtuoso.sparql,
        graph="urn:genai-graph:test:scratch",
        update_url=virtuoso.sparql_auth,
        auth=virtuoso.auth,
    )
    source = genai_graph.load(MINI, bundled=False)

    def count() -> int:
        rows = rg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert isinstance(rows, genai_graph.SelectResult)
        return int(rows[0].n)

    assert rg.upload(source, replace=True) == len(source)
    assert rg.upload(MINI, replace=True) == len(source)
    assert count() == len(source)
    rg.clear()
    assert count() == 0
    rg.upload(MINI)
    assert rg.upload(Graph(), replace=True) == 0  # replacing with nothing empties the graph
    assert count() == 0


@pytest.mark.slow
def test_a_failed_upload_leaves_the_graph_as_it_was(
    virtuoso: Virtuoso, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection lost halfway leaves the named graph unchanged and no staging graph behind."""
    rg = genai_graph.connect(
        virtuoso.sparql,
        graph="urn:genai-graph:test:atomic",
        update_url=virtuoso.sparql_auth,
        auth=virtuoso.auth,
    )
    rg.upload(MINI, replace=True)
    before = rg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    real = RemoteGraph._update
    calls = {"insert": 0}

    def failing(self: RemoteGraph, text: str) -> None:
        if text.startswith("INSERT"):
            calls["insert"] += 1
            if calls["insert"] == 3:  # the network fails halfway through the upload
                raise StoreError(self.update_url, "connection reset")
        real(self, text)

    monkeypatch.setattr(RemoteGraph, "_update", failing)
    with pytest.raises(StoreError, match="left as it was") as caught:
        rg.upload(replace=True)
    assert "upload stopped after" in str(caught.value)
    monkeypatch.undo()
    after = rg.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(before, genai_graph.SelectResult) and isinstance(
        after, genai_graph.SelectResult
    )
    assert int(after[0].n) == int(before[0].n)
    admin = genai_graph.connect(virtuoso.sparql_auth, auth=virtuoso.auth)
    leftovers = admin.query(
        'ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:genai-graph:staging:")) }'
    )
    assert leftovers is False


@pytest.mark.slow
def test_an_unreadable_upload_sends_nothing(virtuoso: Virtuoso, tmp_path: Path) -> None:
    """Malformed Turtle or an IRI no endpoint accepts fails before anything is sent."""
    rg = genai_graph.connect(
        virtuoso.sparql,
        graph="urn:genai-graph:test:unreadable",
        update_url=virtuoso.sparql_auth,
        auth=virtuoso.auth,
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d ]\n")
    with pytest.raises(OntologyLoadError, match=r"bad\.ttl"):
        rg.upload(bad)
    graph = Graph()
    graph.add((URIRef("http://example.org/a"), RDFS.label, Literal("fine")))
    graph.add((URIRef("http://example.org/a b> } ; DROP ALL ; #"), RDFS.label, Literal("x")))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about that IRI too
        with pytest.raises(OntologyLoadError, match="not a valid IRI"):
            rg.upload(graph)
    assert rg.query("ASK { ?s ?p ?o }") is False


@pytest.mark.slow
def test_updates_need_permission(virtuoso: Virtuoso) -> None:
    """Anonymous updates and a wrong password are StoreErrors that say what to do."""
    anonymous = genai_graph.connect(virtuoso.sparql, graph="urn:genai-graph:test:denied")
    with pytest.raises(StoreError, match=r"permission denied.*auth="):
        anonymous.upload(MINI)
    wrong = genai_graph.connect(
        virtuoso.sparql_auth, graph="urn:genai-graph:test:denied", auth=("dba", "wrong")
    )
    with pytest.raises(StoreError, match="HTTP 401"):
        wrong.upload(MINI)


@pytest.mark.slow
def test_a_wrong_path_is_a_store_error(virtuoso: Virtuoso) -> None:
    """A URL that is not a SPARQL endpoint gives a StoreError with the HTTP status."""
    rg = genai_graph.connect(f"{virtuoso.base}/no-such-endpoint")
    with pytest.raises(StoreError, match="404"):
        rg.query("ASK {}")


@pytest.fixture
def big_remote(virtuoso: Virtuoso) -> Iterator[RemoteGraph]:
    """Return a graph with a class of 300 subclasses of 60 synonyms each (18,300 statements)."""
    rg = genai_graph.connect(
        virtuoso.sparql,
        graph="urn:genai-graph:test:big",
        update_url=virtuoso.sparql_auth,
        auth=virtuoso.auth,
    )
    graph = Graph()
    root = URIRef("http://example.org/big#Root")
    graph.add((root, RDFS.label, Literal("Root")))
    for i in range(300):
        c = URIRef(f"http://example.org/big#C{i}")
        graph.add((c, RDFS.subClassOf, root))
        for j in range(60):
            graph.add((c, SKOS.altLabel, Literal(f"class {i} name {j}")))
    rg.upload(graph, replace=True)
    yield rg
    rg.clear()


@pytest.mark.slow
def test_an_answer_over_the_row_limit_is_an_error_not_a_partial_answer(
    big_remote: RemoteGraph,
) -> None:
    """Virtuoso cuts answers off at ResultSetMaxRows (10,000 here): never taken as the answer."""
    with pytest.raises(StoreError, match="ResultSetMaxRows"):
        big_remote.descendants("Root")  # 18,300 rows in one answer
    # the neighbourhood asks 200 concepts at a time (12,200 rows here), and halves a
    # request whose answer is cut off until each fits
    near = big_remote.neighbourhood("Root", depth=1)
    assert len(near.descendants("Root", entailment="told")) == 300
    assert len(near.concept("class 299 name 59").synonyms) == 60
