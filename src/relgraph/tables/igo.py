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
-9   missing data: only a stale claim would code the cell (below)
==== =====================================================================================

A year without a claim is 0. relgraph's other roles (dialogue partner, suspended member,
participation frozen) have no COW code and count as 0; where a state holds several roles in a
year, the highest status counts (1, then 2, then 3).

**Stale claims.** A claim without an end holds on, but is only known to hold up to the last day
its dates and sources confirm it (``rg:confirmedUntil``; COW IGO v3's claims: 2014-12-31). As
the stored queries leave out an answer about a day resting on a claim last confirmed more than
five years before it (:func:`relgraph.query.confirmation.is_stale`, judged on the year's 31
December, or its 1 January under ``any-day``), a cell that only such claims would code is -9,
COW's "missing data", and the command says how many; ``include_stale`` codes them by those
claims.

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

from relgraph.query.confirmation import is_stale
from relgraph.query.spans import select_rows
from relgraph.tables.common import DYAD_SOURCE_COLUMNS, PAIR_COLUMNS, YEAR_RULES, DyadYear, TableError, column_name, stale_note, check_period, pair_frame, pandas_module, system_state_years, year_of

__all__ = ["COLUMNS", "DYAD_COLUMNS", "JOINT", "STATUS", "IgoStateYear", "igo_dyad_year", "igo_state_year"]

STATUS = {"member": 1, "founding-member": 1, "associate-member": 2, "observer": 3}
MISSING = -9
"""COW's code for missing data: here, a cell that only a stale claim would code."""
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
    ("status", "integer", "COW IGO v3's code: 0 no membership, 1 full, 2 associate, 3 observer, -1 the organisation not in existence, -9 missing data (only a membership last confirmed more than five years before the year would code it; --include-stale codes it)."),
)
"""The table's columns: name, type and meaning (the codebook's first part)."""

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
        stale: The cells coded -9 because only stale claims would code them: ``state``,
            ``organisation``, ``year``, ``confirmed`` (the claim's last confirmation),
            ``source`` (one row per claim and source); empty with ``include_stale``.
        notes: Lines for standard error (:func:`relgraph.tables.common.stale_note`).
    """

    rows: object
    sources: object
    year_rule: str
    stale: object = None
    notes: tuple[str, ...] = ()


def _organisations(store: ox.Store, values: str, pd):
    """The organisations' COW abbreviations, founding and dissolution days."""
    rows = select_rows(store, f"""SELECT ?organisation (SAMPLE(?a) AS ?igo) (MIN(?f) AS ?founded) (MAX(?d) AS ?dissolved) WHERE {{
        VALUES ?organisation {{ {values} }}
        OPTIONAL {{ ?organisation rg:cowIgoAbbreviation ?a }}
        OPTIONAL {{ ?founding rg:foundedOrganisation ?organisation ; a wikibase:BestRank ; rg:dateEarliest ?f }}
        OPTIONAL {{ ?dissolution rg:dissolvedOrganisation ?organisation ; a wikibase:BestRank ; rg:dateEarliest ?d }}
    }} GROUP BY ?organisation""")
    return pd.DataFrame(rows, columns=["organisation", "igo", "founded", "dissolved"]).fillna({"igo": ""})


def _reference_day(year: int, year_rule: str) -> _dt.date:
    """The day of a year against which a claim's staleness is judged: 31 December under
    ``december-31``; 1 January under ``any-day`` (a claim fresh on any day of the year counts)."""
    return _dt.date(year, 12, 31) if year_rule == "december-31" else _dt.date(year, 1, 1)


def _coded(store: ox.Store, values: str | None, first: int, last: int, year_rule: str, source: str | None, state_years, pd, include_stale: bool = False):
    """Each claim's coded years (one row per claim, source and year, system members only, with
    ``stale``: an open claim last confirmed more than five years before the year,
    :func:`relgraph.query.confirmation.is_stale`), the status each state holds in each
    organisation and year from the claims not stale (the highest where several; all claims
    with *include_stale*), and the cells that only stale claims would code (``state``,
    ``organisation``, ``year``, ``confirmed``, ``source``: one row per claim and source)."""
    chosen = f"?claim prov:wasDerivedFrom <{source}> ." if source else "?claim a wikibase:BestRank ."
    which = f"VALUES ?organisation {{ {values} }}" if values is not None else ""
    claims = pd.DataFrame(
        select_rows(store, f"""SELECT ?claim ?state ?organisation ?role ?from ?until ?confirmed ?source WHERE {{
            {which}
            ?claim a rg:Membership ; org:organization ?organisation ; org:member ?state ; org:role ?role ; prov:wasDerivedFrom ?source .
            {chosen}
            OPTIONAL {{ ?claim rg:startEarliest ?start }} OPTIONAL {{ ?claim rg:unconfirmedBefore ?first }}
            OPTIONAL {{ ?claim rg:endLatest ?until }} OPTIONAL {{ ?claim rg:confirmedUntil ?confirmed }}
            BIND (COALESCE(?start, ?first) AS ?from)
        }}"""),
        columns=["claim", "state", "organisation", "role", "from", "until", "confirmed", "source"],
    )
    claims["status"] = claims["role"].map(lambda r: STATUS.get(r.rsplit("/", 1)[-1], 0) if isinstance(r, str) else 0)
    claims = claims[(claims["status"] > 0) & claims["from"].map(lambda v: isinstance(v, str))]

    # which years each claim codes: the days it holds on against the year rule
    def coded_years(begins: str, ends) -> range:
        start_day = _dt.date.fromisoformat(begins[:10])
        end_day = _dt.date.fromisoformat(ends[:10]) if isinstance(ends, str) else _dt.date(last, 12, 31)
        if year_rule == "december-31":
            high = end_day.year if end_day >= _dt.date(end_day.year, 12, 31) else end_day.year - 1
        else:
            high = end_day.year
        return range(max(start_day.year, first), min(high, last) + 1)

    expanded = claims.assign(year=[list(coded_years(b, e)) for b, e in zip(claims["from"], claims["until"])]).explode("year").dropna(subset=["year"])
    expanded["year"] = expanded["year"].astype(int)
    expanded = expanded.merge(state_years, on=["state", "year"])  # system members only
    # stale: judged once per (last confirmation, year) by the answers' rule, then joined back
    open_ended = expanded[expanded["until"].isna() & expanded["confirmed"].notna()][["confirmed", "year"]].drop_duplicates()
    open_ended["stale"] = [is_stale(c, _reference_day(y, year_rule)) for c, y in zip(open_ended["confirmed"], open_ended["year"])]
    expanded = expanded.merge(open_ended, on=["confirmed", "year"], how="left")
    expanded["stale"] = expanded["stale"].astype("boolean").fillna(False).astype(bool)
    counted = expanded if include_stale else expanded[~expanded["stale"]]
    held = (
        counted.assign(priority=counted["status"].map(_PRIORITY))
        .sort_values("priority", ascending=False, kind="stable")
        .drop_duplicates(["state", "organisation", "year"])[["state", "organisation", "year", "status"]]
    )
    stale = expanded[expanded["stale"]][["state", "organisation", "year", "confirmed", "source"]]
    stale = stale.merge(held[["state", "organisation", "year"]], how="left", indicator=True)
    stale = stale[stale["_merge"] == "left_only"].drop(columns="_merge").reset_index(drop=True)
    return counted, held, stale


def _not_in_existence(frame, pd):
    """Whether each row's year is before its organisation's founding or after its dissolution."""
    founded = pd.to_numeric(frame["founded"].map(year_of), errors="coerce")
    dissolved = pd.to_numeric(frame["dissolved"].map(year_of), errors="coerce")
    return (founded.notna() & (frame["year"] < founded)) | (dissolved.notna() & (frame["year"] > dissolved))


def igo_state_year(
    store: ox.Store, organisations: Sequence[str], first: int, last: int, year_rule: str = "december-31", source: str | None = None, *, include_stale: bool = False
):
    """Build COW IGO's state-year table for some organisations and years from the claims.

    Args:
        store: The query store (derived bounds and best ranks loaded).
        organisations: Organisation IRIs (at least one).
        first: The first year (inclusive).
        last: The last year (inclusive), not before *first*.
        year_rule: One of :data:`YEAR_RULES`.
        source: A source IRI: use its claims (any rank) instead of the best-ranked claims.
        include_stale: Code a year by an open claim even when it was last confirmed more than
            :data:`relgraph.query.confirmation.STALE_YEARS` years before; else such a cell,
            when no other claim codes it, is -9 (missing data).

    Returns:
        :class:`IgoStateYear`.

    Raises:
        TableError: No organisation, a period that ends before it starts, an unknown rule, or
            pandas not installed (``pip install 'relgraph[tables]'``).
    """
    pd = pandas_module()
    if not organisations:
        raise TableError("name at least one organisation (--organisation)")
    check_period(first, last, year_rule)
    values = " ".join(f"<{iri}>" for iri in organisations)
    state_years, codes = system_state_years(store, first, last, pd)
    expanded, held, stale = _coded(store, values, first, last, year_rule, source, state_years, pd, include_stale)

    # the cells: every state-year for every organisation, the highest status held, -9 where only
    # stale claims would code it, -1 outside the organisation's life
    grid = state_years.merge(_organisations(store, values, pd), how="cross")
    grid = grid.merge(held, on=["state", "organisation", "year"], how="left")
    missing = stale[["state", "organisation", "year"]].drop_duplicates().assign(missing=True)
    grid = grid.merge(missing, on=["state", "organisation", "year"], how="left")
    grid["status"] = grid["status"].fillna(0).astype(int)
    grid.loc[grid["missing"].astype("boolean").fillna(False).astype(bool) & (grid["status"] == 0), "status"] = MISSING
    grid.loc[_not_in_existence(grid, pd) & (grid["status"] == 0), "status"] = -1
    grid = grid.merge(codes, on="state", how="left").fillna({"ccode": "", "gwcode": "", "iso3": "", "state_name": ""})
    grid = grid[[name for name, _, _ in COLUMNS]].sort_values(["organisation", "ccode", "state", "year"], key=_numeric_codes).reset_index(drop=True)
    return IgoStateYear(grid, _held_sources(expanded, grid), year_rule, stale, tuple(n for n in [stale_note(store, stale)] if n))


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


DYAD_COLUMNS = (
    *PAIR_COLUMNS,
    ("dyadigos", "integer", "The number of organisations in which both states are full members that year (COW's dyadigos), over every organisation the graph holds memberships of; without --include-stale, memberships resting only on claims last confirmed more than 5 years before the year are not counted, so after 2019 (COW IGO v3 stops in 2014) it is a lower bound: the command's note says how many state-organisation-years it leaves out."),
)
"""The dyad-year table's columns before the one per chosen organisation (the codebook's first part)."""

JOINT = (
    "COW's dyadic codebook, as igoR's documentation quotes it: 'No Joint Membership 0, Joint Full Membership 1, "
    "Missing data -9, State Not System Member -1 [...] If one state in an IGO is a full member but the other is an "
    "associate member or observer, that IGO is not coded as a joint membership.' Here: 1 both full members, 0 "
    "otherwise, -1 the organisation not in existence that year (rows exist only for years in which both states are "
    "system members, so COW's -1 never applies in its own sense); -9 missing data, where either state's status is "
    "(only a membership last confirmed more than five years before the year would code it) and the two are not both full members."
)
"""The coding of the per-organisation columns of the dyad-year table."""


def igo_dyad_year(
    store: ox.Store,
    organisations: Sequence[str],
    first: int,
    last: int,
    year_rule: str = "december-31",
    source: str | None = None,
    *,
    with_sources: bool = False,
    include_stale: bool = False,
) -> DyadYear:
    """Build COW IGO's dyad-year table from the claims: one row per undirected pair of states both
    in the COW state system on 31 December of a year, with the count of organisations in which
    both are full members (``dyadigos``) and, for each chosen organisation, the joint-membership
    coding (:data:`JOINT`).

    The count runs over every organisation with membership claims (best-ranked, or the claims of
    *source*); the states' statuses per organisation and year are those of :func:`igo_state_year`
    (same year rule). Built per year as a matrix product of the states × organisations
    full-membership matrix (numpy, which pandas brings).

    Args:
        store: The query store.
        organisations: Organisation IRIs that get a column each (may be empty).
        first: The first year.
        last: The last year, not before *first*.
        year_rule: One of :data:`YEAR_RULES`.
        source: A source IRI: its claims of any rank instead of the best-ranked claims.
        with_sources: Also give the claims behind each joint membership coded 1 in a chosen
            organisation's column: both states' full-membership claims that code the year, with
            their sources. (``dyadigos`` counts over every organisation; the claims behind it
            are the two states' rows of ``igo-state-year``.)
        include_stale: Count stale claims too (as :func:`igo_state_year`); else ``dyadigos``
            counts only memberships not stale, and a joint-membership cell is -9 where either
            state's status is.

    Returns:
        A :class:`relgraph.tables.common.DyadYear`: rows of :data:`DYAD_COLUMNS` and one column
        per organisation in the order given, named by its COW abbreviation (else its local
        name, ``-`` written ``_``), sorted by year and dyad; ``stale`` as
        :attr:`IgoStateYear.stale`.

    Raises:
        TableError: As :func:`igo_state_year`.
    """
    pd = pandas_module()
    import numpy as np  # noqa: PLC0415 - with pandas (python -X importtime: already imported by it)

    check_period(first, last, year_rule)
    state_years, codes = system_state_years(store, first, last, pd)
    expanded, held, stale = _coded(store, None, first, last, year_rule, source, state_years, pd, include_stale)
    full = held[held["status"] == 1]
    chosen = _organisations(store, " ".join(f"<{iri}>" for iri in organisations), pd) if organisations else pd.DataFrame(columns=["organisation", "igo", "founded", "dissolved"])
    chosen = chosen.set_index("organisation").loc[[o for o in dict.fromkeys(organisations) if o in set(chosen["organisation"])]].reset_index()  # the order given
    names = [column_name(igo or iri.rsplit("/", 1)[-1]) for iri, igo in zip(chosen["organisation"], chosen["igo"])]
    unknown = {(o, y): set(g["state"]) for (o, y), g in stale[stale["organisation"].isin(set(chosen["organisation"]))].groupby(["organisation", "year"])}
    code = codes.set_index("state")
    first_code = {s: int(c.split("|")[0]) for s, c in code["ccode"].items() if c}
    by_year = dict(tuple(full.groupby("year")))
    frames = []
    for year, members in state_years.groupby("year"):
        states = sorted((s for s in members["state"] if s in first_code), key=lambda s: (first_code[s], s))
        if len(states) < 2:
            continue
        index = {s: i for i, s in enumerate(states)}
        held_now = by_year.get(year, full.iloc[0:0])
        held_now = held_now[held_now["state"].isin(index)]
        orgs = sorted(set(held_now["organisation"]))
        column = {o: j for j, o in enumerate(orgs)}
        matrix = np.zeros((len(states), max(len(orgs), 1)), dtype=np.int32)
        # as integers even when no one holds a full membership that year (an empty map is float)
        matrix[held_now["state"].map(index).to_numpy(dtype=np.intp), held_now["organisation"].map(column).to_numpy(dtype=np.intp)] = 1
        one, two = np.triu_indices(len(states), k=1)
        frame = pd.DataFrame({"state1": np.array(states, dtype=object)[one], "state2": np.array(states, dtype=object)[two], "year": year,
                              "dyadigos": (matrix @ matrix.T)[one, two]})
        joint = {}  # one column per chosen organisation, joined to the frame at once
        for (iri, founded, dissolved), name in zip(zip(chosen["organisation"], chosen["founded"], chosen["dissolved"]), names):
            if iri in column:
                both = matrix[one, column[iri]] & matrix[two, column[iri]]
            else:
                both = np.zeros(len(one), dtype=np.int32)
            gone = (year_of(founded) is not None and year < year_of(founded)) or (year_of(dissolved) is not None and year > year_of(dissolved))
            joint[name] = np.where(both == 1, 1, -1 if gone else 0)
            if (iri, year) in unknown:  # either state's status missing (only stale claims): -9
                lacking = np.array([s in unknown[(iri, year)] for s in states])
                joint[name] = np.where((both != 1) & (lacking[one] | lacking[two]), MISSING, joint[name])
        frames.append(pd.concat([frame, pd.DataFrame(joint, index=frame.index)], axis=1) if joint else frame)
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["state1", "state2", "year", "dyadigos", *names])
    table = pair_frame(rows, ["dyadigos", *names], first_code, code, pd)
    notes = tuple(n for n in [stale_note(store, stale, dyadic=True)] if n)
    if not with_sources:
        return DyadYear(table, stale=stale, notes=notes)
    full_claims = expanded[expanded["status"] == 1][["state", "organisation", "year", "claim", "source"]]
    parts = [pd.DataFrame(columns=list(DYAD_SOURCE_COLUMNS))]
    for iri, name in zip(chosen["organisation"], names):
        coded = table[table[name] == 1][["state1", "state2", "year"]]
        mine = full_claims[full_claims["organisation"] == iri].drop(columns="organisation")
        for side in ("state1", "state2"):
            parts.append(coded.merge(mine.rename(columns={"state": side}), on=[side, "year"]).assign(column=name)[list(DYAD_SOURCE_COLUMNS)])
    sources = pd.concat(parts, ignore_index=True).drop_duplicates().sort_values(["year", "state1", "state2", "column", "claim", "source"]).reset_index(drop=True)
    return DyadYear(table, sources, stale, notes)
