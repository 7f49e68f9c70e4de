"""The bad-input table: every row is an input a user may give and exactly what they then see.

Each row runs through the real command line (``genai_graph.cli.main``) and,
where it adds something, through the library or the installed console
script. A row asserts the exit status (2 for an error), the one-line
``genai-graph: error: ...`` message and its details (file:line:column,
suggestions, candidates), and that no traceback is printed. :func:`TABLE`
gives the rows as (input, what the user sees, test id) for the README.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import Literal

import genai_graph
from genai_graph import OntologyLoadError
from genai_graph.cli import main
from genai_graph.sparql import SelectResult

from .conftest import MINI, require

OWL_HEAD = (
    "@prefix ex: <http://example.org/c#> .\n"
    "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
)
FILES: dict[str, bytes] = {
    "bad.ttl": b"@prefix ex: <http://e/> .\nex:a ex:b ex:c ;\n  ex:d .\n",
    "bad.rdf": b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
    b"<rdf:Description>\n</rdf:RDF>\n",
    "bad.jsonld": b'{"@id": "http://e/a",\n "http://e/b": [1,]\n}\n',
    "empty.ttl": b"",
    "image.ttl": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "nul.ttl": b"@prefix ex: <http://e/> .\x00\x00\x00",
    "latin1.ttl": '@prefix ex: <http://e/> .\nex:a ex:b "café" .\n'.encode("latin-1"),
    "jsonld.ttl": b'{"@id": "http://e/a", "http://e/b": "x"}\n',
    "turtle.txt": b"<http://e/a> <http://e/b> <http://e/c> .\n",
    "functional.owl": b"Prefix(:=<http://e/>)\nOntology(<http://e/o>)\n",
    "cycle.ttl": (
        OWL_HEAD
        + 'ex:A a owl:Class ; rdfs:label "Aa" ; rdfs:subClassOf ex:B .\n'
        + 'ex:B a owl:Class ; rdfs:label "Bb" ; rdfs:subClassOf ex:C .\n'
        + 'ex:C a owl:Class ; rdfs:label "Cc" ; rdfs:subClassOf ex:A .\n'
    ).encode(),
    "bnodes.ttl": (
        OWL_HEAD
        + 'ex:A a owl:Class ; rdfs:label "Aa" .\nex:B a owl:Class ; rdfs:label "Bb" .\n'
        + "ex:p a owl:ObjectProperty .\n"
        + 'ex:X a owl:Class ; rdfs:label "Xx" ; rdfs:subClassOf '
        + "[ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:A ] .\n"
        + 'ex:Y a owl:Class ; rdfs:label "Yy" ; owl:equivalentClass '
        + "[ a owl:Class ; owl:intersectionOf ( ex:A [ a owl:Restriction ; owl:onProperty ex:p ; "
        + "owl:someValuesFrom ex:B ] ) ] .\n"
        + 'ex:Z a owl:Class ; rdfs:label "Zz" ; rdfs:subClassOf ex:A , '
        + "[ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:B ] .\n"
    ).encode(),
    "unsupported.ttl": (
        OWL_HEAD
        + 'ex:A a owl:Class ; rdfs:label "Aa" .\nex:p a owl:ObjectProperty .\n'
        + 'ex:Y a owl:Class ; rdfs:label "Yy" ; rdfs:subClassOf ex:A , '
        + "[ a owl:Restriction ; owl:onProperty ex:p ; owl:maxCardinality 1 ] .\n"
    ).encode(),
    "imports.ttl": (
        OWL_HEAD
        + "ex:o a owl:Ontology ; owl:imports <http://purl.obolibrary.org/obo/bfo.owl> .\n"
        + 'ex:A a owl:Class ; rdfs:label "Aa" .\n'
        + 'ex:B a owl:Class ; rdfs:label "Bb" ; rdfs:subClassOf ex:A .\n'
    ).encode(),
    "illtyped.ttl": b"@prefix ex: <http://example.org/> .\n"
    b"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    b'ex:a ex:n "abc"^^xsd:integer ; ex:d "2026-02-30"^^xsd:date .\n',
    "old.html": b"<p>the old page</p>\n",
    "old.txt": b"the old report\n",
    "a-file": b"not a directory\n",
}
SCRIPT = str(Path(sys.executable).parent / "genai-graph")
BIG = 3 * 1024**3  # a sparse file: no disk blocks are written


def _files(tmp: Path) -> None:
    for name, data in FILES.items():
        (tmp / name).write_bytes(data)
    (tmp / "a-directory").mkdir()
    with (tmp / "huge.ttl").open("wb") as handle:
        handle.truncate(BIG)


def _no_temp_files(tmp: Path) -> None:
    left = [p.name for p in tmp.iterdir() if p.name.endswith(".tmp")]
    assert left == [], f"temporary files left behind: {left}"


def _raise_in_write(exc: BaseException) -> Callable[[pytest.MonkeyPatch], None]:
    """Patch the atomic writer so that the data is written, then `exc` is raised before the rename."""

    def patch(monkeypatch: pytest.MonkeyPatch) -> None:
        def fail(fd: int) -> None:
            assert os.fstat(fd).st_size > 0  # some bytes were written to the temporary file
            raise exc

        monkeypatch.setattr("genai_graph._write.os.fsync", fail)

    return patch


def _unchanged(name: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        assert (tmp / name).read_bytes() == FILES[name]
        _no_temp_files(tmp)

    return check


def _absent(name: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        assert not (tmp / name).exists()
        _no_temp_files(tmp)

    return check


def _library_raises(source: str, pattern: str) -> Callable[[Path], None]:
    def check(tmp: Path) -> None:
        with pytest.raises(OntologyLoadError, match=pattern):
            genai_graph.load(tmp / source, bundled=False)

    return check


def _hostile_binding(tmp: Path) -> None:
    kg = genai_graph.load(MINI, bundled=False)
    before = len(kg)
    hostile = '" } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> } ; #'
    q = "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(STR(?l) = ?t) }"
    none = kg.query(q, bindings={"t": hostile})
    alpha = kg.query(q, bindings={"t": "Alpha"})
    echo = kg.query("SELECT ?v WHERE { BIND(?x AS ?v) }", bindings={"x": hostile})
    assert isinstance(none, SelectResult) and isinstance(alpha, SelectResult)
    assert isinstance(echo, SelectResult)
    assert list(none) == []
    assert [str(r.c) for r in alpha] == ["http://example.org/mini#A"]
    assert [r.v for r in echo] == [Literal(hostile)]  # comes back as the very string, as data
    assert len(kg) == before


@dataclass(frozen=True)
class Row:
    """One input, what the user sees, and how the test drives and checks it."""

    id: str
    input: str
    sees: str
    argv: list[str]  # {tmp} is replaced by the test's directory
    code: int
    err: str = ""  # a regex that stderr must match
    out: str = ""  # a regex that stdout must match
    env: dict[str, str] = field(default_factory=dict)
    patch: Callable[[pytest.MonkeyPatch], None] | None = None
    check: Callable[[Path], None] | None = None
    script: bool = False  # also run the installed console script


OWN = ["--no-bundled", "-O"]
ROWS = [
    # -- files ---------------------------------------------------------------
    Row("turtle-malformed", "malformed Turtle", "`cannot load bad.ttl:3:7: turtle syntax error: objectList expected`",
        ["info", "-O", "{tmp}/bad.ttl"], 2, r"bad\.ttl:3:7: turtle syntax error: objectList expected", script=True,
        check=_library_raises("bad.ttl", r"bad\.ttl:3:7")),
    Row("rdfxml-malformed", "malformed RDF/XML", "`cannot load bad.rdf:4:2: XML error: mismatched tag`",
        ["info", "-O", "{tmp}/bad.rdf"], 2, r"bad\.rdf:4:2: XML error: mismatched tag"),
    Row("jsonld-malformed", "malformed JSON-LD", "`cannot load bad.jsonld:2:19: JSON error: Expecting value`",
        ["info", "-O", "{tmp}/bad.jsonld"], 2, r"bad\.jsonld:2:19: JSON error: Expecting value"),
    Row("empty-file", "empty file", "loads as an empty graph (`triples 0`), exit 0",
        ["info", *OWN, "{tmp}/empty.ttl"], 0, out=r"triples\s+0\n"),
    Row("binary-file", "binary file (a PNG named .ttl)", "`cannot load image.ttl:1:1: not UTF-8 text (byte 0); is this a turtle file?`",
        ["info", "-O", "{tmp}/image.ttl"], 2, r"image\.ttl:1:1: not UTF-8 text \(byte 0\); is this a turtle file\?"),
    Row("nul-bytes", "text with NUL bytes", "`cannot load nul.ttl: binary data, not a turtle file`",
        ["info", "-O", "{tmp}/nul.ttl"], 2, r"nul\.ttl: binary data, not a turtle file"),
    Row("non-utf8-file", "Latin-1 (non-UTF-8) Turtle", "`cannot load latin1.ttl:2:15: not UTF-8 text (byte 40)`",
        ["info", "-O", "{tmp}/latin1.ttl"], 2, r"latin1\.ttl:2:15: not UTF-8 text \(byte 40\)"),
    Row("wrong-extension", "JSON-LD saved as .ttl", "the Turtle error at 1:1, plus `its content looks like JSON-LD: is the extension wrong?`",
        ["info", "-O", "{tmp}/jsonld.ttl"], 2, r"jsonld\.ttl:1:1: .*content looks like JSON-LD: is the extension wrong\?"),
    Row("unknown-extension", "Turtle in a .txt file", "read by content; loads, exit 0",
        ["info", *OWN, "{tmp}/turtle.txt"], 0, out=r"triples\s+1\n"),
    Row("owl-functional", "OWL Functional Syntax file", "`... not an RDF syntax ...; convert it to Turtle first, e.g. with ROBOT: robot convert ...`",
        ["info", "-O", "{tmp}/functional.owl"], 2, r"OWL Functional Syntax, which is not an RDF syntax.*robot convert"),
    Row("missing-file", "missing file", "`cannot load nope.ttl: no such file`",
        ["info", "-O", "{tmp}/nope.ttl"], 2, r"nope\.ttl: no such file", script=True),
    Row("directory", "a directory", "`cannot load a-directory: is a directory, not an RDF file`",
        ["info", "-O", "{tmp}/a-directory"], 2, r"a-directory: is a directory, not an RDF file"),
    Row("url-source", "a URL as the file", "`... this is a URL, and genai-graph never downloads anything ...`",
        ["info", "-O", "https://example.org/o.ttl"], 2, r"this is a URL, and genai-graph never downloads anything"),
    Row("huge-file-default-limit", "a 3 GiB file (memory store)", "refused before reading: `the file is 3.0 GiB, over the limit of 2.0 GiB ...; raise the limit with GENAI_GRAPH_MAX_BYTES ..., or use the Oxigraph store, which streams`",
        ["info", "-O", "{tmp}/huge.ttl"], 2, r"huge\.ttl: the file is 3\.0 GiB, over the limit of 2\.0 GiB .*GENAI_GRAPH_MAX_BYTES.*store='oxigraph'",
        env={"GENAI_GRAPH_MAX_BYTES": ""}, check=_library_raises("huge.ttl", r"over the limit of 2\.0 GiB")),
    Row("huge-file-own-limit", "a file over GENAI_GRAPH_MAX_BYTES=1K", "`the file is 3.0 GiB, over the limit of 1.0 KiB ...`",
        ["info", "-O", "{tmp}/huge.ttl"], 2, r"over the limit of 1\.0 KiB", env={"GENAI_GRAPH_MAX_BYTES": "1K"}),
    Row("ill-typed-literal", 'ill-typed literals ("abc"^^xsd:integer, 30 February)', "loads them as written (`triples 2`), exit 0; none of rdflib's logged tracebacks",
        ["info", *OWN, "{tmp}/illtyped.ttl"], 0, out=r"triples\s+2\n", script=True),
    # -- ontology content ----------------------------------------------------
    Row("subclass-cycle", "subClassOf cycle A < B < C < A", "answers at once: `yes: Cc is a kind of Aa` (members of a cycle are equivalent)",
        ["is-a", "Cc", "Aa", *OWN, "{tmp}/cycle.ttl"], 0, out=r"^yes: Cc is a kind of Aa"),
    Row("subclass-cycle-report", "subClassOf cycle, `report`", "an ERROR row naming the cycle, exit 1",
        ["report", "{tmp}/cycle.ttl"], 1, out=r"ERROR.*cycle"),
    Row("punning", "a class that is also an individual", "both readings answer: `yes: Punned is a kind of Top`",
        ["is-a", "Punned", "Top", *OWN, str(MINI)], 0, out=r"^yes: Punned is a kind of Top"),
    Row("punning-instance", "the same punned name as an individual", "`yes: Punned is an instance of Beta`",
        ["is-a", "Punned", "Beta", *OWN, str(MINI)], 0, out=r"^yes: Punned .*Beta"),
    Row("blank-node-expressions", "blank-node class expressions (someValuesFrom, intersectionOf)", "classified by EL: `yes: Zz is a kind of Yy`; no blank node shown as a class",
        ["is-a", "Zz", "Yy", *OWN, "{tmp}/bnodes.ttl"], 0, out=r"^yes: Zz is a kind of Yy"),
    Row("unsupported-construct", "an unsupported OWL construct (owl:maxCardinality)", "`genai-graph: warning: entailment='el' left out constructs it does not support: owl:maxCardinality (1x) ...`; the answer is still right",
        ["is-a", "Yy", "Aa", *OWN, "{tmp}/unsupported.ttl"], 0, r"genai-graph: warning: entailment='el' left out .*owl:maxCardinality \(1x\)", r"^yes: Yy is a kind of Aa"),
    Row("owl-imports", "owl:imports of a web ontology", "`genai-graph: warning: imports.ttl imports <http://purl.obolibrary.org/obo/bfo.owl>, not fetched: genai-graph never downloads anything ...`; the rest answers",
        ["is-a", "Bb", "Aa", *OWN, "{tmp}/imports.ttl"], 0, r"genai-graph: warning: \S*imports\.ttl imports <http://purl\.obolibrary\.org/obo/bfo\.owl>, not fetched", r"^yes: Bb"),
    # -- names ---------------------------------------------------------------
    Row("name-unknown", "unknown name (typo)", "`unknown name 'Large Langauge Modle'; did you mean 'Large Language Model'?`",
        ["is-a", "Large Langauge Modle", "LLM"], 2, r"unknown name 'Large Langauge Modle'; did you mean 'Large Language Model'", script=True),
    Row("name-ambiguous", "ambiguous name", "`ambiguous name 'Shared' matches 2 resources: ex:B, ex:E; pass one of these instead`",
        ["is-a", "Shared", "Top", *OWN, str(MINI)], 2, r"ambiguous name 'Shared' matches 2 resources: ex:B, ex:E; pass one of these instead"),
    Row("name-empty", "empty name", "`empty name: give a label, synonym, CURIE or IRI`",
        ["is-a", "", "LLM"], 2, r"empty name: give a label, synonym, CURIE or IRI"),
    Row("name-whitespace", "whitespace-only name", "`empty name: give a label, synonym, CURIE or IRI`",
        ["is-a", " \t ", "LLM"], 2, r"empty name: give a label, synonym, CURIE or IRI"),
    Row("name-very-long", "a 10,000-character name", "`name too long (10000 characters, limit 2000)`",
        ["is-a", "x" * 10_000, "LLM"], 2, r"name too long \(10000 characters, limit 2000\)"),
    Row("name-lookalike", "Unicode look-alike ('LL\u041c' with a Cyrillic Em)", "`unknown name 'LL\u041c' (it contains U+041C CYRILLIC CAPITAL LETTER EM, a Latin look-alike); did you mean 'LLM'?`",
        ["is-a", "LL\u041c", "Generative AI"], 2, r"unknown name 'LL\u041c' \(it contains U\+041C CYRILLIC CAPITAL LETTER EM, a Latin look-alike\); did you mean 'LLM'"),
    Row("name-zero-width", "a name with an invisible zero-width space ('GPT-4' + U+200B)", "`unknown name 'GPT-4\\u200b' (it contains U+200B ZERO WIDTH SPACE, an invisible character); did you mean 'GPT-4' ...?`",
        ["is-a", "GPT-4\u200b", "LLM"], 2, r"\(it contains U\+200B ZERO WIDTH SPACE, an invisible character\); did you mean 'GPT-4'"),
    # -- SPARQL --------------------------------------------------------------
    Row("sparql-syntax", "SPARQL syntax error", "`SPARQL syntax error at line 2, column 9: unexpected '?x' (expected SelectQuery)` and the line with a caret",
        ["query", "SELECT ?x\nWHERE { ?x ?y }"], 2, r"SPARQL syntax error at line 2, column 9: unexpected '\?x'", script=True),
    Row("sparql-update", "an update through `query`", "`query() is read-only and this is a SPARQL update; ...`",
        ["query", "DELETE WHERE { ?s ?p ?o }"], 2, r"read-only and this is a SPARQL update"),
    Row("sparql-service", "SERVICE", "`SERVICE clauses are refused: they would send the query over the network ...`",
        ["query", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], 2, r"SERVICE clauses are refused"),
    Row("sparql-timeout", "a runaway query with `--timeout 0.5`", "`the query ran past its time limit of 0.5 s and was stopped`",
        ["query", "--timeout", "0.5", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"], 2, r"time limit of 0\.5 s"),
    Row("sparql-huge-result", "a huge result with `--max-rows 5`", "5 rows, and `genai-graph: note: showing the first 5 rows; there are more (raise --max-rows)`",
        ["query", "--max-rows", "5", "--format", "csv", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"], 0, r"showing the first 5 rows; there are more", r"^s,p,o\r?\n(?:[^\n]*\n){5}$"),
    Row("sparql-hostile-binding", "hostile binding value (`\" } ; DROP ALL ; ...`)", "treated as a string literal: no match, graph unchanged (library `bindings=`)",
        ["query", "ASK { ?s ?p ?o }"], 0, out=r"^true\n$", check=_hostile_binding),
    # -- command line --------------------------------------------------------
    Row("cli-unknown-command", "unknown command", "argparse usage and `genai-graph: error: argument COMMAND: invalid choice: 'frob' ...`, exit 2",
        ["frob"], 2, r"invalid choice: 'frob'", script=True),
    Row("cli-missing-argument", "missing argument", "`genai-graph is-a: error: the following arguments are required: y`",
        ["is-a", "LLM"], 2, r"error: the following arguments are required: y"),
    Row("cli-bad-number", "a bad option value (`--depth two`)", "`error: argument --depth: invalid int value: 'two'`",
        ["viz", "-o", "{tmp}/x.html", "--depth", "two"], 2, r"argument --depth: invalid int value: 'two'"),
    Row("cli-inconsistent-options", "`--depth` without `--focus`", "`genai-graph: error: --depth needs --focus`",
        ["viz", "-o", "{tmp}/x.html", "--depth", "2"], 2, r"--depth needs --focus", check=_absent("x.html")),
    Row("output-missing-dir", "output into a missing directory", "`cannot write '.../no-such-dir/x.html': No such file or directory`",
        ["viz", "-o", "{tmp}/no-such-dir/x.html"], 2, r"cannot write '.*no-such-dir/x\.html': No such file or directory"),
    Row("output-under-a-file", "output path under a regular file", "`cannot write '.../a-file/x.html': Not a directory`",
        ["viz", "-o", "{tmp}/a-file/x.html"], 2, r"cannot write '.*a-file/x\.html': Not a directory"),
    Row("output-is-a-directory", "output path that is a directory", "`cannot write '...': it is a directory`",
        ["report", "-o", "{tmp}/a-directory"], 2, r"cannot write '.*a-directory': it is a directory"),
    Row("output-exists-write-fails", "existing output file, disk full mid-write", "`cannot write '.../old.html': No space left on device`; the old file intact, no temporary file left",
        ["viz", "-o", "{tmp}/old.html"], 2, r"cannot write '.*old\.html': No space left on device",
        patch=_raise_in_write(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))), check=_unchanged("old.html")),
    Row("output-exists-report-fails", "existing report file, disk full mid-write", "`cannot write '.../old.txt': No space left on device`; the old file intact",
        ["report", "-o", "{tmp}/old.txt"], 2, r"cannot write '.*old\.txt': No space left on device",
        patch=_raise_in_write(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))), check=_unchanged("old.txt")),
    Row("interrupted-existing", "Ctrl-C while writing over an existing file", "`genai-graph: interrupted`, exit 130; the old file intact, no temporary file left",
        ["viz", "-o", "{tmp}/old.html"], 130, r"^genai-graph: interrupted\n$",
        patch=_raise_in_write(KeyboardInterrupt()), check=_unchanged("old.html")),
    Row("interrupted-new", "Ctrl-C while writing a new file", "`genai-graph: interrupted`, exit 130; no file, no temporary file",
        ["export", "-o", "{tmp}/new.graphml"], 130, r"^genai-graph: interrupted\n$",
        patch=_raise_in_write(KeyboardInterrupt()), check=_absent("new.graphml")),
]  # fmt: skip


def TABLE() -> list[tuple[str, str, str]]:  # noqa: N802  # the name the README test will look for
    """Return the rows as (input, what the user sees, test id), for the README's table."""
    return [(row.input, row.sees, f"test_bad_input.py::test_bad_input[{row.id}]") for row in ROWS]


