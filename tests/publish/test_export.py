"""Exports a consumer can trust: deterministic bytes, literals exactly as written, every format
round-trips, named graphs per source, a generated data set description, canonical files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from tests.conftest import REPO, RGID, WORLD_LAYER_FILES, run_cli
from relgraph.publish.canonical import canonical_triples, canonical_turtle
from relgraph.publish.export import EXPORT_FORMATS, dataset_description, export_quads, export_triples, serialize_graph
from relgraph.publish.jsonld import to_json_ld
from relgraph.graph.loading import load

XSD = "http://www.w3.org/2001/XMLSchema#"
PARSE = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
         "rdfxml": ox.RdfFormat.RDF_XML, "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def ntriples_text(triples) -> list[str]:
    """Canonical N-Triples lines: literal-by-literal comparison, blank nodes canonicalized."""
    return sorted(str(t) for t in canonical_triples(triples))


def parse_back(data: bytes, fmt: str) -> list[ox.Triple]:
    return [q.triple for q in ox.parse(data, format=PARSE[fmt])]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("facts_only", [False, True])
def test_every_format_round_trips_the_shipped_graph_with_identical_literals(loaded, fmt, facts_only) -> None:
    data = serialize_graph(loaded, fmt, facts_only=facts_only)
    expected = ntriples_text([*loaded.triples(facts_only=facts_only), *dataset_description(loaded)])
    assert ntriples_text(parse_back(data, fmt)) == expected
    # and an independent parser agrees on the graph
    graph = rdflib.Dataset() if fmt in ("trig", "nquads") else rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format={"nt": "nt", "json-ld": "json-ld", "nquads": "nquads", "rdfxml": "xml"}.get(fmt, fmt))
    merged = rdflib.Graph()
    for triple in graph.triples((None, None, None)) if fmt not in ("trig", "nquads") else graph.quads((None, None, None, None)):
        merged.add(triple[:3])
    reference = rdflib.Graph().parse(data="".join(line + " .\n" for line in expected), format="nt")
    assert isomorphic(merged, reference)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_a_second_export_is_byte_identical_even_in_another_process(loaded, fmt, tmp_path) -> None:
    first = serialize_graph(loaded, fmt)
    assert serialize_graph(load(loaded.layout), fmt) == first
    target = tmp_path / f"again.{fmt}"
    done = subprocess.run([sys.executable, "-m", "relgraph", "--root", str(loaded.layout.root), "export", "--format", fmt, "-o", str(target)],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == first


def test_export_keeps_lexical_forms_the_store_would_change(loaded) -> None:
    nt = serialize_graph(loaded, "nt", facts_only=True).decode("utf-8")
    assert '"145"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>' in nt
    assert '"45.4"^^<http://www.w3.org/2001/XMLSchema#decimal>' in nt
    assert '"2013"^^<http://www.w3.org/2001/XMLSchema#gYear>' in nt
    assert '"Российско-таджикские отношения"@ru' in nt
    assert "startEarliest" not in nt and "BestRank" not in nt


def test_named_graphs_are_the_sources(loaded) -> None:
    quads = export_quads(loaded)
    by_graph: dict[str, set[str]] = {}
    for q in quads:
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        by_graph.setdefault(name, set()).add(q.subject.value if isinstance(q.subject, ox.NamedNode) else "_")
    assert RGID + "membership-tajikistan-cis" in by_graph[RGID + "source-alma-ata-protocol-text"]
    assert RGID + "membership-tajikistan-cis" in by_graph[RGID + "source-wp-rt-allies"]
    assert RGID + "crocus-city-hall-attack-deaths-indictment-2025" in by_graph[RGID + "page-avtoradio-citing-ria-nov-a7d4e33d"]
    assert RGID + "crocus-city-hall-attack-deaths-wikipedia" not in by_graph[RGID + "page-avtoradio-citing-ria-nov-a7d4e33d"]
    assert "https://w3id.org/relgraph/ontology#State" in by_graph["https://w3id.org/relgraph/ontology"]
    assert RGID + "source-tass-717945" in by_graph[""]
    assert len({q.triple for q in quads}) == len(export_triples(loaded))


def test_the_data_set_description_is_generated(loaded) -> None:
    described = {(t.predicate.value.rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(t.object)) for t in dataset_description(loaded)}
    facts = loaded.triples(facts_only=True)
    assert ("triples", f'"{len(facts)}"^^<{XSD}integer>') in described
    assert ("hasVersion", '"0.1.0"') in described
    assert ("issued", f'"2026-11-29"^^<{XSD}date>') in described
    assert ("conformsTo", "<https://w3id.org/relgraph/shapes>") in described
    assert ("source", f"<{RGID}source-wikipedia-russia-tajikistan-relations>") in described
    assert ("source", f"<{RGID}source-wp-rt-fn4>") not in described  # parts count as their document


def test_json_ld_embeds_the_committed_context_unless_asked(loaded) -> None:
    document = json.loads(serialize_graph(loaded, "json-ld"))
    context = json.loads((REPO / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert document["@context"] == context
    referenced = json.loads(serialize_graph(loaded, "json-ld", context_url="https://example.org/relgraph-context.jsonld"))
    assert referenced["@context"] == "https://example.org/relgraph-context.jsonld"


def test_the_committed_context_has_exactly_the_projects_prefixes() -> None:
    from relgraph.namespaces import PREFIXES

    context = json.loads((REPO / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert context == PREFIXES


@pytest.mark.parametrize(("frame", "a_node", "types"), [
    ("state", "tajikistan", {"rg:State"}),
    ("organisation", "csto", {"rg:MilitaryAlliance"}),
    ("treaty", "rome-statute", {"rg:MultilateralTreaty"}),
    ("incident", "crocus-city-hall-attack", {"rg:Attack"}),
])
def test_frames_nest_documents_per_type(loaded, frame, a_node, types) -> None:
    document = json.loads(serialize_graph(loaded, "json-ld", frame=frame))
    tops = {node["@id"]: node for node in document["@graph"]}
    assert f"rgid:{a_node}" in tops
    assert set(tops[f"rgid:{a_node}"]["@type"] if isinstance(tops[f"rgid:{a_node}"]["@type"], list) else [tops[f"rgid:{a_node}"]["@type"]]) == types


def test_an_unknown_frame_is_a_clear_error() -> None:
    result = run_cli("export", "--format", "json-ld", "--frame", "planet")
    assert result.code == 2 and "no frame is called 'planet'; choose one of: incident, organisation, state, treaty" in result.stderr
    result = run_cli("export", "--format", "turtle", "--frame", "state")
    assert result.code == 2 and "--frame and --context-url go with --format json-ld" in result.stderr


def test_no_json_ld_document_is_ever_fetched(loaded, monkeypatch) -> None:
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    for frame in (None, "state"):
        assert serialize_graph(loaded, "json-ld", frame=frame)


# ---------------------------------------------------- contexts that would be loaded

NEVER = "relgraph never loads JSON-LD documents from the file system or the network"
# Runs relgraph with an audit hook that reports every file opened under the name "elsewhere"
# and every socket connection: a context that would be loaded must be refused before either.
AUDITED = """
import sys
def hook(event, args):
    if event == "open" and "elsewhere" in str(args[0]):
        print("OPENED " + str(args[0]), file=sys.stderr)
    if event == "socket.connect":
        print("CONNECTED " + str(args[1]), file=sys.stderr)
