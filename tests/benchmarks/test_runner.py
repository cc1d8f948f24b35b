"""The benchmark runner's own arithmetic and measuring (``benchmarks/run.py``): sizes, peak
memory of a process tree, time limits, growth exponents, the verdict comparison. The suite
itself runs outside the tests (it takes minutes to hours); these keep its figures honest."""

from __future__ import annotations

import importlib.util
import json
import os
import sys

import pytest

from tests.conftest import REPO

_spec = importlib.util.spec_from_file_location("bench_run", REPO / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = bench
_spec.loader.exec_module(bench)

ENV = {k: v for k, v in os.environ.items()}


@pytest.mark.parametrize(("text", "expected"), [("10k", 10_000), ("100k", 100_000), ("1M", 1_000_000), ("10M", 10_000_000), ("2500", 2500), ("1.5M", 1_500_000)])
def test_sizes_are_read_as_people_write_them(text, expected) -> None:
    assert bench.parse_size(text) == expected


def test_a_size_that_is_not_one_is_refused() -> None:
    with pytest.raises(Exception, match="not a size: 'ten'"):
        bench.parse_size("ten")


def test_the_peak_counts_the_memory_of_child_processes() -> None:
    # a parent that starts a child holding 200 MB: the peak is the child's, not the parent's
    child = "import time; b = bytearray(200_000_000); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.3)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    run = bench.measure([sys.executable, "-c", parent], env=ENV, timeout=60)
    assert run.code == 0 and not run.timed_out
    assert 200_000_000 < run.peak < 400_000_000


def test_the_peak_of_a_small_process_is_its_own_not_the_callers() -> None:
    ballast = bytearray(300_000_000)  # the caller's memory must not leak into the child's figure
    ballast[::4096] = b"x" * len(ballast[::4096])
    run = bench.measure([sys.executable, "-c", "import time; time.sleep(0.2)"], env=ENV, timeout=60)
    assert run.peak < 100_000_000
    del ballast


def test_a_process_over_its_time_limit_is_killed_and_reported() -> None:
    run = bench.measure([sys.executable, "-c", "import time; time.sleep(30)"], env=ENV, timeout=0.5)
    assert run.timed_out
    assert run.seconds < 5
    cell = bench.repeated([sys.executable, "-c", "import time; time.sleep(30)"], env=ENV, timeout=0.5, repeat=3)
    assert cell.seconds is None and cell.note == "> 0 s (killed)"


def test_a_failing_process_is_reported_with_its_last_error_line() -> None:
    cell = bench.repeated([sys.executable, "-c", "import sys; sys.exit('no store here')"], env=ENV, timeout=30, repeat=2)
    assert cell.seconds is None
    assert cell.note == "failed (1): no store here"


def test_output_larger_than_a_pipe_buffer_is_kept_whole() -> None:
    run = bench.measure([sys.executable, "-c", "import sys; sys.stdout.write('x' * 3_000_000)"], env=ENV, timeout=60)
    assert run.code == 0 and len(run.stdout) == 3_000_000


def test_the_median_of_repeated_runs_is_reported() -> None:
    cell = bench.repeated([sys.executable, "-c", "pass"], env=ENV, timeout=30, repeat=3)
    assert len(cell.samples) == 3
    assert cell.seconds == sorted(cell.samples)[1]


def _size(label: str, triples: int, seconds: float) -> bench.Size:
    size = bench.Size(label, triples)
    size.put("load", "relgraph", bench.Cell(seconds))
    size.put("load", "pyoxigraph", bench.Cell(seconds / 2))
    return size


def test_growth_exponents_are_computed_over_the_real_triple_counts() -> None:
    from rich.console import Console

    sizes = [_size("10k", 10_000, 1.0), _size("100k", 100_000, 10.0), _size("1M", 1_000_000, 1000.0)]
    console = Console(width=200, record=True)
    console.print(bench.growth_table(sizes))
    rows = [line for line in console.export_text().splitlines() if "load" in line]
    # linear from 10k to 100k, quadratic from 100k to 1M
    assert [[cell.strip() for cell in r.split("│")[3:5]] for r in rows] == [["1.00", "2.00"]] * 2


def test_a_size_table_shows_each_reference_with_its_ratio() -> None:
    from rich.console import Console

    size = _size("10k", 10_000, 3.0)
    size.put("load", "rdflib", bench.Cell(note="not run (> 1,000,000)"))
    console = Console(width=200, record=True)
    console.print(bench.size_table(size))
    text = console.export_text()
    assert "│ load " in text and "3.00 s" in text and "1.50 s" in text and "2.00" in text
    assert "not run (> 1,000,000)" in text


def test_verdicts_compare_every_field_of_every_result() -> None:
    def report(*results):
        counts = {"violation": len(results), "warning": 0, "info": 0}
        return bench.Run(1.0, 0, 1 if results else 0, json.dumps({"conforms": not results, "counts": counts, "results": list(results)}).encode(), "")

    one = {"focusNode": "https://example.org/a", "resultPath": None, "value": None, "sourceConstraintComponent": "sh:MinCountConstraintComponent", "resultSeverity": "sh:Violation", "resultMessage": "m", "sourceShape": "s"}
    other = dict(one, resultMessage="another message")
    assert bench._keys(report(one)) == bench._keys(report(one))
    assert bench._keys(report(one)) != bench._keys(report(other))
    assert bench._verdict(report()) == "conforms"
    assert bench._verdict(report(one)) == "results: 1 violations"


def test_two_sizes_with_the_same_count_give_no_exponent_and_no_error() -> None:
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(bench.growth_table([_size("10k", 10_000, 1.0), _size("10000", 10_000, 1.1)]))
    rows = [line for line in console.export_text().splitlines() if "load" in line]
    assert [[cell.strip() for cell in r.split("│")[3:4]] for r in rows] == [[""]] * 2



def test_the_serve_load_benchmark_measures_three_targets_that_give_the_same_rows(tmp_path) -> None:
    """benchmarks/serve_load.py with tiny settings: both servers start, every answer is checked."""
    import subprocess

    from tests.conftest import require
    from tests.utils.servers import oxigraph_binary

    require(oxigraph_binary() is not None, "the Oxigraph server is not installed (pip install '.[test]' installs it)")
    out = tmp_path / "load.json"
    env = dict(ENV, RELGRAPH_CACHE_DIR=str(tmp_path / "cache"), RELGRAPH_TODAY="2026-11-29")
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "serve_load.py"), "--clients", "2", "--duration", "1", "--warmup", "0.5", "--json", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(out.read_text())
    assert figures["same_rows"] is True
    targets = {r["target"]: r for r in figures["results"]}
    assert set(targets) == {"relgraph /queries/shared-memberships", "relgraph /sparql", "oxigraph /query"}
    for result in targets.values():
        # on the shipped graph, world layer included: CIS, CSTO and SCO and the 40 organisations
        # and alliances the data sets record for both, stale ones included (the server lists them)
        assert result["rows"] == 43
        assert result["failed"] == 0
        assert result["answered"] > 0
        assert result["requests_per_second"] > 0
        assert 0 < result["latency_seconds"]["p50"] <= result["latency_seconds"]["p99"]
    assert "req/s ÷ oxigraph" in run.stdout


