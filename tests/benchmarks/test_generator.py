"""The benchmark generator, benchmarks/generate.py: the same seed gives the same bytes, the real
triple count is on target, every output format holds the same graph, the graph conforms to the
shapes and quality checks, and the manifest gives every stored query parameters under which it
answers."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import REPO
from relgraph.query.catalogue import load_catalogue
from relgraph.graph.loading import load
from relgraph.query.binding import run
from relgraph.validate.whole import validate

SCRIPT = REPO / "benchmarks" / "generate.py"
TARGET = 8000
SYNTHETIC = "https://w3id.org/relgraph/id/synthetic/"


def _load_generator():
    """Import benchmarks/generate.py by path (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("relgraph_benchmarks_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look up the module they are defined in
    dont_write_bytecode = sys.dont_write_bytecode
    sys.dont_write_bytecode = True  # leave no __pycache__ in benchmarks/
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = dont_write_bytecode
    return module


generator = _load_generator()


def triples_of(path: Path) -> set[ox.Triple]:
    data = path.read_bytes()
    name = path.name
    if name.endswith(".gz"):
        data, name = gzip.decompress(data), name[: -len(".gz")]
    fmt = ox.RdfFormat.N_TRIPLES if name.endswith(".nt") else ox.RdfFormat.TURTLE
    return {quad.triple for quad in ox.parse(data, format=fmt)}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A small generated graph (Turtle, seed 1) and its manifest."""
    return generator.generate(TARGET, 1, tmp_path_factory.mktemp("world") / "world.ttl")


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(world, tmp_path) -> None:
    again = generator.generate(TARGET, 1, tmp_path / "world.ttl")
    assert again.path.read_bytes() == world.path.read_bytes()
    assert again.params_path.read_bytes() == world.params_path.read_bytes()
    other = generator.generate(TARGET, 2, tmp_path / "other.ttl")
    assert other.path.read_bytes() != world.path.read_bytes()


def test_the_command_line_writes_the_same_bytes_whatever_the_hash_seed(world, tmp_path) -> None:
    out = tmp_path / "world.ttl"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, str(SCRIPT), "--triples", str(TARGET), "--seed", "1", "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert f"{world.triples} triples" in done.stdout
    assert out.read_bytes() == world.path.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world.ttl", "world.ttl.params.json"]  # no temporary file left


def test_the_real_triple_count_is_on_target_and_in_the_manifest(world) -> None:
    triples = triples_of(world.path)
    manifest = json.loads(world.params_path.read_text(encoding="utf-8"))
    assert len(triples) == world.triples == manifest["triples"]
    assert abs(len(triples) - TARGET) <= 0.03 * TARGET
    assert (manifest["seed"], manifest["target_triples"], manifest["format"], manifest["gzip"]) == (1, TARGET, "turtle", False)


def test_every_node_is_named_under_the_synthetic_namespace_and_labelled_synthetic(world) -> None:
    labels = 0
    for t in triples_of(world.path):
        # the one exception: the COW state system, which the synthetic states are members of
        assert isinstance(t.subject, ox.NamedNode) and (t.subject.value.startswith(SYNTHETIC) or f"<{t.subject.value}>" == generator.STATE_SYSTEM), t
        assert not isinstance(t.object, ox.BlankNode), t
        if t.predicate.value == "http://www.w3.org/2000/01/rdf-schema#label":
            labels += 1
            assert t.object.language in ("en", "ru"), t
            assert ("synthetic" if t.object.language == "en" else "синтетическ") in t.object.value.lower(), t
    assert labels


@pytest.mark.parametrize("name", ["world.ttl.gz", "world.nt", "world.nt.gz"])
def test_every_output_format_holds_the_same_graph(world, tmp_path, name) -> None:
    other = generator.generate(TARGET, 1, tmp_path / name)
    assert triples_of(other.path) == triples_of(world.path)
    assert other.triples == world.triples
    (tmp_path / "again").mkdir()
    assert generator.generate(TARGET, 1, tmp_path / "again" / name).path.read_bytes() == other.path.read_bytes()
    content = json.loads(other.params_path.read_text(encoding="utf-8"))
    assert other.params_path.name == name + ".params.json"
    assert (content["format"], content["gzip"]) == ("n-triples" if ".nt" in name else "turtle", name.endswith(".gz"))


def test_the_manifest_gives_parameters_for_every_stored_query(world) -> None:
    catalogue = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
    queries = json.loads(world.params_path.read_text(encoding="utf-8"))["queries"]
    assert sorted(queries) == sorted(catalogue)
    for name, query in catalogue.items():
        assert sorted(queries[name]["params"]) == sorted(p.name for p in query.parameters), name
        assert ("as_of" in queries[name]) == query.time_aware, name


def test_the_generated_graph_conforms_to_the_shapes_and_quality_checks(layout, world) -> None:
    assert validate(layout, [world.path], standalone=True).results == ()


def test_every_stored_query_answers_with_the_manifest_parameters(layout, world) -> None:
    catalogue = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
    content = json.loads(world.params_path.read_text(encoding="utf-8"))
    loaded = load(layout, [world.path], include_root_facts=False)
    for name, entry in content["queries"].items():
        as_of = dt.date.fromisoformat(entry["as_of"]) if "as_of" in entry else None
        answer = list(run(loaded.store, catalogue[name], entry["params"], as_of))
        assert answer, f"{name} has no answer with {entry}"
        if name == "shared-memberships":
            organisations = sorted(row["organisation"].value for row in answer)
            assert organisations == content["focal"]["shared_memberships"]
            assert len(organisations) >= 2


def test_a_target_below_the_fixed_part_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generator.generate(100, 1, tmp_path / "tiny.ttl")
    assert list(tmp_path.iterdir()) == []


def test_the_dyad_year_table_runs_on_the_synthetic_states(layout, world) -> None:
    """The synthetic states have COW codes and belong to the state system from independence, so
    benchmarks/tables.py builds the dyad-year table of issue 16 on them: 200 states, and the same
    dyadigos as the plain pandas pipeline."""
    from relgraph.tables.igo import igo_dyad_year

    spec = importlib.util.spec_from_file_location("bench_tables", REPO / "benchmarks" / "tables.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    loaded = load(layout, [world.path], include_root_facts=False)
    table = igo_dyad_year(loaded.store, [], 2023, 2024, include_stale=True).rows
    assert set(table["ccode1"]) | set(table["ccode2"]) == set(range(2, 202))  # every state, in 2023 as in 2024
    assert len(table) == 2 * 200 * 199 // 2 and table["dyadigos"].sum() > 0
    ours = table.set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    theirs = bench.plain_pandas(loaded.store, 2023, 2024).set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    assert ours.index.equals(theirs.index) and (ours.to_numpy() == theirs.to_numpy()).all()


def test_a_year_without_any_full_membership_counts_zero(layout, world) -> None:
    """The synthetic 1945: its states are system members from 1 January, but no organisation
    has a member yet; every dyad counts 0 (the per-year matrix once failed on such a year)."""
    from relgraph.tables.igo import igo_dyad_year

    loaded = load(layout, [world.path], include_root_facts=False)
    table = igo_dyad_year(loaded.store, [], 1945, 1945, include_stale=True).rows
    assert len(table) > 1000 and set(table["dyadigos"]) == {0}
