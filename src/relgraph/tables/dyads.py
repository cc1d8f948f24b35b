"""Dyad-year tables of bilateral treaties and diplomatic relations, built from the graph's claims:
``relgraph table treaty-dyad-year`` and ``relgraph table relations-dyad-year``.

Both have one row per pair of states and year, in the field's order (the lower COW code first,
``dyadid`` = 1000 × ccode1 + ccode2), for the years in which both states are members of the COW
state system on 31 December, and only for the pairs the graph records something about (a
bilateral treaty in force; diplomatic relations or a posting): every other pair would be all 0.
Best-ranked claims only. A year is coded by the year rule of :mod:`relgraph.tables.common`:

- ``treaty-dyad-year``: the bilateral treaties (``rg:BilateralTreaty``, two ``rg:party``) in force
  in the year: from the treaty's entry into force (its treaty-level action, UN Treaty
  Collection's term), until a denunciation by either party takes effect (VCLT arts. 54, 56).
  ``treaties`` counts them; one column per treaty kind (``rgv:treaty-kinds``: friendship,
  alliance, military base, …) counts those of that kind. A treaty whose entry into force is not
  recorded is never in force here.
- ``relations-dyad-year``: ``relations`` is 1 where diplomatic relations between the two hold
  (``rg:DiplomaticRelation``: from their establishment until they are broken off), 0 where the
  graph records relations that do not hold that year; ``ambassador_1_in_2`` and
  ``ambassador_2_in_1`` are 1 where a posting of the first state's head of mission in the second
  (and the other way) holds (``rg:DiplomaticPosting``; a posting without a start from the first
  day its dates or sources confirm).
"""

from __future__ import annotations

import datetime as _dt

import pyoxigraph as ox

from relgraph.query.spans import posting_spans, relation_spans, select_rows, treaty_spans
from relgraph.tables.common import PAIR_COLUMNS, DyadYear, check_period, column_name, dyad_sources, pair_frame, pandas_module, system_state_years

__all__ = ["RELATIONS_COLUMNS", "TREATY_COLUMNS", "relations_dyad_year", "treaty_dyad_year"]

TREATY_COLUMNS = (*PAIR_COLUMNS, ("treaties", "integer", "The bilateral treaties between the two in force in the year (from entry into force until a denunciation takes effect)."))
"""The treaty table's columns before one per treaty kind (``rgv:treaty-kinds``, by local name)."""

RELATIONS_COLUMNS = (
    *PAIR_COLUMNS,
    ("relations", "integer", "1: diplomatic relations hold (established, not broken off); 0: they do not, or their establishment is not recorded."),
    ("ambassador_1_in_2", "integer", "1: the first state's head of mission in the second is in post (a recorded posting holds); 0: no recorded posting holds (the graph records postings since 2010, where its sources name them)."),
    ("ambassador_2_in_1", "integer", "1: the second state's head of mission in the first is in post; 0: no recorded posting holds."),
)
"""The relations table's columns."""


def _day(value) -> _dt.date | None:
    return _dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def _holds(start: _dt.date | None, until: _dt.date | None, year: int, year_rule: str, *, end_exclusive: bool) -> bool:
    """Whether something from *start* to *until* holds in *year* by the year rule. With
    *end_exclusive*, *until* is the first day it no longer holds (a denunciation's date of
    effect); else the last day it holds (a claim's latest end)."""
    if start is None or start > _dt.date(year, 12, 31):
        return False
    if until is None:
        return True
    if year_rule == "december-31":
        return until > _dt.date(year, 12, 31) if end_exclusive else until >= _dt.date(year, 12, 31)
    return until > _dt.date(year, 1, 1) if end_exclusive else until >= _dt.date(year, 1, 1)


def _pairs(store: ox.Store, first: int, last: int, pd):
    """The system members of each year and a function from two states to their ordered pair."""
    state_years, codes = system_state_years(store, first, last, pd)
    members = state_years.groupby("year")["state"].apply(set).to_dict()
    code = {s: int(c.split("|")[0]) for s, c in zip(codes["state"], codes["ccode"]) if c}

    def order(a: str, b: str) -> tuple[str, str] | None:
        if a not in code or b not in code or a == b:
            return None
        return (a, b) if (code[a], a) < (code[b], b) else (b, a)

    return members, code, codes.set_index("state"), order