def _argv(row: Row, tmp: Path) -> list[str]:
    return [arg.replace("{tmp}", str(tmp)) for arg in row.argv]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input(
    row: Row, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The input gets its exit status and message, no traceback, and no file is harmed."""
    _files(tmp_path)
    for key, value in row.env.items():
        monkeypatch.setenv(key, value)
    if row.patch is not None:
        row.patch(monkeypatch)
    try:
        code = main(_argv(row, tmp_path))
    except SystemExit as exit_:  # argparse's own errors
        code = exit_.code if isinstance(exit_.code, int) else 2
    out, err = capsys.readouterr()
    assert code == row.code, (out, err)
    assert "Traceback" not in out + err
    if row.code == 2:
        errors = [
            line for line in err.splitlines() if re.match(r"genai-graph[\w -]*: error: ", line)
        ]
        assert len(errors) == 1, err  # one line says what is wrong
        assert re.search(row.err, errors[0]), err
    elif row.err:
        assert re.search(row.err, err, re.MULTILINE), err
    else:
        assert "error" not in err, err
    if row.out:
        assert re.search(row.out, out, re.MULTILINE), out
    if row.check is not None:
        row.check(tmp_path)


SCRIPT_ROWS = [row for row in ROWS if row.script]


@pytest.mark.slow
@pytest.mark.parametrize("row", SCRIPT_ROWS, ids=[row.id for row in SCRIPT_ROWS])
def test_bad_input_console_script(row: Row, tmp_path: Path) -> None:
    """The installed genai-graph command answers these rows the same way, in a fresh process."""
    _files(tmp_path)
    done = subprocess.run(
        [require("the genai-graph console script", SCRIPT), *_argv(row, tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **row.env},
    )
    assert done.returncode == row.code
    assert "Traceback" not in done.stdout + done.stderr
    assert re.search(row.err, done.stderr), done.stderr
    if row.code != 2:
        assert done.stderr == "", done.stderr  # nothing logged, nothing warned


def test_table_ids_are_unique_and_complete() -> None:
    """Every row has an id, an input and what the user sees; ids are unique."""
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))
    assert all(row.input and row.sees for row in ROWS)
    assert len(TABLE()) == len(ROWS) >= 40
