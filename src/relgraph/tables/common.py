"""What the tables share: their queries' prefixes, the year rules, the COW state system's
state-years with the states' codes, and their errors."""

from __future__ import annotations

import datetime as _dt

import pyoxigraph as ox

from relgraph.errors import RelgraphError

__all__ = ["PREFIXES", "YEAR_RULES", "TableError", "check_period", "pandas_module", "select_rows", "system_state_years", "year_of"]

YEAR_RULES = ("december-31", "any-day")
"""How a year is coded from day-precise claims (see the module documentation)."""


PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rgv: <https://w3id.org/relgraph/vocab/>
"""
"""The prefixes of the tables' queries."""


class TableError(RelgraphError):
    """A table cannot be built as asked (an empty period, an unknown year rule)."""


def select_rows(store: ox.Store, text: str) -> list[dict[str, str | None]]:
    """Run a SELECT (with the prefixes rg, org, prov, rdfs, wikibase, rgv) on the union of the
    store's graphs and return its rows as variable → lexical value (``None`` where unbound)."""
    answer = store.query(PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in answer]


def year_of(day) -> int | None:
    """The year of an ISO 8601 day, month or year (``None`` for anything else, NaN included)."""
    return int(day[:4]) if isinstance(day, str) and day else None


def pandas_module():
    """pandas, or :class:`TableError` saying how to install it.

    Raises:
        TableError: pandas is not installed (``pip install 'relgraph[tables]'``).
    """
    try:
        # imported here: pandas is 250 ms to import (python -X importtime), and an optional extra
        import pandas as pd  # noqa: PLC0415
    except ImportError:
        raise TableError("the tables need pandas: pip install 'relgraph[tables]'") from None
    return pd


def check_period(first: int, last: int, year_rule: str) -> None:
    """Refuse a period that ends before it starts, or an unknown year rule.

    Raises:
        TableError: Naming what to fix.
    """
    if last < first:
        raise TableError(f"the period ends ({last}) before it starts ({first})")
    if year_rule not in YEAR_RULES:
        raise TableError(f"unknown year rule {year_rule!r}; choose {' or '.join(YEAR_RULES)}")


def system_state_years(store: ox.Store, first: int, last: int, pd):
    """The members of the COW state system on 31 December of each year (as COW's tables have
    their rows), and every state's codes and English name.

    Args:
        store: The query store.
        first: The first year.
        last: The last year.
        pd: pandas (:func:`pandas_module`).

    Returns:
        (``state``, ``year``) rows, and ``state``, ``ccode``, ``gwcode``, ``iso3``,
        ``state_name`` rows (codes joined by ``|`` where a state has two), as DataFrames.
    """
    spells = select_rows(store, """SELECT ?state ?start ?end WHERE {
        ?m a rg:StateSystemMembership ; rg:state ?state ; rg:stateSystem <https://w3id.org/relgraph/id/state-system-cow> ;
            a wikibase:BestRank ; rg:startEarliest ?start OPTIONAL { ?m rg:endLatest ?end } }""")
    codes = pd.DataFrame(
        select_rows(store, """SELECT ?state (GROUP_CONCAT(DISTINCT ?c; separator="|") AS ?ccode) (GROUP_CONCAT(DISTINCT ?g; separator="|") AS ?gwcode)
            (SAMPLE(?i) AS ?iso3) (SAMPLE(?n) AS ?state_name) WHERE {
            ?state rg:cowCode ?c OPTIONAL { ?state rg:gwCode ?g } OPTIONAL { ?state rg:iso3166Alpha3 ?i }
            OPTIONAL { ?state rdfs:label ?n FILTER (LANGMATCHES(LANG(?n), "en")) } } GROUP BY ?state"""),
        columns=["state", "ccode", "gwcode", "iso3", "state_name"],
    ).fillna({"ccode": "", "gwcode": "", "iso3": "", "state_name": ""})
    years = set()
    for spell in spells:
        # a system member on 31 December of the year, as COW's table has its rows (the two
        # Germanys and Yemens that ended in 1990 have no row for 1990)
        start = year_of(spell["start"])
        end = _dt.date.fromisoformat(spell["end"][:10]) if spell["end"] else None
        high = last if end is None else (end.year if end >= _dt.date(end.year, 12, 31) else end.year - 1)
        years.update((spell["state"], year) for year in range(max(start, first), min(high, last) + 1))
    return pd.DataFrame(sorted(years), columns=["state", "year"]), codes
