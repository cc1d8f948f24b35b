"""The network of a day: ``relgraph plot network``.

States as nodes, linked on one day by what the graph records, from best-ranked claims only:

- ``memberships``: two states are linked when both are members of one of the chosen
  organisations on the day, as the stored query ``members`` answers for that day (one place for
  the rule of which memberships hold; rows last confirmed more than five years before the day
  left out as stale, as ``relgraph query`` leaves them out), in any role of membership (founding member, member,
  associate member, suspended member, participation frozen), not as observers, partners or
  dialogue partners, who are outside it; a link's width is the number of chosen organisations
  the two share;
- ``treaties``: two states are linked when a bilateral treaty between them is in force on the
  day (:func:`relgraph.query.spans.treaty_spans`); a link's width is the number of such treaties.

With chosen states, only the links that touch one of them are drawn (one state: its ego
network). The layout is networkx's spring layout with a fixed seed over the nodes in IRI order,
so the same graph gives the same picture; the legend names the links and the number of sources
they rest on. Drawn with the settings of :mod:`relgraph.plots.drawing`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from relgraph.plots.drawing import PlotError, check_format, counted, local_name, pyplot, save, sources_title, style, tidy, words
from relgraph.query.binding import run
from relgraph.query.catalogue import StoredQuery
from relgraph.query.confirmation import split_stale
from relgraph.query.results import labels_for
from relgraph.query.spans import select_rows, treaty_spans

__all__ = ["LINKS", "OUTSIDE_ROLES", "Network", "network", "network_chart"]

LINKS = ("memberships", "treaties")
"""What links two states."""

OUTSIDE_ROLES = frozenset({"observer", "partner", "dialogue-partner"})
"""Roles (``rgv:`` local names) that take part in an organisation without membership."""


@dataclass
class Network:
    """The states and their links on a day: ``links`` maps a pair of state IRIs (in IRI order)
    to what links them (organisation or treaty IRIs); ``sources`` are the IRIs of the sources of
    the claims drawn."""

    nodes: set[str] = field(default_factory=set)
    links: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    sources: set[str] = field(default_factory=set)


def network(store: ox.Store, members: StoredQuery, day: _dt.date, link: str, organisations: Sequence[str] = (), states: Sequence[str] = ()) -> Network:
    """The network of states linked on a day (see the module documentation).

    Args:
        store: The query store.
        members: The stored query ``members`` (for ``memberships``).
        day: The day.
        link: ``memberships`` or ``treaties``.
        organisations: For ``memberships``, the organisations' IRIs (one at least).
        states: If given, only links that touch one of these states (IRIs) are kept.

    Returns:
        The :class:`Network`; the chosen states are nodes even without a link.

    Raises:
        PlotError: An unknown link, ``memberships`` without organisations, or ``treaties``
            with organisations.
    """
    if link not in LINKS:
        raise PlotError(f"unknown link {link!r}; choose {' or '.join(LINKS)}")
    if link == "treaties" and organisations:
        raise PlotError("organisations are for a network of memberships: a network of treaties links states by their bilateral treaties "
                        "(relgraph plot network --link memberships; link=memberships at /pictures/network)")
    found = Network()
    if link == "memberships":
        if not organisations:
            raise PlotError("a network of memberships needs the organisations: name one or more (relgraph plot network --organisation ORG; organisation= at /pictures/network)")
        for organisation in organisations:
            # the rows the members query shows for the day: stale ones left out, as relgraph query does
            rows, _ = split_stale([row for row in run(store, members, {"organisation": organisation}, as_of=day) if local_name(row["role"].value) not in OUTSIDE_ROLES], day)
            holders = sorted({row["member"].value for row in rows})
            for one, two in itertools.combinations(holders, 2):
                found.links.setdefault((one, two), set()).add(organisation)
            found.nodes.update(holders)
            found.sources.update(s for row in rows if row["sources"] is not None for s in row["sources"].value.split())
    else:
        # one chosen state: only its treaties are read (a state's page asks this on every view)
        for r in treaty_spans(store, state=states[0] if len(states) == 1 else None):
            if _dt.date.fromisoformat(r["in_force"][:10]) <= day and (r["ended"] is None or _dt.date.fromisoformat(r["ended"][:10]) > day):
                found.links.setdefault((r["a"], r["b"]), set()).add(r["treaty"])
                found.nodes.update((r["a"], r["b"]))
                found.sources.update((r["sources"] or "").split())
    if states:
        chosen = set(states)
        found.links = {pair: why for pair, why in found.links.items() if chosen & set(pair)}
        found.nodes = {s for pair in found.links for s in pair} | chosen
    return found


def network_chart(
    store: ox.Store, members: StoredQuery, day: _dt.date, link: str, organisations: Sequence[str] = (), states: Sequence[str] = (), fmt: str = "svg", lang: str = "en"
) -> bytes:
    """Draw the network of a day.

    Args:
        store: The query store.
        members: The stored query ``members``.
        day: The day.
        link: ``memberships`` or ``treaties``.
        organisations: For ``memberships``, the organisations' IRIs.
        states: If given, only the links that touch one of these states are drawn.
        fmt: ``svg`` or ``png``.
        lang: ``en`` or ``ru``: the states' labels (English where no Russian one is recorded).

    Returns:
        The picture's bytes.

    Raises:
        PlotError: matplotlib or networkx is not installed, there is no link to draw, or as
            :func:`network`.
    """
    check_format(fmt)
    found = network(store, members, day, link, organisations, states)
    if not found.links:
        raise PlotError(f"no two states are linked by {link} on {day.isoformat()}")
    plt = pyplot()
    try:
        import networkx as nx  # noqa: PLC0415 - an optional extra, only for this picture (python -X importtime: 150 ms)
    except ImportError:
        raise PlotError("the network picture needs networkx: pip install 'relgraph[plots]'") from None
    from matplotlib.lines import Line2D  # noqa: PLC0415 - with matplotlib (python -X importtime: inside pyplot's 340 ms)

    names = labels_for(store, [*found.nodes, *organisations], lang)
    graph = nx.Graph()
    graph.add_nodes_from(sorted(found.nodes))
    for (one, two), why in sorted(found.links.items()):
        graph.add_edge(one, two, weight=len(why))
    positions = nx.spring_layout(graph, seed=1, weight="weight")
    widest = max(len(why) for why in found.links.values())

    def width(count: int) -> float:
        """A link's width in points: 1 for one organisation or treaty, up to 4.5 for the most."""
        return 1.0 + 3.5 * (count - 1) / (widest - 1) if widest > 1 else 1.5

    what = ", ".join(_short_names(store, organisations).get(o) or names.get(o, local_name(o)) for o in organisations) if link == "memberships" else words("bilateral treaties in force", lang)
    with style():
        figure, axes = plt.subplots(figsize=(10, 8))
        edges = sorted(graph.edges(data="weight"))
        nx.draw_networkx_edges(graph, positions, edgelist=[(u, v) for u, v, _ in edges], width=[width(w) for _, _, w in edges], edge_color="#7f8c8d", alpha=0.6, ax=axes)
        nx.draw_networkx_nodes(graph, positions, nodelist=sorted(graph.nodes), node_color=["#c0392b" if n in states else "#2e86c1" for n in sorted(graph.nodes)], node_size=260, ax=axes)
        # each label just above its node, on a white ground, so that links and nodes do not hide it
        above = {n: (x, y + 0.045) for n, (x, y) in positions.items()}
        nx.draw_networkx_labels(graph, above, labels={n: names.get(n, local_name(n)) for n in graph.nodes}, font_size=8, font_family="DejaVu Sans",
                                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 0.5}, ax=axes)
        axes.set_title(f"{what}: {day.isoformat()}")
        axes.axis("off")
        handles = [Line2D([], [], color="#7f8c8d", linewidth=width(w), label=_width_label(w, link, lang)) for w in sorted({len(why) for why in found.links.values()})]
        axes.legend(handles=handles, title=sources_title(found.sources, lang), loc="upper left", bbox_to_anchor=(1.0, 1), fontsize=8, title_fontsize=8)
        tidy(figure)
        return save(figure, fmt)


def _short_names(store: ox.Store, iris: Sequence[str]) -> dict[str, str]:
    """An organisation's shortest alternative label (an acronym such as "CSTO"), where it has one."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    rows = select_rows(store, f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?o ?short WHERE {{ VALUES ?o {{ {values} }} ?o skos:altLabel ?short }}""")
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (len(r["short"]), r["short"])):
        found.setdefault(row["o"], row["short"])
    return found


def _width_label(count: int, link: str, lang: str) -> str:
    if link == "memberships":
        return counted(count, ("shared organisation", "shared organisations"), ("общая организация", "общие организации", "общих организаций"), lang)
    return counted(count, ("treaty", "treaties"), ("договор", "договора", "договоров"), lang)
