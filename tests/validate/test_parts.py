"""Validation in parts: what a shape reads (its walks), validating parts of the graph with exactly
the results of validating it whole, validate --changed-since (a removed source breaks claims in
files that did not change, and they are reported), and validate --store."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import rdflib

from tests.conftest import DATA, RGID, copy_root, nonempty, run_cli
from relgraph.graph.loading import load
from relgraph.validate.parts import ShapeContext, binds_this_at_top, focus_candidates, sparql_constraints, sparql_results, validate_partitioned
from relgraph.validate.reach import Step, Unbounded, query_walks, shape_walks
from relgraph.validate.whole import validate

RG = "https://w3id.org/relgraph/ontology#"
SH = "http://www.w3.org/ns/shacl#"
RG_SHAPES = "https://w3id.org/relgraph/shapes#"
FIXTURES = nonempty(sorted((DATA / "shapes" / "invalid").glob("*.ttl")) + sorted((DATA / "shapes" / "valid").glob("*.ttl")))


def keys(report) -> list[tuple]:
    return sorted(("_:" if r.focus_node.startswith("_:") else r.focus_node, *r.key()[1:]) for r in report.results)


def full(report) -> list[tuple]:
    """Every field of every result but blank-node ids and file locations (the store here holds a
    fixture, not the root's files): message, value and shape too."""
    return sorted(
        (*key, r.value if not (r.value or "").startswith("_:") else "_:", r.message, r.source_shape or "", r.focus_label or "")
        for key, r in zip(keys_unsorted(report), report.results)
    )


def keys_unsorted(report) -> list[tuple]:
    return [("_:" if r.focus_node.startswith("_:") else r.focus_node, *r.key()[1:]) for r in report.results]


# ------------------------------------------------------------------------------------- walks


def test_the_shapes_read_codes_across_states_and_actions_of_the_same_actor(layout) -> None:
    store = load(layout).store
    walks = ShapeContext.of(layout, store).walks.walks
    alpha3 = RG + "iso3166Alpha3"
    # the unique-code constraint reads the code, then every node with the same code
    assert (Step(alpha3, True), Step(alpha3, False)) in walks
    # treaty actions compare dates with other actions of the same actor
    assert (Step(RG + "actor", True), Step(RG + "actor", False), Step(RG + "dateEarliest", True)) in walks
    assert max(len(w) for w in walks) == 3


def _shapes(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data="@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .\n" + text, format="turtle")


@pytest.mark.parametrize(
    ("shapes", "reason"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:node ex:S ] .", "refers to itself"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .", "can read arbitrarily far"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "is closed"),
    ],
)
def test_shapes_whose_reach_has_no_bound_are_refused(shapes, reason) -> None:
    with pytest.raises(Unbounded, match=reason):
        shape_walks(_shapes(shapes), "")


def test_union_branches_are_walked_apart() -> None:
    walks = query_walks(
        "PREFIX ex: <https://example.org/> SELECT ?this WHERE { { $this ex:a ?day } UNION { $this ex:b ?doc . ?doc ex:date ?day } }",
        ["this"],
    ).walks
    a, b, date = (Step(f"https://example.org/{n}", True) for n in ("a", "b", "date"))
    assert (b, date) in walks
    # the branches do not meet at ?day: no walk reads ex:a and then ex:date backwards
    assert not [w for w in walks if len(w) > 1 and w[0] == a]


def test_a_pattern_not_connected_to_the_focus_node_is_refused() -> None:
    with pytest.raises(Unbounded, match="not connected"):
        query_walks("PREFIX ex: <https://example.org/> SELECT ?this WHERE { $this ex:a ?x . ?y ex:b ?z }", ["this"])


