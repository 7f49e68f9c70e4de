"""Fixtures shared by the tests and the docstring examples in src/ (run with --doctest-modules)."""

from __future__ import annotations

import os
import tempfile

import pytest
from _pytest.doctest import DoctestItem
from rdflib.namespace import OWL, RDF, RDFS, SKOS

import genai_graph

# Tests (and the commands they start) keep the parsed-ontology cache out of the real home.
os.environ.setdefault("GENAI_GRAPH_CACHE", tempfile.mkdtemp(prefix="genai-graph-cache-"))


@pytest.fixture(scope="session")
def kg() -> genai_graph.KnowledgeGraph:
    """Load the bundled ontology once per session; tests must not change it."""
    return genai_graph.load()


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest) -> None:
    """Give docstring examples `genai_graph`, a loaded `kg` and the rdflib namespaces."""
    if isinstance(request.node, DoctestItem):
        namespace = request.getfixturevalue("doctest_namespace")
        namespace.update(genai_graph=genai_graph, RDF=RDF, RDFS=RDFS, OWL=OWL, SKOS=SKOS)
        namespace["kg"] = request.getfixturevalue("kg")
