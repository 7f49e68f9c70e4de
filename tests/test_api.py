"""The public face: a small flat API, typed, with one error tree."""

from __future__ import annotations

import inspect
from importlib.resources import files

import pytest

import genai_graph


def test_all_names_exist() -> None:
    """Everything in __all__ is importable from the package."""
    for name in genai_graph.__all__:
        assert hasattr(genai_graph, name), name


def test_py_typed_ships() -> None:
    """The package declares its type hints (PEP 561)."""
    assert files("genai_graph").joinpath("py.typed").is_file()


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (genai_graph.OntologyLoadError, ValueError),
        (genai_graph.UnknownConceptError, LookupError),
        (genai_graph.AmbiguousNameError, LookupError),
        (genai_graph.QueryError, ValueError),
        (genai_graph.MissingExtraError, ImportError),
    ],
)
def test_error_tree(error: type[Exception], builtin: type[Exception]) -> None:
    """Every error is a GenAIGraphError and also the builtin that fits it."""
    assert issubclass(error, genai_graph.GenAIGraphError)
    assert issubclass(error, builtin)
    assert not issubclass(error, KeyError)  # KeyError would quote the message


@pytest.mark.parametrize(
    "method",
    [
        "is_a",
        "explain",
        "ancestors",
        "descendants",
        "parents",
        "children",
        "instances",
        "concept",
        "relations",
        "query",
        "to_networkx",
        "to_html",
        "stats",
    ],
)
def test_methods_have_docstrings(method: str) -> None:
    """Each public method says what it does."""
    doc = inspect.getdoc(getattr(genai_graph.KnowledgeGraph, method))
    assert doc and len(doc) > 20


def test_library_does_not_import_cli() -> None:
    """Data flows one way: nothing in the library imports the command line."""
    root = files("genai_graph")
    for path in root.iterdir():
        if path.name.endswith(".py") and path.name not in ("cli.py", "__main__.py"):
            assert "from .cli" not in path.read_text(encoding="utf-8"), path.name
