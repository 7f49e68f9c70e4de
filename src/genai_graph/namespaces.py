"""Namespaces and the prefixes genai-graph binds for you.

``PREFIXES`` are pre-bound in every SPARQL query and used to write and read
CURIEs such as ``genai:LargeLanguageModel``.
"""

from __future__ import annotations

from types import MappingProxyType

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

__all__ = ["GENAI", "GENAI_IRI", "PREFIXES"]

GENAI_IRI = "https://w3id.org/genai-graph/ontology#"
"""The namespace of every term in the bundled ontology."""

GENAI = Namespace(GENAI_IRI)
"""``GENAI.LargeLanguageModel`` is the IRI of the class Large Language Model."""

PREFIXES: MappingProxyType[str, Namespace] = MappingProxyType(
    {
        "rdf": RDF._NS,
        "rdfs": RDFS._NS,
        "owl": OWL._NS,
        "xsd": XSD._NS,
        "skos": SKOS._NS,
        "dcterms": DCTERMS._NS,
        "genai": GENAI,
    }
)
"""Prefix -> namespace, bound in every query and used for CURIEs."""
