"""COW IGO's state-year table, rebuilt from the graph's membership claims: ``relgraph table igo-state-year``.

One row per state, organisation and year, in long form (COW's ``state_year_format3`` is wide: one
column per organisation), with COW IGO v3's coding of the state's status in the organisation, as
igoR's documentation of ``state_year_format3`` gives the codebook's values:

==== =====================================================================================
code meaning
==== =====================================================================================
0    no membership
1    full membership (relgraph's roles ``member`` and ``founding-member``)
2    associate membership (``associate-member``)
3    observer (``observer``)
-1   the organisation not in existence that year (before its founding, after its dissolution)
==== =====================================================================================

COW's -9 (missing) never appears: a year without a claim is 0. relgraph's other roles (dialogue
partner, suspended member, participation frozen) have no COW code and count as 0; where a state
holds several roles in a year, the highest status counts (1, then 2, then 3).

**Rows.** A state-year is a row where the state is a member of the COW state system on 31
December of that year (its ``rg:StateSystemMembership`` in ``rgid:state-system-cow``), as COW's
table has its rows (every fifth year through 1965 in COW's, every year here): the two Germanys
and Yemens that merged in 1990 have no row for 1990.

**Which day of the year counts** (``year_rule``), written down once here and in the codebook:

- ``december-31`` (the default): the status on 31 December of the year;
- ``any-day``: a membership that holds on any day of the year counts.

A claim holds on a day from its earliest possible start (``rg:startEarliest``; a claim without a
start, from the first day its dates or sources confirm, ``rg:unconfirmedBefore``) to its latest
possible end (``rg:endLatest``; open without one): a year-precise claim of COW ("1996 to 2000")
holds on every day of those years. Only best-ranked claims count, unless ``source`` selects the
claims of one source (a data set: its claims whatever their rank), which rebuilds that data set's
table from its claims.

Built with SPARQL on the store (three SELECTs) and pandas for the expansion to years, never
row-by-row over the graph.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from relgraph.errors import RelgraphError

__all__ = ["COLUMNS", "STATUS", "YEAR_RULES", "IgoStateYear", "igo_state_year"]

YEAR_RULES = ("december-31", "any-day")
"""How a year is coded from day-precise claims (see the module documentation)."""

STATUS = {"member": 1, "founding-member": 1, "associate-member": 2, "observer": 3}
"""relgraph's membership roles (local names in ``rgv:``) → COW IGO v3's status code."""

_PRIORITY = {1: 3, 2: 2, 3: 1, 0: 0}  # the status kept where a state holds several in a year

COLUMNS = (
    ("ccode", "string", "The state's COW country code(s) (rg:cowCode; '|' between two)."),
    ("gwcode", "string", "The state's Gleditsch-Ward code(s) (rg:gwCode), empty where it has none."),
    ("iso3", "string", "The state's ISO 3166-1 alpha-3 code (rg:iso3166Alpha3), empty for a former state."),
    ("state", "string", "The state's relgraph IRI."),
    ("state_name", "string", "The state's English label."),
    ("organisation", "string", "The organisation's relgraph IRI."),
    ("igo", "string", "The organisation's COW IGO abbreviation (rg:cowIgoAbbreviation), empty where COW has none."),
    ("year", "integer", "The calendar year."),
    ("status", "integer", "COW IGO v3's code: 0 no membership, 1 full, 2 associate, 3 observer, -1 the organisation not in existence."),
)
"""The table's columns: name, type and meaning (the codebook's first part)."""

_PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wikibase: <http://wikiba.se/ontology#>
"""


class TableError(RelgraphError):
    """A table cannot be built as asked (an empty period, an unknown year rule)."""


@dataclass
class IgoStateYear:
    """A built table.

    Attributes:
        rows: The table (a ``pandas.DataFrame`` with :data:`COLUMNS`), sorted by organisation,
            COW code, state and year.
        sources: The claims behind each coded cell (status 1, 2 or 3): ``state``,
            ``organisation``, ``year``, ``claim``, ``role``, ``source`` (one row per claim and
            source).
        year_rule: The rule the years were coded by.
    """

    rows: object
    sources: object
    year_rule: str


def _select(store: ox.Store, text: str) -> list[dict[str, str | None]]:
    answer = store.query(_PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in answer]