# --------------------------------------------------------------------------------- parts


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_validating_in_parts_gives_exactly_the_results_of_validating_whole(layout, fixture) -> None:
    whole = validate(layout, [fixture], standalone=True)
    store = load(layout, [fixture], include_root_facts=False).store
    nodes = focus_candidates(store, ShapeContext.of(layout, store))
    assert nodes
    parts = validate_partitioned(layout, store, part_size=max(1, len(nodes) // 3))
    assert full(parts) == full(whole)


def test_every_shipped_sparql_constraint_runs_once_over_the_store(layout) -> None:
    store = load(layout).store
    context = ShapeContext.of(layout, store)
    shipped = set(context.shapes.subject_objects(rdflib.URIRef(SH + "sparql")))
    assert len(shipped) == 11
    assert {(rdflib.URIRef(c.shape), c.node) for c in context.constraints} == shipped
    # the shapes pySHACL applies to parts keep no SPARQL-based constraint, and nothing else is lost
    assert not set(context.part_shapes.subject_objects(rdflib.URIRef(SH + "sparql")))
    assert len(context.part_shapes) == len(context.shapes) - 11
    unique = next(c for c in context.constraints if c.shape == RG_SHAPES + "StateShape")
    assert unique.severity.name == "VIOLATION"
    assert unique.messages == ("Another state ({?value}) has the same ISO 3166-1 code: each code names one state.",)


def test_a_sparql_constraint_on_the_store_reports_what_pyshacl_reports(layout) -> None:
    fixture = DATA / "shapes" / "invalid" / "states-sharing-an-alpha3-code.ttl"
    store = load(layout, [fixture], include_root_facts=False).store
    raws = sparql_results(store, ShapeContext.of(layout, store).constraints)
    alpha, gamma = "https://example.org/fixture/alpha", "https://example.org/fixture/gamma"
    assert sorted((r[0], r[1], r[2], r[3], r[4].name, r[6]) for r in raws) == [
        (alpha, RG + "iso3166Alpha3", gamma, SH + "SPARQLConstraintComponent", "VIOLATION", RG_SHAPES + "StateShape"),
        (gamma, RG + "iso3166Alpha3", alpha, SH + "SPARQLConstraintComponent", "VIOLATION", RG_SHAPES + "StateShape"),
    ]
    assert {r[5] for r in raws} == {
        f"Another state ({gamma}) has the same ISO 3166-1 code: each code names one state.",
        f"Another state ({alpha}) has the same ISO 3166-1 code: each code names one state.",
    }
    whole = validate(layout, [fixture], standalone=True)
    assert sorted((r.focus_node, r.value, r.message) for r in whole.results) == sorted((r[0], r[2], r[5]) for r in raws)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("SELECT $this WHERE { $this ex:p ?o }", True),
        ("SELECT $this ?v WHERE { $this ex:p ?o . FILTER (?o > 1) BIND (?o AS ?v) }", True),
        ("SELECT $this WHERE { $this ex:p ?o OPTIONAL { $this ex:q ?x } }", True),
        ("SELECT $this WHERE { $this ex:p ?o MINUS { ?o ex:q ?x } }", True),
        # only in a branch, an OPTIONAL, a filter or a sub-query: pre-binding differs from a join
        ("SELECT $this WHERE { { $this ex:p ?o } UNION { ?o ex:q ?x } }", False),
        ("SELECT ?o WHERE { ?o ex:p ?x OPTIONAL { $this ex:q ?o } }", False),
        ("SELECT ?o WHERE { ?o ex:p ?x FILTER NOT EXISTS { $this ex:q ?o } }", False),
        ("SELECT ?o WHERE { { SELECT $this ?o WHERE { $this ex:p ?o } } }", False),
        ("SELECT ?o WHERE { ?o ex:p ?x FILTER (?o = $this) }", False),
        # not projected, cut by LIMIT, aggregated, or read where the group does not bind it
        ("SELECT ?value WHERE { $this ex:p ?value }", False),
        ("SELECT $this WHERE { $this ex:p ?o } LIMIT 1", False),
        ("SELECT $this (COUNT(?o) AS ?n) WHERE { $this ex:p ?o } GROUP BY $this", False),
        ("SELECT $this ?value WHERE { BIND (STR($this) AS ?n) $this ex:label ?value FILTER (?value = ?n) }", False),
        ("SELECT $this ?value WHERE { $this a ex:C . { ?value ex:q ?z FILTER (?z = $this) } UNION { $this ex:r ?value } }", False),
        ("SELECT $this ?value WHERE { $this a ex:C . { $this ex:q ?value } UNION { $this ex:r ?value } }", True),
        # a query rdflib cannot read is left to pySHACL, which reports it
        ("SELECT $this WHERE { $this ex:p ", False),
    ],
)
def test_which_constraints_bind_this_at_the_top_level(body, expected) -> None:
    assert binds_this_at_top("PREFIX ex: <https://example.org/>\n" + body) is expected


