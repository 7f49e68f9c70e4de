"""Name resolution: labels, synonyms, CURIEs, IRIs, and the errors for bad names."""

from __future__ import annotations

import pytest

import genai_graph
from genai_graph import AmbiguousNameError, UnknownConceptError

LLM = str(genai_graph.GENAI.LargeLanguageModel)


@pytest.mark.parametrize(
    "name",
    [
        "Large Language Model",
        "large language model",
        "  LARGE   language Model ",
        "LLM",
        "llm",
        "genai:LargeLanguageModel",
        LLM,
        f"<{LLM}>",
        "LargeLanguageModel",  # local name
        "Ｌａｒｇｅ Language Model",  # noqa: RUF001 - full-width letters fold under NFKC
    ],
)
def test_every_way_of_naming_llm(kg: genai_graph.KnowledgeGraph, name: str) -> None:
    """Labels, synonyms, CURIEs, IRIs and local names all find the same concept."""
    assert kg.concept(name).iri == genai_graph.GENAI.LargeLanguageModel


def test_concept_and_uriref_inputs(kg: genai_graph.KnowledgeGraph) -> None:
    """A Concept or an rdflib URIRef is accepted wherever a name is."""
    llm = kg.concept("LLM")
    assert kg.is_a(llm, genai_graph.GENAI.GenerativeAI)


def test_unknown_name_suggests(kg: genai_graph.KnowledgeGraph) -> None:
    """A misspelt name fails with the closest real names as suggestions."""
    with pytest.raises(UnknownConceptError) as caught:
        kg.concept("Large Langauge Modle")
    assert "Large Language Model" in caught.value.suggestions
    assert "did you mean 'Large Language Model'" in str(caught.value)
    assert isinstance(caught.value, LookupError)
    assert isinstance(caught.value, genai_graph.GenAIGraphError)


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_names(kg: genai_graph.KnowledgeGraph, name: str) -> None:
    """Empty or blank names get a clear error, not a match."""
    with pytest.raises(UnknownConceptError, match="empty name"):
        kg.concept(name)


def test_very_long_name(kg: genai_graph.KnowledgeGraph) -> None:
    """A huge name is refused quickly with its length in the message."""
    with pytest.raises(UnknownConceptError, match="too long"):
        kg.concept("x" * 100_000)


@pytest.mark.parametrize("name", ["genai:NoSuchThing", "https://example.org/nothing", "<urn:x:y>"])
def test_unknown_curie_and_iri(kg: genai_graph.KnowledgeGraph, name: str) -> None:
    """CURIEs and IRIs that the graph does not hold are unknown."""
    with pytest.raises(UnknownConceptError):
        kg.concept(name)


def test_ambiguous_name_lists_candidates(mini: genai_graph.KnowledgeGraph) -> None:
    """A synonym shared by two classes is ambiguous, and the error lists both."""
    with pytest.raises(AmbiguousNameError) as caught:
        mini.concept("Shared")
    assert caught.value.candidates == ("ex:B", "ex:E")


def test_label_beats_synonym(mini: genai_graph.KnowledgeGraph) -> None:
    """A label wins over another resource's synonym of the same spelling."""
    assert mini.concept("Alpha").curie == "ex:A"
    assert mini.concept("A class").curie == "ex:A"


def test_wrong_type_of_name(kg: genai_graph.KnowledgeGraph) -> None:
    """Passing a number as a name is a TypeError, not a silent miss."""
    with pytest.raises(TypeError):
        kg.concept(42)  # type: ignore[arg-type]


def test_contains(kg: genai_graph.KnowledgeGraph) -> None:
    """`name in kg` is True for known names and False for unknown ones."""
    assert "LLM" in kg
    assert "Large Langauge Modle" not in kg


def test_prefix_bound_after_first_lookup() -> None:
    """Binding a prefix after names were looked up makes its CURIEs work at once."""
    kg = genai_graph.load()
    assert kg.concept("GPT-4").curie == "genai:GPT4"
    kg.graph.bind("gx", "https://w3id.org/genai-graph/ontology#", override=True, replace=True)
    assert kg.concept("gx:GPT4").label == "GPT-4"


def test_anything_is_itself() -> None:
    """is_a(x, x) holds for every resource, properties included."""
    kg = genai_graph.load()
    assert kg.is_a("developed by", "developed by")
    assert not kg.is_a("developed by", "uses architecture")
