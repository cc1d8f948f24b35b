"""The pictures of ``relgraph serve``: ``GET /pictures/KIND?…`` draws what ``relgraph plot KIND``
draws (:mod:`relgraph.plots`), and an entity's page shows the picture that fits it:

- an organisation with membership claims: its membership chart
  (``/pictures/membership?organisation=IRI``);
- a bilateral relation or diplomatic relations between two states (``rg:BilateralRelation``,
  ``rg:DiplomaticRelation`` with two ``rg:party``): the dyad's timeline
  (``/pictures/timeline?a=IRI&b=IRI``);
- a state with a bilateral treaty in force today: its network of treaties
  (``/pictures/network?link=treaties&state=IRI``).

Parameters take what the stored queries take (an ISO or COW code, a Wikidata id, a label, an
IRI), resolved by :func:`relgraph.query.binding.resolve`; a bad one is a one-line 400 answer that
names it. Pictures need the ``plots`` extra; without it no page shows one and ``/pictures``
answers 501 with how to install it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

import pyoxigraph as ox

from relgraph.errors import ParameterError
from relgraph.graph.dates import today
from relgraph.query.binding import answer_day, resolve
from relgraph.query.results import labels_for
from relgraph.query.spans import select_rows

__all__ = ["KINDS", "MEDIA", "available", "draw", "picture_href"]

KINDS = ("membership", "timeline", "network")
"""The pictures the server draws."""

MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
"""The media type of each picture format."""

_PARAMETERS = {
    "membership": {"organisation", "to"},
    "timeline": {"a", "b", "from", "to", "organisation"},
    "network": {"link", "organisation", "state", "as-of"},
}


def available() -> bool:
    """Whether the ``plots`` extra (matplotlib and networkx) is installed."""
    return importlib.util.find_spec("matplotlib") is not None and importlib.util.find_spec("networkx") is not None


def picture_href(store: ox.Store, iri: str, prefix: str = "/", lang: str = "en") -> str | None:
    """The server path of the picture an entity's page shows, if one fits it (see the module
    documentation) and the ``plots`` extra is installed.

    Args:
        store: The query store.
        iri: The entity's IRI.
        prefix: The server path the base IRI maps to, ending in ``/``.
        lang: The page's label language.

    Returns:
        A path with its query string, or ``None``.
    """
    if not available() or "<" in iri or ">" in iri or " " in iri:
        return None
    suffix = [("lang", lang)] if lang != "en" else []
    found = select_rows(store, f"""SELECT ?what (GROUP_CONCAT(DISTINCT STR(?party); separator=" ") AS ?parties) WHERE {{
        {{ BIND ("membership" AS ?what) FILTER EXISTS {{ ?claim a rg:Membership ; org:organization <{iri}> }} }}
        UNION {{ BIND ("timeline" AS ?what) <{iri}> a ?class ; rg:party ?party . VALUES ?class {{ rg:BilateralRelation rg:DiplomaticRelation }} }}
        UNION {{ BIND ("network" AS ?what) <{iri}> a rg:State FILTER EXISTS {{ ?treaty a rg:BilateralTreaty ; rg:party <{iri}> }} }}
    }} GROUP BY ?what""")
    kinds = {row["what"]: (row["parties"] or "").split() for row in found}
    if "membership" in kinds:
        return f"{prefix}pictures/membership?" + urlencode([("organisation", iri), *suffix])
    if len(kinds.get("timeline", ())) == 2:
        one, two = sorted(kinds["timeline"])
        return f"{prefix}pictures/timeline?" + urlencode([("a", one), ("b", two), *suffix])
    if "network" in kinds:
        # imported here: networkx and matplotlib load only when a picture is drawn (python -X importtime: 340 ms)
        from relgraph.plots.network import network  # noqa: PLC0415

        if network(store, None, today(), "treaties", states=[iri]).links:
            return f"{prefix}pictures/network?" + urlencode([("link", "treaties"), ("state", iri), *suffix])
    return None


def _one(params: Mapping[str, Sequence[str]], name: str, default: str | None = None) -> str | None:
    values = params.get(name, ())
    if len(values) > 1:
        raise ParameterError(f"{name}= is given twice")
    return values[0] if values else default


def _year(params: Mapping[str, Sequence[str]], name: str) -> int | None:
    value = _one(params, name)
    if value is None:
        return None
    if not value.isdigit() or not 1816 <= int(value) <= today().year:
        raise ParameterError(f"{name}={value[:12]!r}: give a year from 1816 to this year ({today().year})")
    return int(value)


def draw(store: ox.Store, catalogue: Mapping[str, object], kind: str, params: Mapping[str, Sequence[str]], fmt: str = "svg", lang: str = "en") -> bytes:
    """Draw a picture for ``GET /pictures/KIND``.

    Args:
        store: The query store.
        catalogue: The stored queries by name (``members``, ``timeline``, ``ambassadors`` are used
            to resolve parameters).
        kind: One of :data:`KINDS`.
        params: The request's parameters, name → values (``lang`` and ``format`` taken out).
        fmt: ``svg`` or ``png``.
        lang: ``en`` or ``ru``.

    Returns:
        The picture's bytes.

    Raises:
        ParameterError: An unknown kind or parameter, a parameter given twice or missing, or a
            value that names nothing.
        relgraph.plots.drawing.PlotError: Nothing to draw.
    """
    if kind not in KINDS:
        raise ParameterError(f"no picture {kind!r}; the pictures: {', '.join(KINDS)}")
    unknown = sorted(set(params) - _PARAMETERS[kind])
    if unknown:
        raise ParameterError(f"the {kind} picture has no parameter {unknown[0]!r}; its parameters: {', '.join(sorted(_PARAMETERS[kind]))}")
    members = catalogue["members"]

    def organisation(value: str) -> str:
        return resolve(store, members, "organisation", value, shown="organisation=").value

    # imported here: matplotlib is 340 ms to import (python -X importtime), only for a picture
    from relgraph.plots import membership, network, timeline  # noqa: PLC0415

    last = _year(params, "to") or today().year
    if kind == "membership":
        value = _one(params, "organisation")
        if value is None:
            raise ParameterError("the membership picture needs organisation=… (for example: organisation=CSTO)")
        iri = organisation(value)
        return membership.membership_chart(store, iri, labels_for(store, [iri], lang).get(iri, iri), fmt, lang, last)
    if kind == "timeline":
        query = catalogue["timeline"]
        states = []
        for name in ("a", "b"):
            value = _one(params, name)
            if value is None:
                raise ParameterError("the timeline picture needs a=… and b=… (for example: a=RU&b=TJ)")
            states.append(resolve(store, query, name, value, shown=f"{name}=").value)
        chosen = list(dict.fromkeys(organisation(v) for v in params.get("organisation", ())))
        return timeline.timeline_chart(store, query, states[0], states[1], fmt, lang, _year(params, "from"), last, chosen)
    day = answer_day(members, _one(params, "as-of"), False, style="http") or today()
    link = _one(params, "link", "memberships")
    ambassadors = catalogue["ambassadors"]
    chosen_states = list(dict.fromkeys(resolve(store, ambassadors, "sending", v, shown="state=").value for v in params.get("state", ())))
    chosen = list(dict.fromkeys(organisation(v) for v in params.get("organisation", ())))
    return network.network_chart(store, members, day, link, chosen, chosen_states, fmt, lang)
