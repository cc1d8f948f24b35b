"""Whether a state a query names was an independent state on the day asked.

Issue 14 asks that "a state that did not exist on the day asked is said so": an answer about
Kazakhstan on 1990-06-30 is empty because Kazakhstan was then a Soviet republic, not because the
graph lacks facts. The periods are the state-system claims (``rg:StateSystemMembership``) of the
Correlates of War and Gleditsch–Ward lists, with the days derived at load time
(``rg:startEarliest``, ``rg:endLatest``); the rule is the graph's one rule for a day
(README, "How the graph is modelled"). A state with no such claim says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pyoxigraph as ox

from relgraph.query.binding import resolve
from relgraph.query.catalogue import StoredQuery
from relgraph.query.results import labels_for
from relgraph.sparqltext import insert_values

__all__ = ["statehood_notes"]

_PERIODS = """
PREFIX rg: <https://w3id.org/relgraph/ontology#>
SELECT ?start ?end ?startEarliest ?endLatest WHERE {
  ?claim a rg:StateSystemMembership ; rg:state ?state ; rg:startEarliest ?startEarliest .
  OPTIONAL { ?claim rg:start ?start } OPTIONAL { ?claim rg:end ?end } OPTIONAL { ?claim rg:endLatest ?endLatest }
}
ORDER BY ?startEarliest
"""


def statehood_notes(
    store: ox.Store, query: StoredQuery, params: Mapping[str, str], day: dt.date | None, period: tuple[dt.date | None, dt.date | None] = (None, None)
) -> list[str]:
    """Notes for each ``state`` parameter that names a state that was not independent on *day*,
    or, where a period is asked (``--from``, ``--to``), at any time in it.

    Args:
        store: The local query store (a remote endpoint is not asked).
        query: The stored query.
        params: Parameter name → the value as typed (already checked by binding).
        day: The day the query answers for; ``None`` (not time-aware): no notes.
        period: The period asked of a query with ``period: yes`` (first and last day, ``None``
            where open): the state is checked against it, not against *day* (the USSR asked
            for 1939-1945 is no note, though it is no state today).

    Returns:
        One line per such parameter, for standard error: ``Note: --param state='KZ' names
        Kazakhstan, which was not an independent state on 1990-06-30 (its periods in the COW and
        GW state systems: from 1991-12-16).``; none when the state held a period on the day or has
        no state-system claims.

    Raises:
        ParameterError: As :func:`relgraph.query.binding.resolve`.
    """
    if day is None or not isinstance(store, ox.Store):
        return []
    notes = []
    within = query.period and (period[0] is not None or period[1] is not None)
    first = (period[0] or dt.date(1, 1, 1)).isoformat() if within else day.isoformat()
    last = (period[1] or dt.date(9999, 12, 31)).isoformat() if within else day.isoformat()
    when = f"at any time from {period[0] or 'the beginning'} to {period[1] or 'today'}" if within else f"on {day.isoformat()}"
    for parameter in query.parameters:
        if parameter.type != "state" or parameter.name not in params:
            continue
        state = resolve(store, query, parameter.name, params[parameter.name])
        periods = list(store.query(insert_values(_PERIODS, ["state"], [str(state)]), use_default_graph_as_union=True))
        if not periods:
            continue
        held = any(p["startEarliest"].value <= last and (p["endLatest"] is None or p["endLatest"].value >= first) for p in periods)
        if held:
            continue
        shown = sorted({(p["start"].value if p["start"] is not None else p["startEarliest"].value, p["end"].value if p["end"] is not None else "") for p in periods})
        spans = "; ".join(f"{s} to {e}" if e else f"from {s}" for s, e in shown)
        name = labels_for(store, [state.value]).get(state.value, state.value)
        notes.append(f"Note: --param {parameter.name}={params[parameter.name]!r} names {name}, which was not an independent state {when} (its periods in the COW and GW state systems: {spans}).")
    return notes
