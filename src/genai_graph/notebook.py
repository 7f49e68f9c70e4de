"""Jupyter helpers: a graph page shown inline, isolated in its own ``<iframe>``.

:meth:`KnowledgeGraph.show <genai_graph.KnowledgeGraph.show>` returns a
:class:`GraphView`. Jupyter (classic Notebook, JupyterLab, VS Code) displays it
through :meth:`GraphView._repr_html_`: the complete offline page of
:meth:`~genai_graph.KnowledgeGraph.to_html`, escaped into the ``srcdoc`` of a
sandboxed ``<iframe>``. Each graph therefore runs in its own document, so any
number of graphs share a notebook without colliding, and the output needs no
file beside the notebook and no network.

Concepts, concept sets, explanations and query results have their own
``_repr_html_`` (see :mod:`genai_graph.model` and :mod:`genai_graph.sparql`).
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
from html import escape, unescape
from pathlib import Path

from ._write import write_atomic
from .errors import GenAIGraphError

__all__ = ["GraphView"]

DEFAULT_HEIGHT = 650
"""The height of a graph view in pixels, unless :meth:`KnowledgeGraph.show` is told otherwise."""

_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"
_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_COUNTER = itertools.count(1)
_SESSION = secrets.token_hex(4)


class GraphView:
    """A drawn graph: the self-contained HTML page, displayed inline by Jupyter.

    Make one with :meth:`KnowledgeGraph.show <genai_graph.KnowledgeGraph.show>`;
    in a notebook, a cell that ends with it draws the graph. Outside Jupyter,
    :attr:`html` is the page and :meth:`save` writes it.

    Parameters
    ----------
    html : str
        The complete HTML document, as :meth:`KnowledgeGraph.to_html` returns it.
    height : int or str, default 650
        The height of the inline frame: pixels, or a CSS length such as ``"80vh"``.
    title : str, optional
        The accessible title of the frame; defaults to the page's ``<title>``.

    Raises
    ------
    GenAIGraphError
        If `height` is not a positive number of pixels or a plain CSS length.

    Examples
    --------
    >>> view = kg.show(focus="LLM", depth=1, height=400)
    >>> view
    <GraphView 'genai-graph ontology...': ... KB, height 400>
    >>> frame = view._repr_html_()
    >>> frame.startswith('<iframe id="genai-graph-') and 'height="400"' in frame
    True
    >>> view.html.startswith("<!DOCTYPE html>")
    True
    """

    __slots__ = ("_height", "_html", "_title")

    def __init__(
        self, html: str, *, height: int | str = DEFAULT_HEIGHT, title: str | None = None
    ) -> None:
        self._html = html
        self._height = _check_height(height)
        if title is None:
            found = _TITLE.search(html)
            title = unescape(found.group(1)).strip() if found else "genai-graph"
        self._title = title

    @property
    def html(self) -> str:
        """The complete, self-contained HTML page (the same document ``to_html`` returns)."""
        return self._html

    @property
    def height(self) -> int | str:
        """The height of the frame: pixels (int) or a CSS length (str)."""
        return self._height

    @property
    def title(self) -> str:
        """The frame's accessible title."""
        return self._title

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to `path` atomically and return that path.

        Raises
        ------
        GenAIGraphError
            If the file cannot be written.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "llm.html"
        >>> kg.show(focus="LLM", depth=1).save(target) == target
        True
        >>> "Large Language Model" in target.read_text(encoding="utf-8")
        True
        """
        return write_atomic(Path(path), self._html)

    def _repr_html_(self) -> str:
        """Return the page as an isolated ``<iframe srcdoc=...>`` with an id no other frame has.

        The frame is sandboxed with scripts allowed but no same-origin access,
        so the page cannot reach the notebook around it (nor the notebook it);
        its source links open in a new tab, outside the sandbox.
        """
        frame_id = f"genai-graph-{_SESSION}-{next(_COUNTER)}"
        # A checked CSS length goes in the style; pixels also in the height attribute.
        height = f"{self.height}px" if isinstance(self.height, int) else self.height
        return (
            f'<iframe id="{frame_id}" class="genai-graph-view" '
            f'title="{escape(self.title, quote=True)}" width="100%" '
            + (f'height="{self.height}" ' if isinstance(self.height, int) else "")
            + 'style="border:1px solid #d0d7de;border-radius:6px;width:100%;'
            f'display:block;height:{height}" sandbox="{_SANDBOX}" '
            f'srcdoc="{escape(self._html, quote=True)}"></iframe>'
        )

    def __repr__(self) -> str:
        size = len(self._html.encode("utf-8")) // 1024
        return f"<GraphView {self.title!r}: {size:,} KB, height {self.height}>"


_CSS_LENGTH = re.compile(r"^\d+(?:\.\d+)?(?:px|em|rem|vh)$")


def _check_height(height: int | str) -> int | str:
    if isinstance(height, bool) or not isinstance(height, int | str):
        raise GenAIGraphError(f"height must be pixels or a CSS length, not {height!r}")
    if isinstance(height, int):
        if height <= 0:
            raise GenAIGraphError(f"height must be more than 0 pixels, not {height}")
        return height
    text = height.strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    if not _CSS_LENGTH.match(text) or float(re.sub(r"[a-z%]+$", "", text)) <= 0:
        raise GenAIGraphError(
            f"height must be pixels or a CSS length such as '80vh' or '500px', not {height!r}"
        )
    return text
