"""The ``genai-graph`` command: argument parsing and printing only.

Every answer comes from the public API. Exit status: 0 success (or "yes"),
1 a negative answer ("no", ASK false), 2 an error, with a one-line message
on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from ._write import write_atomic
from .endpoint import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, serve
from .errors import GenAIGraphError, GenAIGraphWarning
from .graph import KnowledgeGraph, load
from .reasoning.regimes import ENTAILMENTS
from .sparql import SelectResult
from .stores import LoadProgress

__all__ = ["main"]

YES, NO, ERROR = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--ontology",
        "-O",
        action="append",
        default=[],
        metavar="FILE",
        help="also load this RDF/OWL file (Turtle, RDF/XML, N-Triples, JSON-LD); repeatable",
    )
    common.add_argument(
        "--no-bundled", action="store_true", help="leave out the bundled Generative AI ontology"
    )
    common.add_argument(
        "--entailment",
        "-e",
        choices=ENTAILMENTS,
        help="reasoning regime: told (statements as written), rdfs, el (OWL 2 EL, the default), "
        "owl-rl (needs the owlrl package); query defaults to told",
    )
    common.add_argument(
        "--db",
        metavar="DIR",
        help="keep the graph in an Oxigraph database in DIR (created if missing): files given "
        "with -O are bulk-loaded into it (give them once: later runs open DIR without parsing "
        "and -O adds again); needs genai-graph[oxigraph]",
    )
    common.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar while loading (shown anyway when stderr is a terminal)",
    )
    parser = argparse.ArgumentParser(
        prog="genai-graph",
        description="Ask an ontology (the bundled map of Generative AI, or your own) what is what, and why.",
        epilog="Names may be labels, synonyms, CURIEs or IRIs: 'LLM', 'Large Language Model', "
        "genai:LargeLanguageModel. Exit status: 0 yes/ok, 1 no, 2 error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    p = command("is-a", "Is X a Y? Prints the chain of reasons; exit 0 for yes, 1 for no.")
    p.add_argument("x", help="the more specific concept, e.g. LLM")
    p.add_argument("y", help="the more general concept, e.g. 'Generative AI'")

    p = command(
        "explain", "Why is X a Y? Prints the statements that prove it; exit 1 if it is not."
    )
    p.add_argument("x")
    p.add_argument("y")
    p.add_argument(
        "--relation", "-r", help="explain 'X RELATION Y' instead, e.g. -r 'uses architecture'"
    )

    p = command(
        "relations", "List the relations of X (architectures, modalities, applications, ...)."
    )
    p.add_argument("x")
    p.add_argument(
        "--inferred", "-i", action="store_true", help="include inherited and derived relations"
    )

    p = command(
        "similarity", "How alike are X and Y? Common ancestors and Jaccard, Resnik, Lin similarity."
    )
    p.add_argument("x")
    p.add_argument("y")

    for name, what in (
        ("ancestors", "every class X is a kind or instance of"),
        ("descendants", "every class that is a kind of X"),
    ):
        p = command(name, f"List {what}.")
        p.add_argument("x")
        p.add_argument("--format", choices=("text", "json"), default="text")

    p = command(
        "query",
        "Run a read-only SPARQL query (rdf, rdfs, owl, xsd, skos, dcterms and genai are pre-bound).",
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("sparql", nargs="?", help="the query text, or - to read it from stdin")
    src.add_argument("--file", "-f", type=Path, help="read the query from this file")
    p.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output for SELECT results (default: table)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="stop the query after S seconds with an error (default: no limit)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        metavar="N",
        help="print at most N rows of a SELECT result, saying so on stderr if there were more",
    )

    p = command("viz", "Write an interactive, offline HTML map of the graph.")
    p.add_argument("--output", "-o", type=Path, required=True, metavar="FILE.html")
    p.add_argument("--focus", help="draw only the neighbourhood of this concept")
    p.add_argument("--depth", type=int, help="links to follow from --focus (default 2)")
    p.add_argument("--title", help="page title")
    p.add_argument(
        "--explain", nargs=2, metavar=("X", "Y"), help="highlight the proof that X is a Y"
    )
    p.add_argument(
        "--levels",
        type=int,
        metavar="N",
        help="open with only the top N levels of the is-a tree shown (the rest on demand)",
    )

    p = command(
        "export",
        "Export the graph as GraphML, Cytoscape.js JSON, Mermaid or Graphviz DOT.",
    )
    p.add_argument(
        "--output", "-o", required=True, metavar="FILE", help="where to write; - for stdout"
    )
    p.add_argument(
        "--format",
        "-f",
        metavar="FORMAT",
        help="graphml, cytoscape, mermaid or dot (default: from the FILE suffix: .graphml, "
        ".cyjs/.json, .mmd/.mermaid, .dot/.gv)",
    )
    p.add_argument("--focus", help="export only the neighbourhood of this concept")
    p.add_argument("--depth", type=int, help="links to follow from --focus (default 2)")
    p.add_argument("--taxonomy", action="store_true", help="keep only the is-a edges")
    p.add_argument(
        "--inferred-relations", action="store_true", help="also add the relations inferred"
    )

    p = command(
        "report",
        "Check an ontology for cycles, unsatisfiable classes, missing or duplicate labels and "
        "definitions, dangling references, deprecated terms in use and orphans; exit 1 on an ERROR.",
    )
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="the ontology files to check (default: the bundled one)",
    )
    p.add_argument("--format", choices=("table", "tsv", "json", "html"), default="table")
    p.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the report here instead of printing it",
    )

    command("info", "Print counts of triples, classes, individuals and properties.")

    p = command(
        "serve",
        "Serve the graph as a read-only SPARQL 1.1 endpoint (at /sparql) with a query page "
        "(at /), until Ctrl-C. Queries see --entailment (default told).",
    )
    p.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; there is no "
        "authentication, so expose it only behind a proxy that adds it)",
    )
    p.add_argument(
        "--port", type=int, default=8000, help="TCP port (default 8000; 0 picks a free one)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"stop a query after S seconds, answering 503 (default {DEFAULT_TIMEOUT:g}; 0: no limit)",
    )
    p.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        metavar="N",
        help=f"return at most N rows or triples, marked X-Result-Truncated: true "
        f"(default {DEFAULT_MAX_ROWS}; 0: no limit)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header is NAME (e.g. behind a reverse proxy); "
        "repeatable; '*' allows any",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="log errors only, not every request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status.

    Examples
    --------
    >>> main(["is-a", "GPT-4", "LLM"])
    yes: GPT-4 is an instance of Large Language Model:
      GPT-4  --rdf:type-->  Large Language Model
    0
    """
    args = _parser().parse_args(argv)
    # rdflib logs odd IRIs to the root logger's last-resort handler; its messages are not ours
    logging.getLogger("rdflib").addHandler(logging.NullHandler())
    with warnings.catch_warnings():
        # our warnings are one line each, whatever filters the interpreter was started with
        warnings.simplefilter("default", GenAIGraphWarning)
        warnings.showwarning = _show_warning
        return _run(args)


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    if issubclass(category, GenAIGraphWarning):
        print(f"genai-graph: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _run(args: argparse.Namespace) -> int:
    out = sys.stdout
    try:
        files = [*args.ontology, *getattr(args, "files", [])]
        bundled = not args.no_bundled and not getattr(
            args, "files", []
        )  # report FILE checks FILE alone
        show = args.progress or sys.stderr.isatty()
        kg = load(
            *files,
            bundled=bundled,
            entailment=args.entailment or "el",
            store="oxigraph" if args.db else "memory",
            path=args.db,
            progress=_ProgressBar(sys.stderr) if show else None,
        )
        try:
            status: int = _COMMANDS[args.command](kg, args, out)
        finally:
            kg.close()
    except GenAIGraphError as err:
        print(f"genai-graph: error: {err}", file=sys.stderr)
        return ERROR
    except KeyboardInterrupt:
        print("genai-graph: interrupted", file=sys.stderr)
        return 130
    except (RecursionError, MemoryError) as err:  # input beyond what this machine can hold
        kind = "too deep" if isinstance(err, RecursionError) else "too large for memory"
        print(f"genai-graph: error: the input is {kind} to answer this", file=sys.stderr)
        return ERROR
    except BrokenPipeError:  # output piped into `head` and closed early
        return YES
    return status


class _ProgressBar:
    """Draw load progress on one terminal line: a bar when the total is known, and triples/s."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width

    def __call__(self, progress: LoadProgress) -> None:
        name = Path(progress.source).name
        rate = f"{progress.triples:,} triples, {progress.rate:,.0f} triples/s"
        if progress.total:
            done = progress.triples / progress.total
            filled = round(done * self.width)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"loading {name} [{bar}] {done:4.0%}  {rate}"
        else:
            line = f"loading {name}: {rate}"
        end = "\n" if progress.total is None or progress.triples >= progress.total else ""
        print(f"\r{line}", end=end, file=self.stream, flush=True)


def _is_a(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    why = kg.explain(args.x, args.y)
    if why is None:
        x, y = kg.concept(args.x), kg.concept(args.y)
        print(f"no: {x.label} is not a {y.label}", file=out)
        return NO
    print(f"yes: {why}", file=out)
    return YES


def _explain(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    why = kg.explain(args.x, args.y, relation=args.relation)
    if why is None:
        x, y = kg.concept(args.x), kg.concept(args.y)
        if args.relation:
            relation = kg.concept(args.relation)
            print(f"no: {x.label} {relation.label} {y.label} does not follow", file=out)
        else:
            print(f"{x.label} is not a {y.label}: no chain of statements leads there", file=out)
        return NO
    print(why, file=out)
    return YES


def _relations(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    for relation in kg.relations(args.x, inferred=args.inferred):
        print(relation, file=out)
    return YES


def _similarity(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    x, y = kg.concept(args.x), kg.concept(args.y)
    lowest = kg.lowest_common_ancestors(x, y).labels()
    mica = kg.most_informative_common_ancestor(x, y)
    print(f"{x.label} and {y.label}", file=out)
    print(f"  lowest common ancestors:           {', '.join(lowest) or '(none)'}", file=out)
    print(f"  most informative common ancestor:  {mica.label if mica else '(none)'}", file=out)
    for method in ("jaccard", "resnik", "lin"):
        print(f"  {method + ' similarity:':35}{kg.similarity(x, y, method=method):.3f}", file=out)
    return YES


def _closure(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    found = kg.ancestors(args.x) if args.command == "ancestors" else kg.descendants(args.x)
    ordered = sorted(found)
    if args.format == "json":
        rows = [{"iri": str(c.iri), "curie": c.curie, "label": c.label} for c in ordered]
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
    else:
        width = max((len(c.label) for c in ordered), default=0)
        for c in ordered:
            print(f"{c.label.ljust(width)}  {c.curie}", file=out)
    return YES


def _query(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    if args.file is not None:
        try:
            text = args.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise GenAIGraphError(f"cannot read query file {str(args.file)!r}: {err}") from err
    elif args.sparql == "-":
        text = sys.stdin.read()
    else:
        text = args.sparql
    if args.timeout is not None and args.timeout <= 0:
        raise GenAIGraphError("--timeout must be a positive number of seconds")
    if args.max_rows is not None and args.max_rows < 0:
        raise GenAIGraphError("--max-rows must be 0 or more")
    result = kg.query(
        text,
        entailment=args.entailment or "told",
        timeout=args.timeout,
        max_rows=args.max_rows,
    )
    if isinstance(result, bool):
        print("true" if result else "false", file=out)
        return YES if result else NO
    if not isinstance(result, SelectResult):  # CONSTRUCT / DESCRIBE: a graph
        out.write(result.serialize(format="turtle"))
        return YES
    formatted = {"table": result.to_table, "csv": result.to_csv, "json": result.to_json}[
        args.format
    ]()
    out.write(formatted if formatted.endswith("\n") else formatted + "\n")
    if result.truncated:
        print(
            f"genai-graph: note: showing the first {args.max_rows} rows; there are more "
            "(raise --max-rows)",
            file=sys.stderr,
        )
    return YES


def _viz(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    if args.depth is not None and args.focus is None:
        raise GenAIGraphError("--depth needs --focus")
    kg.to_html(
        args.output,
        focus=args.focus,
        depth=args.depth,
        title=args.title,
        explain=(args.explain[0], args.explain[1]) if args.explain else None,
        levels=args.levels,
    )
    print(f"wrote {args.output}", file=out)
    return YES


def _export(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    if args.depth is not None and args.focus is None:
        raise GenAIGraphError("--depth needs --focus")
    path = None if args.output == "-" else Path(args.output)
    if path is None and args.format is None:
        raise GenAIGraphError("-o - needs --format (graphml, cytoscape, mermaid or dot)")
    text = kg.export(
        path,
        args.format,
        focus=args.focus,
        depth=args.depth,
        taxonomy_only=args.taxonomy,
        inferred_relations=args.inferred_relations,
    )
    if path is None:
        out.write(text)
    else:
        print(f"wrote {path}", file=out)
    return YES


def _report(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    report = kg.report()
    formats = {
        "table": report.to_table,
        "tsv": report.to_tsv,
        "json": report.to_json,
        "html": report.to_html,
    }
    text = formats[args.format]()
    if args.output is not None:
        write_atomic(args.output, text)
        print(f"wrote {args.output}: {report.summary()}", file=out)
    else:
        out.write(text if text.endswith("\n") else text + "\n")
    return YES if report.ok else NO


def _info(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    stats = kg.stats()
    width = max(len(k) for k in stats)
    for key, value in stats.items():
        print(f"{key.replace('_', ' ').ljust(width)}  {value}", file=out)
    return YES


def _serve(kg: KnowledgeGraph, args: argparse.Namespace, out: TextIO) -> int:
    serve(
        kg,
        args.host,
        args.port,
        entailment=args.entailment or "told",
        timeout=args.timeout or None,
        max_rows=args.max_rows or None,
        allowed_hosts=args.allow_host,
        out=out,
        log=sys.stderr,
        log_requests=not args.quiet,
    )
    return YES


_COMMANDS = {
    "is-a": _is_a,
    "explain": _explain,
    "relations": _relations,
    "similarity": _similarity,
    "ancestors": _closure,
    "descendants": _closure,
    "query": _query,
    "viz": _viz,
    "export": _export,
    "report": _report,
    "info": _info,
    "serve": _serve,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
