"""benchmarks/tables.py: the dyad-year table against a plain pandas pipeline gives the same
dyadigos (the benchmark checks it before it prints its times)."""

from __future__ import annotations

import importlib.util

from tests.conftest import REPO


def _module():
    spec = importlib.util.spec_from_file_location("bench_tables", REPO / "benchmarks" / "tables.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_baseline_gives_the_tables_dyadigos(world, capsys) -> None:
    bench = _module()
    from relgraph.tables.igo import igo_dyad_year

    ours = igo_dyad_year(world.store, [], 2013, 2014, include_stale=True).rows.set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    theirs = bench.plain_pandas(world.store, 2013, 2014).set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    assert len(ours) > 35_000  # two years of about 190 system members
    assert ours.index.equals(theirs.index) and (ours.to_numpy() == theirs.to_numpy()).all()
