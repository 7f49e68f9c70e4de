"""Reasoning: the subsumption index behind every is-a question, and its explanations."""

from __future__ import annotations

from .index import SubsumptionIndex

__all__ = ["SubsumptionIndex"]
