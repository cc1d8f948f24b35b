"""What the graph holds, counted (``relgraph stats``).

Counts of entities and claims by class, of claims by source, by date precision and by rank; the
states the graph knows only by their codes (no claim names them but state-system memberships and
code assignments); and for each intergovernmental body the newest day its membership claims'
sources confirm (``rg:confirmedUntil``), so that a reader sees how current each part is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from relgraph.namespaces import RG

__all__ = ["SECTIONS", "Stats", "graph_stats"]

_PREFIXES = f"""PREFIX rg: <{RG.base}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX wikibase: <http://wikiba.se/ontology#>
"""

_QUERIES: dict[str, str] = {
    # claims carry a rank; entities (states, bodies, treaties, people, places, sources) do not
    "claims by class": """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c wikibase:rank ?r ; a ?key FILTER (?key != wikibase:BestRank) } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "entities by class": """SELECT ?key (COUNT(DISTINCT ?e) AS ?n) WHERE {
        VALUES ?key { rg:State rg:InternationalOrganisation rg:MilitaryAlliance rg:Alliance rg:InternationalForum rg:InternationalCourt
                      rg:Organ rg:NonStateArmedGroup rg:BilateralTreaty rg:MultilateralTreaty rg:Person rg:Place rg:MilitaryBase rg:Source rg:Publisher rg:StateSystem }
        ?e a ?key } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "claims by source": """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c wikibase:rank ?r ; prov:wasDerivedFrom ?key } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "claims by date precision": """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?c wikibase:rank ?r . OPTIONAL { ?c rg:start|rg:pointInTime|rg:date ?d }
        BIND (COALESCE(DATATYPE(?d), rg:undated) AS ?key) } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "claims by rank": """SELECT ?key (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c wikibase:rank ?key } GROUP BY ?key ORDER BY DESC(?n) ?key""",
    "states known only by their codes": """SELECT ?key (0 AS ?n) WHERE {
        ?key a rg:State .
        FILTER NOT EXISTS { ?c wikibase:rank ?r ; ?p ?key . FILTER NOT EXISTS { ?c a rg:StateSystemMembership } FILTER NOT EXISTS { ?c a rg:CodeAssignment } }
        } ORDER BY ?key""",
    "newest confirmation by organisation": """SELECT ?key (MAX(?until) AS ?n) WHERE {
        ?c a rg:Membership ; org:organization ?key ; rg:confirmedUntil ?until } GROUP BY ?key ORDER BY DESC(?n) ?key""",
}

SECTIONS = tuple(_QUERIES)
"""The sections of :class:`Stats`, in order."""


@dataclass
class Stats:
    """The counts of one graph.

    Attributes:
        sections: Section name (of :data:`SECTIONS`) → rows of (key IRI, value): a count (int),
            or for ``newest confirmation by organisation`` the day (``YYYY-MM-DD``), or for
            ``states known only by their codes`` 0.
    """

    sections: dict[str, list[tuple[str, int | str]]] = field(default_factory=dict)

    def as_json(self) -> Mapping[str, object]:
        """The stats as JSON-ready data: section → list of ``{"key": IRI, "value": …}``."""
        return {name: [{"key": k, "value": v} for k, v in rows] for name, rows in self.sections.items()}


def graph_stats(store: ox.Store) -> Stats:
    """Count what a loaded store holds.

    Args:
        store: A query store (the ontology, facts and derived graph; default graph = union).

    Returns:
        The counts, every section present (possibly empty).
    """
    stats = Stats()
    for name, query in _QUERIES.items():
        rows: list[tuple[str, int | str]] = []
        for solution in store.query(_PREFIXES + query, use_default_graph_as_union=True):
            key, value = solution["key"], solution["n"]
            if key is None or value is None:
                continue
            text = value.value
            rows.append((key.value, int(text) if text.lstrip("-").isdigit() else text))
        stats.sections[name] = rows
    return stats