def treaty_dyad_year(store: ox.Store, first: int, last: int, year_rule: str = "december-31", *, with_sources: bool = False) -> DyadYear:
    """The pairs bound by bilateral treaties in force, per year, by treaty kind.

    Args:
        store: The query store (derived bounds and best ranks loaded).
        first: The first year.
        last: The last year, not before *first*.
        year_rule: ``december-31`` (in force on 31 December) or ``any-day``.

    Returns:
        A ``pandas.DataFrame``: :data:`TREATY_COLUMNS`, then one column per treaty kind that
        occurs (its ``rgv:`` local name), sorted by year and dyad.

    Raises:
        TableError: As :func:`relgraph.tables.common.check_period`, or pandas missing.
    """
    pd = pandas_module()
    check_period(first, last, year_rule)
    members, code, codes, order = _pairs(store, first, last, pd)
    found = treaty_spans(store)
    kinds = sorted({column_name(k.rsplit("/", 1)[-1]) for r in found for k in (r["kinds"] or "").split()})
    cells: dict[tuple[str, str, int], dict[str, int]] = {}
    behind: list[tuple[str, str, int, str, str]] = []
    for r in found:
        pair = order(r["a"], r["b"])
        if pair is None:
            continue
        start, until = _day(r["in_force"]), _day(r["ended"])
        for year in range(first, last + 1):
            if pair[0] in members.get(year, ()) and pair[1] in members.get(year, ()) and _holds(start, until, year, year_rule, end_exclusive=True):
                cell = cells.setdefault((*pair, year), dict.fromkeys(["treaties", *kinds], 0))
                cell["treaties"] += 1
                own = sorted({column_name(k.rsplit("/", 1)[-1]) for k in (r["kinds"] or "").split()})
                for kind in own:
                    cell[kind] += 1
                behind += [(*pair, year, column, claim) for column in ("treaties", *own) for claim in (r["claims"] or "").split()]
    rows = [{"state1": a, "state2": b, "year": y, **counts} for (a, b, y), counts in cells.items()]
    return DyadYear(pair_frame(rows, ["treaties", *kinds], code, codes, pd), dyad_sources(store, behind, pd) if with_sources else None, notes=_unentered(store))


def _unentered(store: ox.Store) -> tuple[str, ...]:
    """The note on bilateral treaties whose entry into force the graph does not record."""
    rows = select_rows(store, """SELECT ?treaty (SAMPLE(?name) AS ?label) WHERE {
        ?treaty a rg:BilateralTreaty .
        FILTER NOT EXISTS { ?entry rg:treaty ?treaty ; rg:actionType rgv:entry-into-force ; a wikibase:BestRank . FILTER NOT EXISTS { ?entry rg:actor ?anyone } }
        OPTIONAL { ?treaty rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), "en")) }
    } GROUP BY ?treaty ORDER BY ?label ?treaty""")
    if not rows:
        return ()
    named = "; ".join((r["label"] or r["treaty"]) for r in rows[:2]) + ("; …" if len(rows) > 2 else "")
    count = len(rows)
    return (f"Note: {count} bilateral treat{'ies have' if count != 1 else 'y has'} no recorded entry into force and {'are' if count != 1 else 'is'} counted in no year ({named}); "
            "relgraph query treaties-between --param a=… --param b=… shows their signatures.",)


def relations_dyad_year(store: ox.Store, first: int, last: int, year_rule: str = "december-31", *, with_sources: bool = False) -> DyadYear:
    """Diplomatic relations and ambassadors posted each way, per pair and year.

    Args:
        store: The query store.
        first: The first year.
        last: The last year, not before *first*.
        year_rule: ``december-31`` or ``any-day``.
        with_sources: Also give each coded cell's claims (the relations and posting claims
            that hold) and their sources.

    Returns:
        A :class:`relgraph.tables.common.DyadYear`: rows of :data:`RELATIONS_COLUMNS`, for the
        pairs with a diplomatic relations claim or a posting, sorted by year and dyad.

    Raises:
        TableError: As :func:`treaty_dyad_year`.
    """
    pd = pandas_module()
    check_period(first, last, year_rule)
    members, code, codes, order = _pairs(store, first, last, pd)
    relations = relation_spans(store)
    postings = posting_spans(store)
    spans: dict[tuple[str, str, str], list[tuple[_dt.date | None, _dt.date | None, str]]] = {}
    for r in relations:
        if pair := order(r["a"], r["b"]):
            spans.setdefault(("relations", *pair), []).append((_day(r["start"]), _day(r["until"]), r["claim"]))
    for r in postings:
        if order(r["sending"], r["receiving"]):
            spans.setdefault(("posting", r["sending"], r["receiving"]), []).append((_day(r["start"]), _day(r["until"]), r["claim"]))
    recorded = sorted({order(one, two) for _, one, two in spans})
    behind: list[tuple[str, str, int, str, str]] = []

    def holds(kind: str, one: str, two: str, year: int, pair: tuple[str, str], column: str) -> int:
        claims = [claim for start, until, claim in spans.get((kind, one, two), ()) if _holds(start, until, year, year_rule, end_exclusive=False)]
        behind.extend((*pair, year, column, claim) for claim in claims)
        return int(bool(claims))

    rows = [
        {"state1": a, "state2": b, "year": year, "relations": holds("relations", a, b, year, (a, b), "relations"),
         "ambassador_1_in_2": holds("posting", a, b, year, (a, b), "ambassador_1_in_2"), "ambassador_2_in_1": holds("posting", b, a, year, (a, b), "ambassador_2_in_1")}
        for a, b in recorded
        for year in range(first, last + 1)
        if a in members.get(year, ()) and b in members.get(year, ())
    ]
    return DyadYear(pair_frame(rows, ["relations", "ambassador_1_in_2", "ambassador_2_in_1"], code, codes, pd), dyad_sources(store, behind, pd) if with_sources else None)
