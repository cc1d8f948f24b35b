"""An organisation's membership chart: ``relgraph plot membership ORG``.

One horizontal bar per state and role over the years its best-ranked membership claims hold
(:func:`relgraph.query.spans.membership_spans`: from the earliest possible start, or the first day
its dates or sources confirm, to the latest possible end; open claims run to the chart's last
year, faded after the last day their dates and sources confirm them), coloured by role (rgv:membership-roles), the states labelled in English or Russian, and a
legend that names the roles and the number of sources the bars rest on. Drawn with the settings of
:mod:`relgraph.plots.drawing` (the same graph gives the same SVG bytes).
"""

from __future__ import annotations

import datetime as _dt

import pyoxigraph as ox

from relgraph.namespaces import RGV
from relgraph.plots.drawing import ROLE_COLOURS, PlotError, bar, check_format, lane_label, local_name, pyplot, save, sources_title, style, tidy, unconfirmed_handle, whole_years, year_fraction
from relgraph.query.results import labels_for
from relgraph.query.spans import membership_spans

__all__ = ["membership_chart"]


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
    check_format(fmt)
    plt = pyplot()
    from matplotlib.patches import Patch  # noqa: PLC0415 - with matplotlib, an optional extra (python -X importtime: inside pyplot's 340 ms)

    rows = membership_spans(store, organisation=organisation, lang=lang)
    if not rows:
        raise PlotError(f"<{organisation}> has no membership claim with a start to draw")
    end_year = (last or _dt.date.today().year) + 1
    earliest = min(year_fraction(r["start"]) for r in rows)
    if earliest >= end_year:
        raise PlotError(f"the chart would end in {end_year - 1}, before the first membership ({int(earliest)}): give a later --to")
    label = {r["member"]: r["label"] or local_name(r["member"]) for r in rows}
    first_start: dict[str, float] = {}
    for r in rows:
        first_start[r["member"]] = min(first_start.get(r["member"], 9999.0), year_fraction(r["start"]))
    members = sorted(first_start, key=lambda m: (first_start[m], label[m]))
    roles = sorted({local_name(r["role"]) for r in rows}, key=lambda r: (list(ROLE_COLOURS).index(r) if r in ROLE_COLOURS else 99, r))

    with style():
        figure, axes = plt.subplots(figsize=(10, 1.2 + 0.28 * len(members)))
        faded = False
        for index, member in enumerate(members):
            for r in sorted((r for r in rows if r["member"] == member), key=lambda r: (r["start"], r["role"])):
                finish = year_fraction(r["until"]) if r["until"] else None
                confirmed = year_fraction(r["confirmed"]) if r["confirmed"] else None
                faded |= bar(axes, index, year_fraction(r["start"]), finish, confirmed, end_year, ROLE_COLOURS.get(local_name(r["role"]), "#bbbbbb"))
        axes.set_yticks(range(len(members)), [lane_label(label[m]) for m in members])
        axes.set_ylim(len(members) - 0.5, -0.5)  # top to bottom, no empty band above or below
        axes.set_xlim(min(first_start.values()) - 1, end_year)
        axes.set_title(title)
        axes.grid(axis="x", color="#dddddd")
        names = labels_for(store, [RGV + role for role in roles], lang)
        handles = [Patch(color=ROLE_COLOURS.get(role, "#bbbbbb"), label=names.get(RGV + role, role.replace("-", " "))) for role in roles] + ([unconfirmed_handle(lang)] if faded else [])
        axes.legend(handles=handles, title=sources_title((r["sources"] for r in rows), lang), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=8)
        whole_years(axes)
        tidy(figure)
        return save(figure, fmt)
