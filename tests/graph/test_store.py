"""The on-disk store: the cache of a root's graph (rebuilt on any change, never stale, shared by
concurrent readers) and large stores built by ``relgraph load`` and used with ``--store``."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import REPO, RGID, TODAY, copy_root, run_cli, hand_root_path
from relgraph.paths import Layout
from relgraph.graph.store import INFO_FILE, StoreInfo, cache_key

SHARED = ("query", "shared-memberships", "-p", "a=RU", "-p", "b=TJ", "--format", "csv")


def organisations(result) -> list[str]:
    assert result.code == 0, result.stderr
    return [row["organisation"].removeprefix(RGID) for row in csv.DictReader(io.StringIO(result.stdout))]


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if len(p.name) == 64)


def test_the_first_query_builds_the_cache_and_later_ones_reuse_it(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache))
    assert organisations(run_cli(*SHARED)) == ["csto", "cis", "sco"]
    [entry] = entries(cache)
    assert entry.name == cache_key(Layout(hand_root_path()))  # RELGRAPH_ROOT: the hand-written graph
    info = StoreInfo.read(entry)
    assert info.key == entry.name and info.quads > 2500 and info.relgraph and info.pyoxigraph == ox.__version__
    built = (entry / INFO_FILE).stat().st_mtime_ns
    assert organisations(run_cli(*SHARED)) == ["csto", "cis", "sco"]
    assert entries(cache) == [entry] and (entry / INFO_FILE).stat().st_mtime_ns == built
    assert not [p for p in cache.iterdir() if ".building-" in p.name]


def test_editing_a_fact_file_rebuilds_the_cache_and_the_next_query_sees_it(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache))
    root = copy_root(tmp_path / "root")
    assert organisations(run_cli("--root", str(root), *SHARED)) == ["csto", "cis", "sco"]
    memberships = root / "graph" / "memberships.ttl"
    text = memberships.read_text(encoding="utf-8")
    # Tajikistan's SCO membership claim ends (a fact file edit, by naming its claim node)
    claim = "rgid:membership-tajikistan-sco"
    assert claim in text
    memberships.write_text(text + f'\n{claim} rg:end "2020-01-01"^^xsd:date .\n', encoding="utf-8")
    assert organisations(run_cli("--root", str(root), *SHARED)) == ["csto", "cis"]
    assert len(entries(cache)) == 2
    memberships.write_text(text, encoding="utf-8")  # back as it was: the first entry serves again
    assert organisations(run_cli("--root", str(root), *SHARED)) == ["csto", "cis", "sco"]
    assert len(entries(cache)) == 2


def test_a_change_to_the_ontology_or_a_derivation_changes_the_key(tmp_path) -> None:
    root = copy_root(tmp_path / "root")
    layout = Layout(root)
    first = cache_key(layout)
    assert cache_key(layout, "rdfs") != first
    derivation = root / "queries" / "derive" / "best-rank.rq"
    derivation.write_text(derivation.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    second = cache_key(layout)
    assert second != first
    ontology = root / "ontology" / "relgraph.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_key(layout) not in (first, second)


def _query_process(root: Path, cache: Path) -> subprocess.Popen:
    env = {**os.environ, "RELGRAPH_CACHE_DIR": str(cache), "RELGRAPH_TODAY": TODAY, "RELGRAPH_ROOT": str(root)}
    return subprocess.Popen([sys.executable, "-m", "relgraph", *SHARED], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


@pytest.mark.parametrize("warm", [False, True])
def test_two_processes_query_at_once(tmp_path, warm) -> None:
    cache = tmp_path / "cache"
    root = copy_root(tmp_path / "root")
    if warm:
        _query_process(root, cache).communicate()
    processes = [_query_process(root, cache) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        assert [row["organisation"].removeprefix(RGID) for row in csv.DictReader(io.StringIO(out))] == ["csto", "cis", "sco"]
    assert len(entries(cache)) == 1
    assert not [p for p in cache.iterdir() if ".building-" in p.name]


def test_the_cache_can_be_turned_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert organisations(run_cli(*SHARED)) == ["csto", "cis", "sco"]
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_falls_back_to_memory_with_a_note(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(blocker / "cache"))
    result = run_cli(*SHARED)
    assert organisations(result) == ["csto", "cis", "sco"]
    assert f"note: cannot write the cache in {blocker / 'cache'}" in result.stderr


def test_a_damaged_cache_entry_is_rebuilt(tmp_path, monkeypatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(cache))
    run_cli(*SHARED)
    [entry] = entries(cache)
    for child in (entry / "oxigraph").iterdir():
        child.unlink()
    assert organisations(run_cli(*SHARED)) == ["csto", "cis", "sco"]
    assert StoreInfo.read(entry).quads > 2500


# ------------------------------------------------------------------------------- relgraph load


def _facts_as(tmp_path: Path, suffix: str) -> list[Path]:
    """The shipped facts, literals as written, in another serialization (one file),
    gzip-compressed if suffix ends .gz."""
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(f"https://example.org/graph/{path.stem}"))
        for path in sorted((REPO / "graph").glob("*.ttl"))
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    ]
    fmt = {".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".ttl": ox.RdfFormat.TURTLE}[suffix.removesuffix(".gz")]
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        data = ox.serialize(quads, format=fmt)
    else:
        data = ox.serialize((q.triple for q in quads), format=fmt)
    target = tmp_path / f"world{suffix}"
    target.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    return [target]


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".nq", ".trig", ".ttl.gz", ".nq.gz"])
def test_load_builds_a_store_that_every_command_reads(tmp_path, suffix) -> None:
    files = _facts_as(tmp_path, suffix)
    store = tmp_path / "store"
    loaded = run_cli("load", *map(str, files), "--store", str(store))
    assert loaded.code == 0, loaded.stderr
    assert f"Loaded 1 files ({files[0].stat().st_size:,} bytes) into {store}" in loaded.stderr
    info = json.loads((store / INFO_FILE).read_text())
    assert [f["path"] for f in info["files"]] == [str(files[0].resolve())]
    assert info["files"][0]["graph"] == (None if ".nq" in suffix or ".trig" in suffix else "https://w3id.org/relgraph/graph/facts/world")
    assert len(info["files"][0]["sha256"]) == 64
    assert organisations(run_cli(*SHARED, "--store", str(store))) == ["csto", "cis", "sco"]
    described = run_cli("describe", "TJ", "--store", str(store), "--format", "nt")
    assert described.code == 0 and '"TJ"' in described.stdout
    asked = run_cli("sparql", "--store", str(store), "ASK { ?s <https://w3id.org/relgraph/ontology#iso3166Alpha2> \"TJ\" }")
    assert asked.stdout.strip() == "yes", asked.stderr
    exported = run_cli("export", "--store", str(store), "--format", "nt", "--facts-only")
    assert exported.code == 0
    shipped = {q.triple for path in (REPO / "graph").glob("*.ttl") for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)}
    # literals exactly as written, though the store holds "4"^^xsd:nonNegativeInteger as an xsd:integer
    assert {q.triple for q in ox.parse(exported.raw, format=ox.RdfFormat.N_TRIPLES)} == shipped
    assert any(t.object.datatype.value.endswith("#nonNegativeInteger") for t in shipped if isinstance(t.object, ox.Literal))


def test_load_defaults_to_the_root_graph_and_the_store_answers_like_the_cache(tmp_path) -> None:
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store)).code == 0
    for args in (SHARED, ("query", "ambassadors", "-p", "sending=TJ", "-p", "receiving=RU", "--as-of", "2014-06-01", "--format", "csv")):
        assert run_cli(*args, "--store", str(store)).stdout == run_cli(*args).stdout


def test_load_refuses_to_overwrite_and_replaces_atomically_on_request(tmp_path) -> None:
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store)).code == 0
    again = run_cli("load", "--store", str(store))
    assert again.code == 2
    assert again.stderr.strip() == f"Error: {store}: already exists; give another --store folder, or --replace to rebuild it"
    files = _facts_as(tmp_path, ".nt")
    replaced = run_cli("load", str(files[0]), "--store", str(store), "--replace")
    assert replaced.code == 0, replaced.stderr
    assert [f["path"] for f in json.loads((store / INFO_FILE).read_text())["files"]] == [str(files[0].resolve())]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "world.nt"]


def test_load_refuses_to_replace_a_folder_that_is_not_a_store(tmp_path) -> None:
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work")
    result = run_cli("load", "--store", str(folder), "--replace")
    assert result.code == 2
    assert result.stderr.strip() == f"Error: {folder}: exists and is not a relgraph store (no {INFO_FILE}); refusing to replace it"
    assert (folder / "thesis.txt").read_text() == "years of work"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("facts.ttl", b"@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b .\n", "facts.ttl:3: syntax error"),
        ("facts.nt", b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n<https://example.org/a> <b> <c> .\n", "facts.nt:2: syntax error"),
        ("facts.ttl.gz", b"not gzip at all", "facts.ttl.gz: not a valid gzip file"),
        ("facts.rdf", b"<rdf:RDF/>", "facts.rdf: unknown RDF format; name the file with one of the extensions .ttl, .nt, .nq, .trig (optionally followed by .gz)"),
    ],
)
def test_load_reports_bad_files_and_leaves_nothing_behind(tmp_path, name, content, expected) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    store = tmp_path / "store"
    result = run_cli("load", str(path), "--store", str(store))
    assert result.code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / expected}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_load_names_a_missing_file(tmp_path) -> None:
    result = run_cli("load", str(tmp_path / "nowhere.ttl"), "--store", str(tmp_path / "store"))
    assert (result.code, result.stderr.strip()) == (2, f"Error: {tmp_path / 'nowhere.ttl'}: no such file")


def test_a_store_is_only_used_with_the_ontology_it_was_built_with(tmp_path) -> None:
    store = tmp_path / "store"
    assert run_cli("load", "--store", str(store)).code == 0
    root = copy_root(tmp_path / "root")
    ontology = root / "ontology" / "relgraph.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run_cli("--root", str(root), *SHARED, "--store", str(store))
    assert result.code == 2
    assert f"{store}: built with another ontology or other derivation queries than the root {root}" in result.stderr


@pytest.mark.parametrize("command", [SHARED, ("describe", "TJ"), ("export", "--format", "nt"), ("sparql", "ASK {}")])
def test_store_options_name_a_folder_that_is_not_a_store(tmp_path, command) -> None:
    result = run_cli(*command, "--store", str(tmp_path))
    assert result.code == 2
    assert f"Error: {tmp_path}: not a relgraph store (no {INFO_FILE}); build one with: relgraph load FILES --store {tmp_path}" in result.stderr


def test_the_query_command_imports_neither_pyshacl_nor_rdflib(tmp_path) -> None:
    code = (
        "import sys; from relgraph.cli import main; "
        "code = main(['query', 'shared-memberships', '-p', 'a=RU', '-p', 'b=TJ', '--format', 'tsv']); "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl', 'owlrl', 'pyld')); "
        "print('HEAVY', heavy, code, file=sys.stderr)"
    )
    env = {**os.environ, "RELGRAPH_CACHE_DIR": str(tmp_path / "cache"), "RELGRAPH_TODAY": TODAY}
    for _ in range(2):  # cold cache (builds it), then warm
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
        assert "HEAVY [] 0" in done.stderr, done.stderr


def test_a_cache_key_is_remembered_by_its_files_signature_until_a_file_changes(tmp_path, monkeypatch) -> None:
    """The key is hashed from the files' bytes once; later runs find it by the files' names,
    sizes, inodes and change times, and any write to a file makes it hashed again."""
    import relgraph.graph.store as store_module

    monkeypatch.setenv("RELGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    root = copy_root(tmp_path / "root")
    layout = Layout(root)
    hashed: list[int] = []
    real = store_module._hash_files
    monkeypatch.setattr(store_module, "_hash_files", lambda digest, paths, layout: hashed.append(len(paths)) or real(digest, paths, layout))

    # files written just now (within 2 s, git's "racy" case) are hashed every time
    first = cache_key(layout)
    assert cache_key(layout) == first and len(hashed) == 2
    assert not (tmp_path / "cache" / "keys.json").exists()

    monkeypatch.setattr(store_module, "_SETTLED_NS", 0)  # as if they were written long ago
    assert cache_key(layout) == first and len(hashed) == 3
    memo = json.loads((tmp_path / "cache" / "keys.json").read_text(encoding="utf-8"))
    assert list(memo.values()) == [first]
    assert cache_key(layout) == first and len(hashed) == 3  # remembered: no file read

    # the same size and modification time, other bytes: the change time moves, so it is hashed again
    memberships = root / "graph" / "memberships.ttl"
    before = memberships.stat()
    text = memberships.read_text(encoding="utf-8")
    memberships.write_text(text.replace("2001-06-15", "2001-06-16", 1), encoding="utf-8")
    os.utime(memberships, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert memberships.stat().st_size == before.st_size
    changed = cache_key(layout)
    assert changed != first and len(hashed) == 4

    # an unreadable memo is ignored
    (tmp_path / "cache" / "keys.json").write_text("{not json", encoding="utf-8")
    assert cache_key(layout) == changed and len(hashed) == 5
