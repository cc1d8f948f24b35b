"""The dyad-year table side by side with a plain pandas pipeline: ``python benchmarks/tables.py``.

Issue 16 asks for a dyad-year table for 200 states × 80 years, built by relgraph
(:func:`relgraph.tables.igo.igo_dyad_year`: SELECTs on the store, pandas, a numpy matrix
product per year) and by "a plain pandas pipeline from a SELECT" (one SELECT of the full
memberships, then pandas alone: expand each claim to its years, self-merge on organisation and
year, count the pairs), on the same store, with the same rule (31 December) and the same rows
(pairs of COW system members); both count stale claims too (``include_stale``: the baseline has
no staleness rule). This script runs both on the synthetic graph of
``benchmarks/generate.py`` (200 states with synthetic COW codes, members of the state system
from independence, 60 organisations; loaded with ``relgraph load``) or on the shipped graph
(the world layer: the COW state system and COW IGO v3 with the curated claims), checks that
both give the same ``dyadigos`` for every dyad-year, and prints a table of their times (median
of ``--repeat``) and peak memory, with the ratio.

    python benchmarks/tables.py                                # synthetic, 1945-2024 (80 years)
    python benchmarks/tables.py --graph shipped
    python benchmarks/tables.py --from 1995 --to 2004 --repeat 1 --triples 200000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def plain_pandas(store, first: int, last: int):
    """The same dyadigos with one SELECT and pandas alone: the baseline."""
    import pandas as pd

    query = """PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX wikibase: <http://wikiba.se/ontology#> PREFIX rgv: <https://w3id.org/relgraph/vocab/>
    SELECT ?state ?organisation ?from ?until WHERE {
      ?claim a rg:Membership , wikibase:BestRank ; org:member ?state ; org:organization ?organisation ; org:role ?role .
      VALUES ?role { rgv:member rgv:founding-member }
      OPTIONAL { ?claim rg:startEarliest ?s } OPTIONAL { ?claim rg:unconfirmedBefore ?u } OPTIONAL { ?claim rg:endLatest ?until }
      BIND (COALESCE(?s, ?u) AS ?from) FILTER (BOUND(?from))
    }"""
    rows = [(r["state"].value, r["organisation"].value, r["from"].value, r["until"].value if r["until"] else None) for r in store.query(query, use_default_graph_as_union=True)]
    spells = [(r["state"].value, r["s"].value, r["e"].value if r["e"] else None) for r in store.query(
        """PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX wikibase: <http://wikiba.se/ontology#>
        SELECT ?state ?s ?e WHERE { ?m a rg:StateSystemMembership , wikibase:BestRank ; rg:state ?state ;
            rg:stateSystem <https://w3id.org/relgraph/id/state-system-cow> ; rg:startEarliest ?s OPTIONAL { ?m rg:endLatest ?e } }""",
        use_default_graph_as_union=True)]
    codes = {r["state"].value: int(r["c"].value) for r in store.query(
        "PREFIX rg: <https://w3id.org/relgraph/ontology#> SELECT ?state (MIN(xsd:integer(?code)) AS ?c) WHERE { ?state rg:cowCode ?code } GROUP BY ?state",
        use_default_graph_as_union=True, prefixes={"xsd": "http://www.w3.org/2001/XMLSchema#"})}

    def last_year(end):
        if not isinstance(end, str):
            return last
        day = dt.date.fromisoformat(end[:10])
        return day.year if day >= dt.date(day.year, 12, 31) else day.year - 1

    members = pd.DataFrame([(s, y) for s, b, e in spells for y in range(max(int(b[:4]), first), min(last_year(e), last) + 1)], columns=["state", "year"]).drop_duplicates()
    members = members[members["state"].isin(codes)]
    claims = pd.DataFrame(rows, columns=["state", "organisation", "from", "until"])
    claims["year"] = [list(range(max(int(b[:4]), first), min(last_year(e), last) + 1)) for b, e in zip(claims["from"], claims["until"])]
    full = claims.explode("year").dropna(subset=["year"]).astype({"year": int})[["state", "organisation", "year"]].drop_duplicates()
    full = full.merge(members, on=["state", "year"])
    full["code"] = full["state"].map(codes)
    pairs = full.merge(full, on=["organisation", "year"], suffixes=("1", "2"))
    pairs = pairs[pairs["code1"] < pairs["code2"]]
    counted = pairs.groupby(["code1", "code2", "year"]).size().rename("dyadigos").reset_index()
    members["code"] = members["state"].map(codes)
    grid = members.merge(members, on="year", suffixes=("1", "2"))
    grid = grid[grid["code1"] < grid["code2"]][["code1", "code2", "year"]]
    table = grid.merge(counted, on=["code1", "code2", "year"], how="left").fillna({"dyadigos": 0})
    return table.astype({"dyadigos": int}).rename(columns={"code1": "ccode1", "code2": "ccode2"})


