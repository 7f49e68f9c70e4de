"""Pictures of a knowledge graph: networkx graphs and the offline HTML page."""

from __future__ import annotations

__all__: list[str] = []