_adhoc_spec = importlib.util.spec_from_file_location("bench_adhoc_large", REPO / "benchmarks" / "adhoc_large.py")
adhoc_large = importlib.util.module_from_spec(_adhoc_spec)
sys.modules["bench_adhoc_large"] = adhoc_large
_adhoc_spec.loader.exec_module(adhoc_large)


def test_the_large_in_query_is_the_issues_query() -> None:
    import pyoxigraph as ox

    labels = ['"Russia"@en', '"Tajikistan"@en', '"Россия"@ru']
    text = adhoc_large.in_query(10_000, labels)
    assert 78_000 < len(text.encode("utf-8")) < 81_000
    store = ox.Store()
    label = ox.NamedNode(adhoc_large.RDFS_LABEL)
    for n, value in enumerate([ox.Literal("Russia", language="en"), ox.Literal("Россия", language="ru"), ox.Literal("l17"), ox.Literal("Nowhere", language="en")]):
        store.add(ox.Quad(ox.NamedNode(f"urn:x:{n}"), label, value))
    found = {str(s["label"]) for s in store.query(text)}
    assert found == {'"l17"', '"Russia"@en', '"Россия"@ru'}
    assert text.count(",") == 9_999


def test_the_adhoc_benchmark_judges_its_ratio_against_two() -> None:
    assert adhoc_large.verdict(1.99) == "met" and adhoc_large.verdict(2.0) == "met"
    assert adhoc_large.verdict(2.01) == "missed" and adhoc_large.verdict(None) == ""
    row = adhoc_large.Row("x", 3.0, "pyoxigraph", 1.5)
    assert row.ratio == 2.0
    assert adhoc_large.Row("x", None, "pyoxigraph", 1.5).ratio is None
    assert adhoc_large.csv_rows(b"s,label\r\na,b\r\nc,d\r\n") == 2
