"""What the tables share: their queries' prefixes, the year rules, the COW state system's
state-years with the states' codes, and their errors."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import pyoxigraph as ox

from relgraph.errors import RelgraphError
from relgraph.query.confirmation import STALE_YEARS
from relgraph.query.results import labels_for
from relgraph.query.spans import claim_sources, select_rows

__all__ = ["DYAD_SOURCE_COLUMNS", "PAIR_COLUMNS", "YEAR_RULES", "DyadYear", "TableError", "column_name", "dyad_sources", "stale_note", "check_period", "pair_frame", "pandas_module", "system_state_years", "year_of"]

YEAR_RULES = ("december-31", "any-day")
"""How a year is coded from day-precise claims (see the module documentation)."""


class TableError(RelgraphError):
    """A table cannot be built as asked (an empty period, an unknown year rule)."""


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


PAIR_COLUMNS = (
    ("ccode1", "integer", "The first state's COW code (the lower of the two: the field's order)."),
    ("ccode2", "integer", "The second state's COW code."),
    ("dyadid", "integer", "1000 × ccode1 + ccode2, as COW's dyadic data identify a dyad."),
    ("gwcode1", "string", "The first state's Gleditsch-Ward code(s), empty where it has none."),
    ("gwcode2", "string", "The second state's Gleditsch-Ward code(s)."),
    ("iso3_1", "string", "The first state's ISO 3166-1 alpha-3 code, empty for a former state."),
    ("iso3_2", "string", "The second state's ISO 3166-1 alpha-3 code."),
    ("state1", "string", "The first state's relgraph IRI."),
    ("state2", "string", "The second state's relgraph IRI."),
    ("year", "integer", "The calendar year."),
)
"""The columns every dyad-year table starts with."""


def pair_frame(rows: list[dict], columns: list[str], code, codes, pd):
    """A dyad-year table from rows of ``state1``, ``state2``, ``year`` and *columns*: the
    :data:`PAIR_COLUMNS` filled from the states' codes, sorted by year and dyad.

    Args:
        rows: One mapping per dyad-year.
        columns: The table's own columns, after :data:`PAIR_COLUMNS`.
        code: State IRI → its (first) COW code.
        codes: The states' codes indexed by IRI (``gwcode``, ``iso3``), as
            :func:`system_state_years` gives them.
        pd: pandas.

    Returns:
        A ``pandas.DataFrame``.
    """
    frame = rows if hasattr(rows, "columns") else pd.DataFrame(rows, columns=["state1", "state2", "year", *columns])
    for side in ("1", "2"):
        # mapped once per distinct state (a categorical's categories), not once per row
        states = frame[f"state{side}"].astype("category")
        frame[f"ccode{side}"] = states.map(code).astype("int64") if len(frame) else states.map(code)
        frame[f"gwcode{side}"] = states.map(codes["gwcode"]).astype(object)
        frame[f"iso3_{side}"] = states.map(codes["iso3"]).astype(object)
    frame["dyadid"] = frame["ccode1"] * 1000 + frame["ccode2"]
    ordered = [name for name, _, _ in PAIR_COLUMNS] + columns
    return frame[ordered].sort_values(["year", "ccode1", "ccode2"], kind="stable").reset_index(drop=True)


DYAD_SOURCE_COLUMNS = ("state1", "state2", "year", "column", "claim", "source")
"""The columns of a dyad-year table's sources (``--with-sources``): the cell (its row's dyad and
year, its column), a claim it rests on, and one source of that claim."""


@dataclass
class DyadYear:
    """A built dyad-year table.

    Attributes:
        rows: The table (a ``pandas.DataFrame``), sorted by year and dyad.
        sources: With sources asked for, the claims and sources of each coded cell (a cell of 1
            or more): a ``pandas.DataFrame`` of :data:`DYAD_SOURCE_COLUMNS`, one row per claim
            and source, sorted; else ``None``.
        stale: For the IGO table, the cells coded -9 because only stale claims would code them
            (:attr:`relgraph.tables.igo.IgoStateYear.stale`); else ``None``.
        notes: Lines for standard error on what the table leaves out or codes as missing.
    """

    rows: object
    sources: object = None
    stale: object = None
    notes: tuple[str, ...] = ()


def dyad_sources(store: ox.Store, cells, pd):
    """The sources of the claims behind coded cells.

    Args:
        store: The query store.
        cells: (state1, state2, year, column, claim) tuples, the claims each coded cell rests on.
        pd: pandas.

    Returns:
        A ``pandas.DataFrame`` of :data:`DYAD_SOURCE_COLUMNS`, one row per claim and source,
        sorted by year, dyad, column, claim and source.
    """
    frame = pd.DataFrame(list(cells), columns=list(DYAD_SOURCE_COLUMNS[:-1]))
    found = pd.DataFrame(claim_sources(store, frame["claim"]), columns=["claim", "source"])
    merged = frame.merge(found, on="claim")
    return merged[list(DYAD_SOURCE_COLUMNS)].drop_duplicates().sort_values(["year", "state1", "state2", "column", "claim", "source"]).reset_index(drop=True)


def column_name(name: str) -> str:
    """A column's name as statistics packages take it: letters, digits and ``_`` (Stata, R and
    pandas read ``military_base``; Stata refuses ``military-base``)."""
    return "".join(c if c.isalnum() else "_" for c in name)


def stale_note(store: ox.Store, stale, *, dyadic: bool = False) -> str | None:
    """The note on the cells coded -9 because only stale claims would code them.

    Args:
        store: The query store (for the sources' labels).
        stale: :attr:`relgraph.tables.igo.IgoStateYear.stale` (``None`` or empty: no note).
        dyadic: For a dyad-year table: the count is of state-organisation-years (over every
            organisation, as ``dyadigos`` counts), which ``dyadigos`` leaves out, and a chosen
            organisation's column is -9 where either state's status is missing.

    Returns:
        A line such as ``Note: 3,012 cells rest only on claims last confirmed more than 5 years
        before their year (last confirmed 2014; COW Intergovernmental Organizations v3 (igoR
        copy)): coded -9 (missing data); --include-stale codes them by those claims.``, or
        ``None``.
    """
    if stale is None or len(stale) == 0:
        return None
    cells = len(stale[["state", "organisation", "year"]].drop_duplicates())
    years = sorted({str(c)[:4] for c in stale["confirmed"]})
    when = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    labels = labels_for(store, set(stale["source"]))
    sources = sorted({labels.get(s, s) for s in stale["source"]})
    named = "; ".join(sources[:3]) + ("; …" if len(sources) > 3 else "")
    if dyadic:
        return (f"Note: {cells:,} state-organisation-year{'s rest' if cells != 1 else ' rests'} only on claims last confirmed more than {STALE_YEARS} years "
                f"before their year (last confirmed {when}; {named}): dyadigos leaves {'them' if cells != 1 else 'it'} out, so it counts only "
                "confirmed joint memberships, and an organisation's column is -9 (missing data) where either state's status is; "
                "--include-stale counts them by those claims.")
    return (f"Note: {cells:,} cell{'s rest' if cells != 1 else ' rests'} only on claims last confirmed more than {STALE_YEARS} years before "
            f"their year (last confirmed {when}; {named}): coded -9 (missing data); --include-stale codes them by those claims.")
