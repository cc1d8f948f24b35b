"""Spans: when the graph's best-ranked claims hold, as rows of days, for the tables
(:mod:`relgraph.tables`) and the pictures (:mod:`relgraph.plots`), which code or draw them by
their own rules. Each span rule is written here once:

- a claim without a start holds from the first day its own dates, else its sources' dates,
  confirm it (``rg:unconfirmedBefore``, derived), as the stored queries have it; its end is its
  latest possible end (``rg:endLatest``), none while it holds;
- a bilateral treaty is in force from its own entry into force (the treaty-level action, with no
  actor: UN Treaty Collection's term) until a denunciation by either party takes effect (its
  date of effect, else its date: VCLT arts. 54, 56), as ``relations.rq`` and ``treaty-status.rq``
  have it.

Every function runs one SELECT on the union of the store's graphs and returns its rows as
variable → lexical value (``None`` where unbound). Dates are ISO 8601 days (derived bounds).
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

__all__ = ["PREFIXES", "claim_sources", "membership_spans", "participation_spans", "posting_spans", "relation_spans", "select_rows", "treaty_spans"]

PREFIXES = """PREFIX rg: <https://w3id.org/relgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wikibase: <http://wikiba.se/ontology#>
PREFIX rgv: <https://w3id.org/relgraph/vocab/>
"""
"""The prefixes every query of this module (and :func:`select_rows`) may use."""

_START = (
    "OPTIONAL { ?claim rg:startEarliest ?s } OPTIONAL { ?claim rg:unconfirmedBefore ?u } OPTIONAL { ?claim rg:endLatest ?until }"
    " OPTIONAL { ?claim rg:confirmedUntil ?confirmed } BIND (COALESCE(?s, ?u) AS ?start)"
)
"""A claim's span: from its earliest start, else the first day it is confirmed, to its latest end;
and the last day its dates and sources confirm it (derived ``rg:confirmedUntil``)."""


def select_rows(store: ox.Store, text: str) -> list[dict[str, str | None]]:
    """Run a SELECT (which may use the prefixes of :data:`PREFIXES`) on the union of the store's
    graphs.

    Args:
        store: The query store.
        text: The query, without prefix declarations for rg, org, prov, rdfs, wikibase, rgv.

    Returns:
        One mapping per solution: variable name → lexical value, ``None`` where unbound.

    Raises:
        SyntaxError: The text is not SPARQL (pyoxigraph's error; the callers' queries are fixed).
    """
    answer = store.query(PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in answer]


def _only(variable: str, iri: str | None) -> str:
    return f"VALUES ?{variable} {{ <{iri}> }}" if iri else ""


def membership_spans(store: ox.Store, *, organisation: str | None = None, member: str | None = None, lang: str = "en") -> list[dict[str, str | None]]:
    """The best-ranked membership claims (``rg:Membership``) with a start, of one organisation or
    one member or all.

    Args:
        store: The query store (derived bounds and best ranks loaded).
        organisation: Only this organisation's (an IRI), if given.
        member: Only this member's (an IRI), if given.
        lang: The language of the ``label`` column (``en`` or ``ru``).

    Returns:
        Rows of ``claim``, ``member``, ``organisation``, ``role``, ``start`` (day), ``until``
        (day or ``None`` while it holds), ``confirmed`` (the last day its dates and sources
        confirm it, or ``None``), ``label`` (the member's in *lang*, else English, else
        ``None``), ``organisation_label`` (likewise) and ``sources`` (IRIs joined by spaces).
    """
    return select_rows(store, f"""SELECT ?claim ?member ?organisation ?role ?start ?until ?confirmed
        (COALESCE(SAMPLE(?name), SAMPLE(?english)) AS ?label) (COALESCE(SAMPLE(?org_name), SAMPLE(?org_english)) AS ?organisation_label)
        (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
        {_only("organisation", organisation)} {_only("member", member)}
        ?claim a rg:Membership , wikibase:BestRank ; org:organization ?organisation ; org:member ?member ; org:role ?role ; prov:wasDerivedFrom ?source .
        {_START} FILTER (BOUND(?start))
        OPTIONAL {{ ?member rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), "{lang}")) }}
        OPTIONAL {{ ?member rdfs:label ?english FILTER (LANGMATCHES(LANG(?english), "en")) }}
        OPTIONAL {{ ?organisation rdfs:label ?org_name FILTER (LANGMATCHES(LANG(?org_name), "{lang}")) }}
        OPTIONAL {{ ?organisation rdfs:label ?org_english FILTER (LANGMATCHES(LANG(?org_english), "en")) }}
    }} GROUP BY ?claim ?member ?organisation ?role ?start ?until ?confirmed""")


def treaty_spans(store: ox.Store, *, state: str | None = None) -> list[dict[str, str | None]]:
    """The bilateral treaties (``rg:BilateralTreaty``) whose entry into force is recorded, with
    the day a denunciation by either party took effect.

    Args:
        store: The query store.
        state: Only the treaties this state is a party to (an IRI), if given.

    Returns:
        Rows of ``treaty``, ``a`` and ``b`` (its parties, ``a`` < ``b`` as strings),
        ``in_force`` (the earliest day of its entry into force), ``ended`` (the first day it no
        longer binds them, ``None`` while in force), ``kinds`` (``rg:treatyKind`` IRIs joined by
        spaces), ``claims`` (the entry into force claims, joined by spaces) and ``sources`` (of
        those claims).
    """
    return select_rows(store, f"""SELECT ?treaty ?a ?b (MIN(?entry_day) AS ?in_force)
        (MIN(COALESCE(?effect, ?denounced)) AS ?ended) (GROUP_CONCAT(DISTINCT STR(?kind); separator=" ") AS ?kinds)
        (GROUP_CONCAT(DISTINCT STR(?entry); separator=" ") AS ?claims)
        (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
        {_only("state", state)} {"?treaty rg:party ?state ." if state else ""}
        ?treaty a rg:BilateralTreaty ; rg:party ?a , ?b . FILTER (STR(?a) < STR(?b))
        ?entry rg:treaty ?treaty ; rg:actionType rgv:entry-into-force ; a wikibase:BestRank ; rg:dateEarliest ?entry_day .
        FILTER NOT EXISTS {{ ?entry rg:actor ?anyone }}
        OPTIONAL {{ ?entry prov:wasDerivedFrom ?source }}
        OPTIONAL {{ ?treaty rg:treatyKind ?kind }}
        OPTIONAL {{
            ?denunciation rg:treaty ?treaty ; rg:actionType rgv:denunciation ; a wikibase:BestRank ; rg:actor ?leaver ; rg:dateEarliest ?denounced .
            FILTER (?leaver = ?a || ?leaver = ?b)
            OPTIONAL {{ ?denunciation rg:effectiveDateEarliest ?effect }}
        }}
    }} GROUP BY ?treaty ?a ?b""")


def relation_spans(store: ox.Store) -> list[dict[str, str | None]]:
    """The best-ranked diplomatic relations claims (``rg:DiplomaticRelation``).

    Returns:
        Rows of ``claim``, ``a`` and ``b`` (its parties, ``a`` < ``b`` as strings), ``start``
        (day, or ``None`` where neither a start nor a confirmation is known) and ``until``
        (the day relations were broken off, ``None`` while they hold), ``confirmed`` (as in
        :func:`membership_spans`) and ``sources`` (IRIs joined by spaces).
    """
    return select_rows(store, f"""SELECT ?claim ?a ?b ?start ?until ?confirmed (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
        ?claim a rg:DiplomaticRelation , wikibase:BestRank ; rg:party ?a , ?b . FILTER (STR(?a) < STR(?b))
        OPTIONAL {{ ?claim prov:wasDerivedFrom ?source }}
        {_START} }} GROUP BY ?claim ?a ?b ?start ?until ?confirmed""")


def posting_spans(store: ox.Store, *, sending: str | None = None, receiving: str | None = None) -> list[dict[str, str | None]]:
    """The best-ranked postings of heads of mission (``rg:DiplomaticPosting``).

    Args:
        store: The query store.
        sending: Only the postings of this sending state (an IRI), if given.
        receiving: Only the postings to this receiving state (an IRI), if given.

    Returns:
        Rows of ``claim``, ``holder``, ``sending``, ``receiving``, ``start`` (day or ``None``),
        ``until`` (day or ``None`` while it holds), ``confirmed`` (as in
        :func:`membership_spans`) and ``sources`` (IRIs joined by spaces).
    """
    return select_rows(store, f"""SELECT ?claim ?holder ?sending ?receiving ?start ?until ?confirmed (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
        {_only("sending", sending)} {_only("receiving", receiving)}
        ?claim a rg:DiplomaticPosting , wikibase:BestRank ; rg:sendingState ?sending ; rg:receivingState ?receiving .
        OPTIONAL {{ ?claim rg:holder ?holder }} OPTIONAL {{ ?claim prov:wasDerivedFrom ?source }}
        {_START} }} GROUP BY ?claim ?holder ?sending ?receiving ?start ?until ?confirmed""")


def participation_spans(store: ox.Store, *, state: str, lang: str = "en") -> list[dict[str, str | None]]:
    """A state's best-ranked participations (``rg:Participation``) in wars, armed conflicts and
    border clashes, each from the participation's own earliest start (else the conflict's) to its
    own latest end (else the conflict's), as ``wars.rq`` has it.

    Args:
        store: The query store.
        state: The state (an IRI).
        lang: The language of the ``label`` column (``en`` or ``ru``; English where none).

    Returns:
        Rows of ``conflict``, ``kind`` (``rg:War``, ``rg:ArmedConflict`` or ``rg:BorderClash``),
        ``side``, ``start`` (day or ``None``), ``until`` (day or ``None`` while it lasts),
        ``label`` and ``sources`` (IRIs joined by spaces).
    """
    return select_rows(store, f"""SELECT ?conflict ?kind ?side ?start ?until (COALESCE(SAMPLE(?name), SAMPLE(?english)) AS ?label)
        (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
        VALUES ?state {{ <{state}> }} VALUES ?kind {{ rg:War rg:ArmedConflict rg:BorderClash }}
        ?claim a rg:Participation , wikibase:BestRank ; rg:agent ?state ; rg:inEvent ?conflict ; prov:wasDerivedFrom ?source .
        ?conflict a ?kind .
        OPTIONAL {{ ?claim rg:side ?side }}
        OPTIONAL {{ ?claim rg:startEarliest ?own_start }} OPTIONAL {{ ?conflict rg:startEarliest ?conflict_start }}
        OPTIONAL {{ ?claim rg:endLatest ?own_end }} OPTIONAL {{ ?conflict rg:endLatest ?conflict_end }}
        BIND (COALESCE(?own_start, ?conflict_start) AS ?start) BIND (COALESCE(?own_end, ?conflict_end) AS ?until)
        OPTIONAL {{ ?conflict rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), "{lang}")) }}
        OPTIONAL {{ ?conflict rdfs:label ?english FILTER (LANGMATCHES(LANG(?english), "en")) }}
    }} GROUP BY ?conflict ?kind ?side ?start ?until""")


def claim_sources(store: ox.Store, claims: Iterable[str]) -> list[tuple[str, str]]:
    """The sources of claims (``prov:wasDerivedFrom``).

    Args:
        store: The query store.
        claims: Claim IRIs (any number; asked 500 at a time).

    Returns:
        (claim, source) pairs, sorted.
    """
    wanted = sorted({c for c in claims if c and "<" not in c and ">" not in c and " " not in c})
    pairs: list[tuple[str, str]] = []
    for start in range(0, len(wanted), 500):
        values = " ".join(f"<{c}>" for c in wanted[start : start + 500])
        pairs += [(r["claim"], r["source"]) for r in select_rows(store, f"SELECT DISTINCT ?claim ?source WHERE {{ VALUES ?claim {{ {values} }} ?claim prov:wasDerivedFrom ?source }}")]
    return sorted(pairs)