def _year(day) -> int | None:
    return int(day[:4]) if isinstance(day, str) and day else None


def igo_state_year(
    store: ox.Store, organisations: Sequence[str], first: int, last: int, year_rule: str = "december-31", source: str | None = None
):
    """Build COW IGO's state-year table for some organisations and years from the claims.

    Args:
        store: The query store (derived bounds and best ranks loaded).
        organisations: Organisation IRIs (at least one).
        first: The first year (inclusive).
        last: The last year (inclusive), not before *first*.
        year_rule: One of :data:`YEAR_RULES`.
        source: A source IRI: use its claims (any rank) instead of the best-ranked claims.

    Returns:
        :class:`IgoStateYear`.

    Raises:
        TableError: No organisation, a period that ends before it starts, an unknown rule, or
            pandas not installed (``pip install 'relgraph[tables]'``).
    """
    try:
        # imported here: pandas is 250 ms to import (python -X importtime), and an optional extra
        import pandas as pd  # noqa: PLC0415
    except ImportError:
        raise TableError("the tables need pandas: pip install 'relgraph[tables]'") from None

    if not organisations:
        raise TableError("name at least one organisation (--organisation)")
    if last < first:
        raise TableError(f"the period ends ({last}) before it starts ({first})")
    if year_rule not in YEAR_RULES:
        raise TableError(f"unknown year rule {year_rule!r}; choose {' or '.join(YEAR_RULES)}")
    values = " ".join(f"<{iri}>" for iri in organisations)

    # 1. the state-years: COW system membership spells, with the states' codes and names
    spells = _select(store, """SELECT ?state ?start ?end WHERE {
        ?m a rg:StateSystemMembership ; rg:state ?state ; rg:stateSystem <https://w3id.org/relgraph/id/state-system-cow> ;
            a wikibase:BestRank ; rg:startEarliest ?start OPTIONAL { ?m rg:endLatest ?end } }""")
    states = {
        r["state"]: r
        for r in _select(store, """SELECT ?state (GROUP_CONCAT(DISTINCT ?c; separator="|") AS ?ccode) (GROUP_CONCAT(DISTINCT ?g; separator="|") AS ?gwcode)
            (SAMPLE(?i) AS ?iso3) (SAMPLE(?n) AS ?state_name) WHERE {
            ?state rg:cowCode ?c OPTIONAL { ?state rg:gwCode ?g } OPTIONAL { ?state rg:iso3166Alpha3 ?i }
            OPTIONAL { ?state rdfs:label ?n FILTER (LANGMATCHES(LANG(?n), "en")) } } GROUP BY ?state""")
    }
    years = {}
    for spell in spells:
        # a system member on 31 December of the year, as COW's table has its rows (the two
        # Germanys and Yemens that ended in 1990 have no row for 1990)
        start = _year(spell["start"])
        end = _dt.date.fromisoformat(spell["end"][:10]) if spell["end"] else None
        high = last if end is None else (end.year if end >= _dt.date(end.year, 12, 31) else end.year - 1)
        for year in range(max(start, first), min(high, last) + 1):
            years.setdefault(spell["state"], set()).add(year)
    state_years = pd.DataFrame([(s, y) for s, ys in years.items() for y in sorted(ys)], columns=["state", "year"])

    # 2. the organisations: COW abbreviation, founding and dissolution years
    orgs = _select(store, f"""SELECT ?organisation (SAMPLE(?a) AS ?igo) (MIN(?f) AS ?founded) (MAX(?d) AS ?dissolved) WHERE {{
        VALUES ?organisation {{ {values} }}
        OPTIONAL {{ ?organisation rg:cowIgoAbbreviation ?a }}
        OPTIONAL {{ ?founding rg:foundedOrganisation ?organisation ; a wikibase:BestRank ; rg:dateEarliest ?f }}
        OPTIONAL {{ ?dissolution rg:dissolvedOrganisation ?organisation ; a wikibase:BestRank ; rg:dateEarliest ?d }}
    }} GROUP BY ?organisation""")
    organisation_frame = pd.DataFrame(orgs, columns=["organisation", "igo", "founded", "dissolved"])

    # 3. the membership claims of those organisations
    chosen = f"?claim prov:wasDerivedFrom <{source}> ." if source else "?claim a wikibase:BestRank ."
    claims = pd.DataFrame(
        _select(store, f"""SELECT ?claim ?state ?organisation ?role ?from ?until ?source WHERE {{
            VALUES ?organisation {{ {values} }}
            ?claim a rg:Membership ; org:organization ?organisation ; org:member ?state ; org:role ?role ; prov:wasDerivedFrom ?source .
            {chosen}
            OPTIONAL {{ ?claim rg:startEarliest ?start }} OPTIONAL {{ ?claim rg:unconfirmedBefore ?first }}
            OPTIONAL {{ ?claim rg:endLatest ?until }}
            BIND (COALESCE(?start, ?first) AS ?from)
        }}"""),
        columns=["claim", "state", "organisation", "role", "from", "until", "source"],
    )
    claims["status"] = claims["role"].map(lambda r: STATUS.get(r.rsplit("/", 1)[-1], 0) if r else 0)
    claims = claims[claims["status"] > 0]

    # which years each claim codes: the days it holds on against the year rule
    def coded_years(row) -> range:
        begins = row["from"] if isinstance(row["from"], str) else None
        ends = row["until"] if isinstance(row["until"], str) else None
        if begins is None:
            return range(0)
        start_day = _dt.date.fromisoformat(begins[:10])
        end_day = _dt.date.fromisoformat(ends[:10]) if ends else _dt.date(last, 12, 31)
        if year_rule == "december-31":
            low = start_day.year if start_day <= _dt.date(start_day.year, 12, 31) else start_day.year + 1
            high = end_day.year if end_day >= _dt.date(end_day.year, 12, 31) else end_day.year - 1
        else:
            low, high = start_day.year, end_day.year
        return range(max(low, first), min(high, last) + 1)

    expanded = claims.assign(year=[list(coded_years(r)) for _, r in claims.iterrows()]).explode("year").dropna(subset=["year"])
    expanded["year"] = expanded["year"].astype(int)
    expanded = expanded.merge(state_years, on=["state", "year"])  # system members only

    # the cells: every state-year for every organisation, the highest status held, -1 outside the organisation's life
    grid = state_years.merge(organisation_frame, how="cross")
    held = expanded.assign(priority=expanded["status"].map(_PRIORITY)).sort_values("priority", ascending=False).drop_duplicates(["state", "organisation", "year"])
    grid = grid.merge(held[["state", "organisation", "year", "status"]], on=["state", "organisation", "year"], how="left")
    grid["status"] = grid["status"].fillna(0).astype(int)
    founded = pd.to_numeric(grid["founded"].map(_year), errors="coerce")
    dissolved = pd.to_numeric(grid["dissolved"].map(_year), errors="coerce")
    outside = (founded.notna() & (grid["year"] < founded)) | (dissolved.notna() & (grid["year"] > dissolved))
    grid.loc[outside & (grid["status"] == 0), "status"] = -1
    codes = pd.DataFrame(states.values(), columns=["state", "ccode", "gwcode", "iso3", "state_name"])
    grid = grid.merge(codes, on="state", how="left").fillna({"ccode": "", "gwcode": "", "iso3": "", "state_name": "", "igo": ""})
    grid = grid[[name for name, _, _ in COLUMNS]].sort_values(["organisation", "ccode", "state", "year"], key=_numeric_codes).reset_index(drop=True)
    sources = _held_sources(expanded, grid)
    return IgoStateYear(grid, sources, year_rule)


def _numeric_codes(column):
    # COW codes sort as numbers (2 before 20), the first of two
    if column.name == "ccode":
        return column.map(lambda c: int(c.split("|")[0]) if c else 10**6)
    return column


def _held_sources(expanded, grid):
    """The claims and sources of each coded cell (status 1 to 3): only the claims whose status is
    the cell's.

    Args:
        expanded: One row per claim, source and year it codes.
        grid: The built table.

    Returns:
        A ``pandas.DataFrame``: ``state``, ``organisation``, ``year``, ``claim``, ``role``,
        ``source``, sorted.
    """
    coded = grid[grid["status"] > 0][["state", "organisation", "year", "status"]]
    behind = expanded.merge(coded, on=["state", "organisation", "year", "status"])
    return behind[["state", "organisation", "year", "claim", "role", "source"]].drop_duplicates().sort_values(["organisation", "state", "year", "claim", "source"]).reset_index(drop=True)
