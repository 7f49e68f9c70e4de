"""genai-graph: a knowledge graph of Generative AI, and the tools to ask it questions.

>>> import genai_graph
>>> kg = genai_graph.load()
>>> kg.is_a("LLM", "Generative AI")
True

The public API is everything listed in ``__all__``; the modules behind it
are an implementation detail.
"""

from __future__ import annotations

from ._version import __version__
from .errors import (
    AmbiguousNameError,
    GenAIGraphError,
    GenAIGraphWarning,
    MissingExtraError,
    OntologyLoadError,
    QueryError,
    QueryTimeoutError,
    StoreError,
    UnknownConceptError,
)
from .graph import KnowledgeGraph, NameLike, load
from .model import Concept, ConceptSet, Explanation, Relation, Step
from .namespaces import GENAI, PREFIXES
from .notebook import GraphView
from .remote import RemoteGraph, connect
from .sparql import SelectResult

__all__ = [
    "GENAI",
    "PREFIXES",
    "AmbiguousNameError",
    "Concept",
    "ConceptSet",
    "Explanation",
    "GenAIGraphError",
    "GenAIGraphWarning",
    "GraphView",
    "KnowledgeGraph",
    "MissingExtraError",
    "NameLike",
    "OntologyLoadError",
    "QueryError",
    "QueryTimeoutError",
    "Relation",
    "RemoteGraph",
    "SelectResult",
    "Step",
    "StoreError",
    "UnknownConceptError",
    "__version__",
    "connect",
    "load",
]
