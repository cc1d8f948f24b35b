"""An organisation's membership chart: ``relgraph plot membership ORG``.

One horizontal bar per state and role over the years its best-ranked membership claims hold
(from the earliest possible start, or the first day its dates or sources confirm, to the latest
possible end; open claims run to the chart's last year), coloured by role (rgv:membership-roles),
the states labelled in English or Russian (DejaVu Sans, which matplotlib ships, has Cyrillic),
and a legend that names the roles and the number of sources the bars rest on.

Output is deterministic: the same graph gives the same SVG bytes (``svg.hashsalt`` fixed, no
date in the metadata, text kept as text so that it can be searched); PNG at 100 dpi.
"""

from __future__ import annotations

import datetime as _dt
import io

import pyoxigraph as ox

from relgraph.errors import RelgraphError

__all__ = ["FORMATS", "PlotError", "membership_chart"]

FORMATS = ("svg", "png")

_ROLE_COLOURS = {
    "founding-member": "#1b4f72",
    "member": "#2e86c1",
    "associate-member": "#76b7e5",
    "observer": "#f0b27a",
    "dialogue-partner": "#f7dc6f",
    "partner": "#f7dc6f",
    "suspended-member": "#c0392b",
    "participation-frozen": "#7f8c8d",
}
"""The colour of each role (local names in ``rgv:``); other roles are grey."""


class PlotError(RelgraphError):
    """A picture cannot be drawn as asked (matplotlib missing, nothing to draw, a bad format)."""


def _rows(store: ox.Store, organisation: str, lang: str) -> list[dict[str, str | None]]:
    query = f"""PREFIX rg: <https://w3id.org/relgraph/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    PREFIX wikibase: <http://wikiba.se/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    SELECT ?member ?role ?from ?until (SAMPLE(?name) AS ?label) (SAMPLE(?english) AS ?fallback) (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources) WHERE {{
      ?claim a rg:Membership , wikibase:BestRank ; org:organization <{organisation}> ; org:member ?member ; org:role ?role ; prov:wasDerivedFrom ?source .
      OPTIONAL {{ ?claim rg:startEarliest ?s }} OPTIONAL {{ ?claim rg:unconfirmedBefore ?u }} OPTIONAL {{ ?claim rg:endLatest ?until }}
      BIND (COALESCE(?s, ?u) AS ?from) FILTER (BOUND(?from))
      OPTIONAL {{ ?member rdfs:label ?name FILTER (LANGMATCHES(LANG(?name), "{lang}")) }}
      OPTIONAL {{ ?member rdfs:label ?english FILTER (LANGMATCHES(LANG(?english), "en")) }}
    }} GROUP BY ?member ?role ?from ?until"""
    answer = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in answer.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in answer]


def _year_fraction(day: str) -> float:
    date = _dt.date.fromisoformat(day[:10])
    start = _dt.date(date.year, 1, 1).toordinal()
    return date.year + (date.toordinal() - start) / 365.25


def membership_chart(store: ox.Store, organisation: str, title: str, fmt: str = "svg", lang: str = "en", last: int | None = None) -> bytes:
    """Draw an organisation's membership chart.

    Args:
        store: The query store.
        organisation: The organisation's IRI.
        title: The chart's title (the organisation's label).
        fmt: ``svg`` or ``png``.
        lang: ``en`` or ``ru``: the states' labels (English where no Russian one is recorded).
        last: The chart's last year, where open memberships end (default: this year).

    Returns:
        The picture's bytes.

    Raises:
        PlotError: matplotlib is not installed (``pip install 'relgraph[plots]'``), the
            organisation has no membership claim with a start, or the format is unknown.
    """
    if fmt not in FORMATS:
        raise PlotError(f"unknown picture format {fmt!r}; choose svg or png")
    try:
        # imported here: an optional extra, and python -X importtime shows 340 ms for matplotlib.pyplot
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")  # no display: draw to files
        import matplotlib.pyplot as plt  # noqa: PLC0415 - as above (python -X importtime: 340 ms)
        from matplotlib.patches import Patch  # noqa: PLC0415 - as above (python -X importtime)
    except ImportError:
        raise PlotError("the pictures need matplotlib: pip install 'relgraph[plots]'") from None
    rows = _rows(store, organisation, lang)
    if not rows:
        raise PlotError(f"<{organisation}> has no membership claim with a start to draw")
    end_year = (last or _dt.date.today().year) + 1
    label = {r["member"]: r["label"] or r["fallback"] or r["member"].rsplit("/", 1)[-1] for r in rows}
    first_start: dict[str, float] = {}
    for r in rows:
        first_start[r["member"]] = min(first_start.get(r["member"], 9999.0), _year_fraction(r["from"]))
    members = sorted(first_start, key=lambda m: (first_start[m], label[m]))
    sources = {s for r in rows for s in (r["sources"] or "").split()}
    roles = sorted({r["role"].rsplit("/", 1)[-1] for r in rows}, key=lambda r: (list(_ROLE_COLOURS).index(r) if r in _ROLE_COLOURS else 99, r))

    with matplotlib.rc_context({"svg.hashsalt": "relgraph", "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        figure, axes = plt.subplots(figsize=(10, 1.2 + 0.28 * len(members)))
        for index, member in enumerate(members):
            for r in sorted((r for r in rows if r["member"] == member), key=lambda r: (r["from"], r["role"])):
                begin = _year_fraction(r["from"])
                finish = _year_fraction(r["until"]) if r["until"] else end_year
                role = r["role"].rsplit("/", 1)[-1]
                axes.barh(index, max(finish - begin, 0.05), left=begin, height=0.6, color=_ROLE_COLOURS.get(role, "#bbbbbb"))
        axes.set_yticks(range(len(members)), [label[m] for m in members])
        axes.invert_yaxis()
        axes.set_xlim(min(first_start.values()) - 1, end_year)
        axes.set_title(title)
        axes.grid(axis="x", color="#dddddd")
        handles = [Patch(color=_ROLE_COLOURS.get(role, "#bbbbbb"), label=role.replace("-", " ")) for role in roles]
        axes.legend(handles=handles, title=f"{len(sources)} source{'s' if len(sources) != 1 else ''}", loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=8)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None, dpi=100)
        plt.close(figure)
    return buffer.getvalue()