def test_validating_the_shipped_graph_in_two_processes(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    result = run_cli("validate", "--jobs", "2")
    assert result.code == 0, result.stdout
    assert result.stdout.strip().endswith("0 violations, 0 warnings, 0 infos; conforms.")


# ------------------------------------------------------------------------ --changed-since


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), "-c", "user.name=test", "-c", "user.email=test@example.org", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git repository holding a copy of the shipped root, committed."""
    root = copy_root(tmp_path / "repo")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the shipped graph")
    return root


def _remove_block(path: Path, subject: str) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(f"\n{subject} a ") + 1
    end = text.find("\n\n", start)
    path.write_text(text[:start] + (text[end + 2 :] if end != -1 else ""), encoding="utf-8")


SCO_SOURCE = "rgid:source-china-org-cn-sco-feature"


def test_removing_a_source_reports_the_unchanged_claims_that_cite_it(repository) -> None:
    _remove_block(repository / "graph" / "sources.ttl", SCO_SOURCE)
    changed = run_cli("--root", str(repository), "validate", "--changed-since", "HEAD", "--format", "json")
    full = run_cli("--root", str(repository), "validate", "--format", "json")
    assert changed.code == full.code == 1
    found = json.loads(changed.stdout)["results"]
    assert [(r["focusNode"], r["resultPath"], r["sourceConstraintComponent"]) for r in found] == [
        (r["focusNode"], r["resultPath"], r["sourceConstraintComponent"]) for r in json.loads(full.stdout)["results"]
    ]
    # the source was removed from graph/sources.ttl, but the claims that break are in other files
    files = {r["file"] for r in found if r["file"]}
    assert {"graph/memberships.ttl", "graph/events.ttl", "graph/organisations.ttl", "graph/places.ttl"} <= {f.removeprefix(str(repository) + "/") for f in files}
    assert "https://w3id.org/relgraph/id/membership-tajikistan-sco" in {r["focusNode"] for r in found}
    assert {r["sourceConstraintComponent"] for r in found} == {"http://www.w3.org/ns/shacl#ClassConstraintComponent", "http://www.w3.org/ns/shacl#OrConstraintComponent"}
    # the removed source itself, still cited, can no longer be found again (no URL): defined in no file
    assert [(r["focusNode"], r["file"]) for r in found if r["sourceConstraintComponent"].endswith("#OrConstraintComponent")] == [(RGID + SCO_SOURCE.removeprefix("rgid:"), None)]
    assert "1 files changed since HEAD (0 triples added, 5 removed): validated" in changed.stderr


def test_a_change_that_breaks_nothing_validates_only_what_it_touches(repository) -> None:
    memberships = repository / "graph" / "memberships.ttl"
    memberships.write_text(
        memberships.read_text(encoding="utf-8") + '\nrgid:membership-russia-sco rg:end "2030"^^xsd:gYear ; prov:wasDerivedFrom rgid:source-wp-rt-fn2 .\n',
        encoding="utf-8",
    )
    result = run_cli("--root", str(repository), "validate", "--changed-since", "HEAD")
    assert result.code == 0, result.stdout
    note = result.stderr.strip()
    assert note.startswith("1 files changed since HEAD (2 triples added, 0 removed): validated ")
    touched = int(note.split("validated ")[1].split()[0])
    assert 2 <= touched < 100  # the claim, its state, organisation, rival claims; not the graph


def test_a_changed_shape_validates_everything(repository) -> None:
    shapes = repository / "ontology" / "shapes" / "claims.shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run_cli("--root", str(repository), "validate", "--changed-since", "HEAD")
    assert result.code == 0
    assert result.stderr.strip() == "The ontology, shapes or checks changed since HEAD (ontology/shapes/claims.shapes.ttl): validated everything."


def test_an_unknown_revision_is_a_clear_error(repository, tmp_path) -> None:
    result = run_cli("--root", str(repository), "validate", "--changed-since", "no-such-branch")
    assert result.code == 2
    assert "'no-such-branch' is not a revision of this git repository" in result.stderr
    plain = copy_root(tmp_path / "plain")
    outside = run_cli("--root", str(plain), "validate", "--changed-since", "HEAD")
    assert outside.code == 2 and "git rev-parse" in outside.stderr


def test_changed_since_cannot_be_combined_with_files(repository) -> None:
    result = run_cli("--root", str(repository), "validate", "--changed-since", "HEAD", str(repository / "graph" / "states.ttl"))
    assert result.code == 2 and "PATHS and --changed-since cannot be combined" in result.stderr


# ---------------------------------------------------------------------------------- --store


def test_validating_a_store_equals_validating_its_files(repository, tmp_path) -> None:
    _remove_block(repository / "graph" / "sources.ttl", SCO_SOURCE)
    store = tmp_path / "store"
    assert run_cli("--root", str(repository), "load", "--store", str(store)).code == 0
    parts = run_cli("--root", str(repository), "validate", "--store", str(store), "--jobs", "2", "--format", "json")
    whole = run_cli("--root", str(repository), "validate", "--format", "json")
    assert parts.code == whole.code == 1
    assert json.loads(parts.stdout) == json.loads(whole.stdout)


def _constraint_shapes(extra: str) -> rdflib.Graph:
    return _shapes(
        """@prefix ex: <https://example.org/> .
        ex:Unique a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:message "same code as {?value}" ; sh:select "SELECT $this ?value WHERE { $this <https://example.org/code> ?c . ?value <https://example.org/code> ?c . FILTER (?value != $this) }" ] .
        """
        + extra
    )


@pytest.mark.parametrize(
    ("extra", "moved"),
    [
        ("", {"Unique"}),
        # used by another shape: pySHACL evaluates it on that shape's value nodes too
        ("ex:Other a sh:NodeShape ; sh:targetClass ex:D ; sh:property [ sh:path ex:p ; sh:node ex:Unique ] .", set()),
        ("ex:Other a sh:NodeShape ; sh:targetClass ex:D ; sh:or ( ex:Unique [ sh:class ex:E ] ) .", set()),
        # a message on the shape itself, or none on the constraint: pySHACL chooses the message
        ("ex:Unique sh:message \"shape message\" .", set()),
        ("ex:Bare a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select \"SELECT $this WHERE { $this <https://example.org/p> 1 }\" ] .", {"Unique"}),
        # what pySHACL handles or refuses itself
        ("ex:Graph a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message \"m\" ; sh:select \"SELECT $this WHERE { $this <https://example.org/p> ?o FILTER EXISTS { GRAPH $shapesGraph { ?o a <http://www.w3.org/ns/shacl#NodeShape> } } }\" ] .", {"Unique"}),
        ("ex:Minus a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:message \"m\" ; sh:select \"SELECT $this WHERE { $this <https://example.org/p> ?o MINUS { ?o <https://example.org/q> 1 } }\" ] .", {"Unique"}),
        # literal objects can be focus nodes of sh:targetObjectsOf
        ("ex:Objects a sh:NodeShape ; sh:targetObjectsOf ex:p ; sh:sparql [ sh:message \"m\" ; sh:select \"SELECT $this WHERE { $this <https://example.org/q> ?o }\" ] .", {"Unique"}),
    ],
)
def test_constraints_that_a_store_wide_run_cannot_match_stay_with_pyshacl(extra, moved) -> None:
    found = sparql_constraints(_constraint_shapes(extra))
    assert {c.shape.rsplit("/", 1)[1] for c in found} == moved


def test_current_shape_is_the_shape_and_an_unbound_value_is_the_focus_node() -> None:
    import pyoxigraph as ox

    shapes = _shapes(
        """ex:Flagged a sh:NodeShape ; sh:targetClass ex:C ;
            sh:sparql [ sh:message "{?value} is flagged by {?shape}" ;
                sh:select "SELECT $this ?shape WHERE { $this <https://example.org/flag> true . BIND ($currentShape AS ?shape) }" ] ."""
    )
    (constraint,) = sparql_constraints(shapes)
    store = ox.Store()
    store.load(input=b"<https://example.org/a> a <https://example.org/C> ; <https://example.org/flag> true . <https://example.org/b> a <https://example.org/C> .", format=ox.RdfFormat.TURTLE)
    raws = sparql_results(store, [constraint], written={})
    assert raws == [
        (
            "https://example.org/a",
            None,
            "https://example.org/a",
            SH + "SPARQLConstraintComponent",
            raws[0][4],
            "https://example.org/a is flagged by https://example.org/Flagged",
            "https://example.org/Flagged",
        )
    ]
    assert raws[0][4].name == "VIOLATION"


@pytest.mark.parametrize(
    "fixture",
    nonempty(sorted((DATA / "shapes" / "invalid").glob("*.ttl"))),
    ids=lambda p: p.stem,
)
def test_checks_restricted_to_focus_nodes_give_exactly_their_results(layout, fixture) -> None:
    """What --changed-since runs: the SPARQL-based constraints and quality checks with the
    affected nodes bound, which must equal running them on everything and keeping those nodes."""
    import pyoxigraph as ox

    from relgraph.validate.quality import quality_results

    store = load(layout, [fixture], include_root_facts=False).store
    context = ShapeContext.of(layout, store)
    everything = sparql_results(store, context.constraints) + quality_results(store, layout, {})
    nodes = focus_candidates(store, context)
    iris = [n for n in nodes if isinstance(n, ox.NamedNode)]
    chosen = iris[::2]  # every other node: results of the others must not appear
    wanted = {n.value for n in chosen}
    restricted = sparql_results(store, context.constraints, focus=chosen) + quality_results(store, layout, {}, focus=chosen)
    assert sorted(restricted, key=repr) == sorted((r for r in everything if r[0] in wanted), key=repr)


@pytest.mark.parametrize("fixture", ["states-sharing-an-alpha3-code", "shortcut-without-claim", "derived-bound-written-by-hand"])
def test_checks_restricted_to_the_nodes_with_results_find_them_all(layout, fixture) -> None:
    import pyoxigraph as ox

    from relgraph.validate.quality import quality_results

    store = load(layout, [DATA / "shapes" / "invalid" / f"{fixture}.ttl"], include_root_facts=False).store
    context = ShapeContext.of(layout, store)
    everything = sparql_results(store, context.constraints) + quality_results(store, layout, {})
    assert everything
    chosen = [ox.NamedNode(v) for v in sorted({r[0] for r in everything})]
    restricted = sparql_results(store, context.constraints, focus=chosen) + quality_results(store, layout, {}, focus=chosen)
    assert sorted(restricted, key=repr) == sorted(everything, key=repr)


def test_the_read_set_follows_triple_terms_without_a_syntax_error() -> None:
    """The derived graph holds RDF 1.2 reifiers (``rdf:reifies <<( s p o )>>``): a walk that
    reaches a triple term reads its triples like a blank node's, not through VALUES."""
    import pyoxigraph as ox

    from relgraph.validate.reach import Walks, read_set

    ex = "https://example.org/"
    triple = ox.Triple(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))
    store = ox.Store()
    reifier = ox.BlankNode("r")
    store.add(ox.Quad(reifier, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies"), triple))
    store.add(ox.Quad(ox.NamedNode(ex + "n"), ox.NamedNode(ex + "q"), reifier))
    walks = Walks()
    walks.add((Step(ex + "q", True), Step("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies", True), Step(ex + "x", True)))
    walks.add((Step(ex + "q", True), Step("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies", True), Step(ex + "y", False)))
    found = set(read_set(store, walks, [ox.NamedNode(ex + "n")]))
    assert found == {ox.Triple(ox.NamedNode(ex + "n"), ox.NamedNode(ex + "q"), reifier), ox.Triple(reifier, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies"), triple)}