sys.addaudithook(hook)
from relgraph.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _audited(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", AUDITED, *args], capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def context_root(tmp_path_factory):
    from tests.conftest import copy_root

    root = copy_root(tmp_path_factory.mktemp("contexts"))
    good = root / "ontology" / "elsewhere.jsonld"  # a usable context beside it: never read
    shutil.copy(root / "ontology" / "context.jsonld", good)
    return root


def test_the_audit_hook_sees_a_file_being_read(context_root) -> None:
    """The check below can fail: reading the file named "elsewhere" is reported."""
    done = _audited("--root", str(context_root), "sparql", str(context_root / "ontology" / "elsewhere.jsonld"))
    assert "OPENED" in done.stderr and done.returncode == 2


CONTEXT_CASES = [
    # (which file, its JSON, the reference or problem the message names, what it says to do)
    ("context", {"@context": "elsewhere.jsonld"}, '"elsewhere.jsonld" (a relative IRI)', "copy its term definitions"),
    ("context", {"@context": "file:///tmp/elsewhere.jsonld"}, '"file:///tmp/elsewhere.jsonld" (a file on this machine)', "copy its term definitions"),
    ("context", {"@context": "http://127.0.0.1:9/elsewhere.jsonld"}, '"http://127.0.0.1:9/elsewhere.jsonld" (a document on the network)', "copy its term definitions"),
    ("context", {"@context": ["elsewhere.jsonld", {"rg": "https://w3id.org/relgraph/ontology#"}]}, '"elsewhere.jsonld" (a relative IRI)', "copy its term definitions"),
    ("context", {"@context": {"@import": "https://example.org/elsewhere.jsonld"}}, '"@import" refers to the context document "https://example.org/elsewhere.jsonld"', "copy its term definitions"),
    ("context", {"@context": {"rg": {"@id": "https://w3id.org/relgraph/ontology#", "@context": "elsewhere.jsonld"}}}, '"elsewhere.jsonld" (a relative IRI)', "copy its term definitions"),
    ("context", {"@context": {"@vocab": 5}}, 'not a usable JSON-LD context or frame: Invalid JSON-LD syntax; the value of "@vocab" in a @context must be a string or null', "correct it"),
    ("context", {"@context": {"@base": "elsewhere/"}}, '"@base" is the relative IRI "elsewhere/"', "give an absolute IRI or remove it"),
    ("context", {"@context": {"rg": {"@id": "elsewhere"}}}, "@context @id value must be an absolute IRI", "correct it"),
    ("context", {"@context": 5}, '"@context" must be an object, null or an array of objects, not a number', "correct it"),
    ("context", {"prefixes": {}}, 'holds no "@context"', '{"@context": {"prefix": "namespace IRI", …}}'),
    ("context", ["elsewhere.jsonld"], "must hold one JSON object, not an array", "correct it"),
    ("frame", {"@context": "elsewhere.jsonld", "@type": "rg:State"}, '"elsewhere.jsonld" (a relative IRI)', "copy its term definitions"),
    ("frame", {"@context": ["https://example.org/elsewhere.jsonld"], "@type": "rg:State"}, '"https://example.org/elsewhere.jsonld" (a document on the network)', "copy its term definitions"),
    ("frame", {"@type": "rg:State", "rg:x": {"@context": "file:elsewhere.jsonld"}}, '"file:elsewhere.jsonld" (a file on this machine)', "copy its term definitions"),
    ("frame", {"@type": "rg:State", "@embed": "@sometimes"}, "Invalid JSON-LD syntax; invalid value of @embed", "correct it"),
]


@pytest.mark.parametrize(("which", "content", "named", "advice"), CONTEXT_CASES)
def test_an_unusable_json_ld_context_or_frame_is_exit_2_saying_why(context_root, which, content, named, advice) -> None:
    target = context_root / "ontology" / ("context.jsonld" if which == "context" else "frames/state.jsonld")
    kept = target.read_bytes()
    target.write_text(json.dumps(content), encoding="utf-8")
    out = context_root / "out.jsonld"
    try:
        args = ["--root", str(context_root), "export", "--format", "json-ld", "-o", str(out)] + (["--frame", "state"] if which == "frame" else [])
        done = _audited(*args)
        described = _audited("--root", str(context_root), "describe", "tajikistan", "--format", "json-ld") if which == "context" or "@embed" not in json.dumps(content) else None
    finally:
        target.write_bytes(kept)
    assert done.returncode == 2, done.stderr
    message = done.stderr.strip()
    assert message.startswith("Error: ") and "\n" not in message, "one line, without a traceback"
    assert str(target) in message and named in message and advice in message
    if "refers to" in message or "not a usable" in message:
        assert NEVER in message
    assert "OPENED" not in done.stderr and "CONNECTED" not in done.stderr, "a context was read or fetched"
    assert not out.exists()
    if described is not None:  # describe's framed JSON-LD goes through the same checks
        assert described.returncode == 2 and named in described.stderr and "OPENED" not in described.stderr, described.stderr


# ------------------------------------------------------------------- canonical files


def test_the_shipped_graph_files_are_canonical() -> None:
    result = run_cli("export", "--check")
    assert result.code == 0 and "All 16 files are in canonical form." in result.stderr


def test_check_names_a_file_that_is_not_canonical_and_format_rewrites_it(tmp_path) -> None:
    root = tmp_path / "root"
    for folder in ("ontology", "queries", "graph"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("tables", "datasets", *WORLD_LAYER_FILES))  # the hand-written graph
    states = root / "graph" / "states.ttl"
    states.write_text("# a comment\n" + states.read_text(encoding="utf-8"), encoding="utf-8")
    check = run_cli("--root", str(root), "export", "--check")
    assert check.code == 1 and "Not in canonical form:" in check.stderr and "states.ttl" in check.stderr
    before = rdflib.Graph().parse(states)
    rewrite = run_cli("--root", str(root), "format")
    assert rewrite.code == 0 and "Rewrote 1 of 16 files" in rewrite.stderr
    assert states.read_bytes() == (REPO / "graph" / "states.ttl").read_bytes()
    assert isomorphic(before, rdflib.Graph().parse(states))
    assert run_cli("--root", str(root), "format", "--check").code == 0


# --------------------------------------------------------------- property-based round trip

IRIS = st.sampled_from([f"https://example.org/n/{c}" for c in "abcdef"])
DOUBLES = st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f:.14E}")
DECIMALS = st.tuples(st.integers(-10**6, 10**6), st.integers(0, 99)).map(lambda p: f"{p[0]}.{p[1]:02d}")
LEXICAL = st.one_of(
    DOUBLES.map(lambda v: (v, XSD + "double")),
    DECIMALS.map(lambda v: (v, XSD + "decimal")),
    st.sampled_from(["1.50", "+05", "007", "-0"]).map(lambda v: (v, XSD + "decimal" if "." in v else XSD + "integer")),
    st.sampled_from(["2020-01-01+05:00", "2024-03-22Z", "1992-04-08", "2024-02-29-03:30"]).map(lambda v: (v, XSD + "date")),
    st.sampled_from(["2013", "1997", "0044"]).map(lambda v: (v, XSD + "gYear")),
    st.sampled_from(["2011-09", "2022-05"]).map(lambda v: (v, XSD + "gYearMonth")),
    st.sampled_from(["true", "1", "false"]).map(lambda v: (v, XSD + "boolean")),
)
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
OBJECTS = st.one_of(
    IRIS.map(ox.NamedNode),
    LEXICAL.map(lambda p: ox.Literal(p[0], datatype=ox.NamedNode(p[1]))),
    TEXT.map(ox.Literal),
    st.tuples(st.sampled_from(["Россия", "Таджикистан", "Душанбе", "relations"]), st.sampled_from(["ru", "en", "tg"])).map(
        lambda p: ox.Literal(p[0], language=p[1])
    ),
)
TRIPLES = st.lists(st.tuples(IRIS, IRIS, OBJECTS).map(lambda t: ox.Triple(ox.NamedNode(t[0]), ox.NamedNode(t[1]), t[2])), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(triples=TRIPLES)
def test_every_format_round_trips_generated_graphs_with_identical_literals(layout, triples) -> None:
    expected = ntriples_text(triples)
    outputs = {
        "turtle": canonical_turtle(triples),
        "nt": ox.serialize(canonical_triples(triples), format=ox.RdfFormat.N_TRIPLES),
        "json-ld": to_json_ld(triples, layout),
    }
    named = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://example.org/g/" + str(i % 2))) for i, t in enumerate(triples)]
    outputs["trig"] = ox.serialize(named, format=ox.RdfFormat.TRIG)
    outputs["nquads"] = ox.serialize(named, format=ox.RdfFormat.N_QUADS)
    from relgraph.errors import ExportError
    from relgraph.publish.rdfxml import refusal
    from relgraph.publish.serialize import serialize_triples

    if any(refusal(t) for t in triples):  # XML 1.0 cannot hold some control characters
        with pytest.raises(ExportError, match="which XML 1.0 cannot hold"):
            serialize_triples(canonical_triples(triples), "rdfxml")
    else:
        outputs["rdfxml"] = serialize_triples(canonical_triples(triples), "rdfxml")
    for fmt, data in outputs.items():
        assert ntriples_text(parse_back(data, fmt)) == expected, fmt
    assert canonical_turtle(list(reversed(triples))) == outputs["turtle"]


def test_generated_graph_round_trip_covers_the_hard_literals(layout) -> None:
    """The cases the issue names, written out once so they are always checked."""
    hard = [
        ox.Literal("1.23456789012345E-7", datatype=ox.NamedNode(XSD + "double")),
        ox.Literal("1.50", datatype=ox.NamedNode(XSD + "decimal")),
        ox.Literal("2020-01-01+05:00", datatype=ox.NamedNode(XSD + "date")),
        ox.Literal("2013", datatype=ox.NamedNode(XSD + "gYear")),
        ox.Literal("Российско-таджикские отношения", language="ru"),
        ox.Literal("+05", datatype=ox.NamedNode(XSD + "integer")),
    ]
    triples = [ox.Triple(ox.NamedNode("https://example.org/n/a"), ox.NamedNode(f"https://example.org/p/{i}"), o) for i, o in enumerate(hard)]
    for data, fmt in ((canonical_turtle(triples), "turtle"), (to_json_ld(triples, layout), "json-ld")):
        assert sorted(str(t.object) for t in parse_back(data, fmt)) == sorted(str(o) for o in hard)
