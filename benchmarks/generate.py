"""Seeded synthetic ontologies for the benchmarks.

``taxonomy(n, seed)`` draws a DAG of n classes under one top class, in 10 to
20 levels whose sizes grow geometrically, each class with one parent in the
level above and, with probability 0.4, a second parent higher up (multiple
inheritance), plus n/10 individuals typed with random classes. Each class has
an rdfs:label, so the file looks like a real ontology.

``el_ontology(n, defined, seed)`` adds existential restrictions and `defined`
defined classes (``D == A and p some B``) for the EL classification benchmark.
"""

from __future__ import annotations

import random
from pathlib import Path

NS = "http://example.org/bench#"


def _levels(n: int, depth: int) -> list[int]:
    weights = [1.6**level for level in range(depth)]
    total = sum(weights)
    sizes = [max(1, round(n * w / total)) for w in weights]
    sizes[0] = 1
    sizes[-1] += n - sum(sizes)
    return sizes


def taxonomy(n: int, seed: int = 1) -> tuple[str, dict[str, object]]:
    """Return (Turtle text, facts) for a random DAG of `n` classes; facts name the top class and depth."""
    rng = random.Random(seed)
    depth = rng.randint(10, 20)
    sizes = _levels(n, depth)
    lines = [
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        f"@prefix : <{NS}> .",
    ]
    levels: list[list[int]] = []
    next_id = 0
    for size in sizes:
        levels.append(list(range(next_id, next_id + size)))
        next_id += size
    for level, members in enumerate(levels):
        for c in members:
            parts = [f":C{c} a owl:Class", f'rdfs:label "Class {c}"']
            if level > 0:
                parents = {rng.choice(levels[level - 1])}
                if rng.random() < 0.4 and level > 1:
                    parents.add(rng.choice(levels[rng.randrange(level - 1)]))
                parts.append("rdfs:subClassOf " + " , ".join(f":C{p}" for p in sorted(parents)))
            lines.append(" ; ".join(parts) + " .")
    for i in range(n // 10):
        lines.append(f":i{i} a owl:NamedIndividual , :C{rng.randrange(n)} .")
    return "\n".join(lines) + "\n", {"top": f"{NS}C0", "depth": depth, "classes": n}


def el_ontology(n: int, defined: int, seed: int = 1) -> str:
    """Return a random EL ontology: a taxonomy of `n` classes, existentials, `defined` defined classes."""
    text, _ = taxonomy(n, seed)
    rng = random.Random(seed + 1)
    lines = [
        text,
        ":p a owl:ObjectProperty .",
        ":q a owl:ObjectProperty ; rdfs:subPropertyOf :p .",
    ]
    for _ in range(n // 5):
        lines.append(
            f":C{rng.randrange(1, n)} rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :{rng.choice('pq')} ;"
            f" owl:someValuesFrom :C{rng.randrange(n)} ] ."
        )
    for d in range(defined):
        lines.append(
            f":D{d} a owl:Class ; owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :C{rng.randrange(n)}"
            f" [ a owl:Restriction ; owl:onProperty :p ; owl:someValuesFrom :C{rng.randrange(n)} ] ) ] ."
        )
    return "\n".join(lines) + "\n"


def write(path: Path, text: str) -> Path:
    """Write `text` to `path` and return it."""
    path.write_text(text, encoding="utf-8")
    return path
