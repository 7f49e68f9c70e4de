"""Test-only fixtures and helpers (the bundled `kg` fixture is in the root conftest.py)."""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import genai_graph

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini.ttl"


@pytest.fixture(scope="session")
def mini() -> genai_graph.KnowledgeGraph:
    """tests/data/mini.ttl alone: a diamond, a cycle, an equivalence, sameAs and punning."""
    return genai_graph.load(MINI, bundled=False)


def require(tool: str, path: str) -> str:
    """Return `path` if the external tool is installed; skip, or fail under CI, if it is not.

    .ci/run installs every tool and sets GENAI_GRAPH_REQUIRE_TOOLS=1, so a missing
    tool fails there instead of hiding behind a skip.
    """
    if Path(path).exists() or shutil.which(path):
        return path
    message = f"{tool} is not installed at {path} (.ci/run installs it)"
    if os.environ.get("GENAI_GRAPH_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def require_module(name: str) -> Any:
    """Import `name`; skip when it is missing, or fail under CI (GENAI_GRAPH_REQUIRE_TOOLS=1)."""
    if os.environ.get("GENAI_GRAPH_REQUIRE_TOOLS") == "1":
        return importlib.import_module(name)
    return pytest.importorskip(name, reason=f"{name} is in the test extras")


_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:@import\s+(?:url\()?\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)""",
    re.IGNORECASE,
)


def external_references(html: str) -> list[str]:
    """Return every place in `html` that would make a browser fetch from the network."""
    return [m.group(0) for m in _EXTERNAL.finditer(html)]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian Chromium (Playwright) shared by every browser test of the session.

    Playwright's sync API allows one instance per thread at a time, so the
    page, endpoint and notebook tests all draw their pages from this browser.
    """
    require("Chromium", CHROMIUM)
    sync_api = require_module("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