def synthetic_store(args):
    """Generate the synthetic graph (``generate.py``, seed 1) and load it with ``relgraph load``;
    reuse both where *args.work* already holds them. Returns the store and its description."""
    import subprocess
    import tempfile

    from relgraph.graph.store import query_store
    from relgraph.paths import Layout

    work = args.work or Path(tempfile.mkdtemp(prefix="relgraph-tables-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"world-{args.triples}-seed1.ttl"
    store = work / f"store-{args.triples}"
    if not data.exists():
        subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate.py"), "--triples", str(args.triples), "--seed", "1", "--out", str(data)], check=True)
    if not store.exists():
        subprocess.run([sys.executable, "-m", "relgraph", "--root", str(REPO), "load", str(data), "--store", str(store)], check=True)
    manifest = json.loads(data.with_name(data.name + ".params.json").read_text(encoding="utf-8"))
    return query_store(Layout(REPO), store), f"the synthetic graph ({manifest['triples']:,} triples, 200 states)"


def measure(work, repeat: int):
    """Median seconds over *repeat* untraced runs, then the peak memory of one more run traced
    with tracemalloc (MB): tracing slows Python code several times over, so it never runs
    while the time is taken."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, statistics.median(times), peak / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="first", type=int, default=1945)
    parser.add_argument("--to", dest="last", type=int, default=2024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--graph", choices=["synthetic", "shipped"], default="synthetic", help="the synthetic graph of generate.py, or the shipped graph")
    parser.add_argument("--triples", type=int, default=1_000_000, help="the synthetic graph's size (its memberships are the same from about 100,000)")
    parser.add_argument("--work", type=Path, help="where the synthetic graph and its store are kept (default: a temporary folder)")
    args = parser.parse_args(argv)
    try:
        import pandas  # noqa: F401
        from rich.console import Console
        from rich.table import Table
    except ImportError as exc:
        print(f"tables.py: {exc.name} is missing: pip install '.[tables,bench]'", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO / "src"))
    from relgraph.graph.store import cached_store
    from relgraph.paths import Layout
    from relgraph.tables.igo import igo_dyad_year

    if args.graph == "shipped":
        store = cached_store(Layout(REPO))
        described = "the shipped graph"
    else:
        store, described = synthetic_store(args)
    mine, mine_s, mine_mb = measure(lambda: igo_dyad_year(store, [], args.first, args.last, include_stale=True).rows, args.repeat)
    base, base_s, base_mb = measure(lambda: plain_pandas(store, args.first, args.last), args.repeat)
    ours = mine.set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    theirs = base.set_index(["ccode1", "ccode2", "year"])["dyadigos"].sort_index()
    same = ours.index.equals(theirs.index) and (ours.to_numpy() == theirs.to_numpy()).all()
    table = Table(title=f"dyad-year table {args.first}-{args.last} on {described}: {len(mine):,} dyad-years, median of {args.repeat}")
    for column in ("pipeline", "time", "peak memory (traced)", "time / plain pandas"):
        table.add_column(column, justify="right" if column != "pipeline" else "left")
    table.add_row("relgraph table igo-dyad-year (SELECTs, pandas, numpy per year)", f"{mine_s:.2f} s", f"{mine_mb:,.0f} MB", f"{mine_s / base_s:.2f}")
    table.add_row("plain pandas from one SELECT (self-merge on organisation and year)", f"{base_s:.2f} s", f"{base_mb:,.0f} MB", "1.00")
    Console().print(table)
    print(f"the same dyadigos for every dyad-year: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
