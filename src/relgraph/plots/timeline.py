"""A dyad's timeline: ``relgraph plot timeline A B``.

Everything the graph records between two states over the years, one lane per thing, as bars
(what holds over time) and points (what happened on a day), from best-ranked claims only:

- **relations**: diplomatic relations, from their establishment until they were broken off;
- **ambassadors**: the postings of each state's head of mission in the other, a lane each way;
- **treaties**: each bilateral treaty between the two, from its entry into force until a
  denunciation by either took effect (:func:`relgraph.query.spans.treaty_spans`);
- **organisations**: each organisation both belong to, over the years both memberships hold
  (:func:`relgraph.query.spans.membership_spans`; open claims run to the chart's last year);

open bars (relations, postings, memberships) are faded after the last day their claims' dates
and sources confirm them (``rg:confirmedUntil``), as the stored queries mark such answers;
- **conflicts**: each war, armed conflict or border clash both took part in, marked "opposite
  sides" or "same side";
- **events** (the first lane): the dated events of the stored query ``timeline`` (treaty
  actions, the establishment of relations, meetings, incidents…), as points coloured by their
  class.

The legend names the kinds and the number of distinct sources of everything drawn. Drawn with
the settings of :mod:`relgraph.plots.drawing` (the same graph gives the same SVG bytes).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from relgraph.plots.drawing import PlotError, bar, check_format, lane_label, local_name, pyplot, save, sources_title, style, tidy, unconfirmed_handle, whole_years, words, year_fraction
from relgraph.query.binding import run
from relgraph.query.catalogue import StoredQuery
from relgraph.query.results import labels_for
from relgraph.query.spans import membership_spans, participation_spans, posting_spans, relation_spans, treaty_spans

__all__ = ["KIND_COLOURS", "Lane", "dyad_lanes", "timeline_chart"]

KIND_COLOURS = {
    "relations": "#117a65",
    "ambassador": "#48c9b0",
    "treaty": "#7d3c98",
    "organisation": "#2e86c1",
    "conflict": "#c0392b",
}
"""The colour of each kind of lane."""

_EVENT_COLOURS = {
    "TreatyAction": "#7d3c98",
    "DiplomaticRelation": "#117a65",
    "MissionOpening": "#117a65",
    "DiplomaticPosting": "#48c9b0",
    "Meeting": "#f39c12",
    "Summit": "#f39c12",
    "OrganisationFounding": "#2e86c1",
    "MilitaryPresence": "#5d6d7e",
}
"""The colour of each class of event (local names in ``rg:``); conflicts, incidents and others are red."""


@dataclass
class Lane:
    """One lane of the timeline: its kind (a key of :data:`KIND_COLOURS`), its label, its bars
    as (start, end) fractional years in order, never overlapping (end ``None``: open, drawn to
    the last year), and the
    sources of the claims it rests on (IRIs)."""

    kind: str
    label: str
    bars: list[tuple[float, float | None]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    confirmed: float | None = None
    subject: str = ""

    def open_until(self, confirmed: float | None) -> None:
        """Record the last day an open bar of this lane is confirmed (the latest of its claims')."""
        if confirmed is not None:
            self.confirmed = confirmed if self.confirmed is None else max(self.confirmed, confirmed)


def _year(day: str | None) -> float | None:
    return year_fraction(day) if day else None


def _overlap(one: tuple[float, float | None], two: tuple[float, float | None]) -> tuple[float, float | None] | None:
    start = max(one[0], two[0])
    ends = [e for e in (one[1], two[1]) if e is not None]
    end = min(ends) if ends else None
    return (start, end) if end is None or end > start else None


def _sources(text: str | None) -> set[str]:
    return set((text or "").split())


def dyad_lanes(store: ox.Store, a: str, b: str, lang: str = "en", organisations: Sequence[str] = ()) -> list[Lane]:
    """The bars of a dyad's timeline (see the module documentation), lanes in the order
    relations, ambassadors, treaties, organisations, conflicts; within a kind by first start.

    Args:
        store: The query store (derived bounds and best ranks loaded).
        a: The first state's IRI.
        b: The second state's IRI.
        lang: ``en`` or ``ru``: the lanes' labels (English where no Russian one is recorded).
        organisations: If given, only these organisations (IRIs) get lanes; else every
            organisation both belong to.

    Returns:
        The lanes with at least one bar.
    """
    names = labels_for(store, [a, b], lang)
    name_a, name_b = names.get(a, local_name(a)), names.get(b, local_name(b))
    lanes: list[Lane] = []

    relations = Lane("relations", words("diplomatic relations", lang))
    for r in relation_spans(store):
        if {r["a"], r["b"]} == {a, b} and r["start"]:
            relations.bars.append((year_fraction(r["start"]), _year(r["until"])))
            relations.sources |= _sources(r["sources"])
            if not r["until"]:
                relations.open_until(_year(r["confirmed"]))
    lanes.append(relations)

    for sending, receiving, one, two in ((a, b, name_a, name_b), (b, a, name_b, name_a)):
        lane = Lane("ambassador", f"ambassador of {one} in {two}" if lang == "en" else f"посол: {one} → {two}")
        for r in posting_spans(store, sending=sending, receiving=receiving):
            if r["start"]:
                lane.bars.append((year_fraction(r["start"]), _year(r["until"])))
                lane.sources |= _sources(r["sources"])
                if not r["until"]:
                    lane.open_until(_year(r["confirmed"]))
        lanes.append(lane)

    treaties = [r for r in treaty_spans(store, state=a) if {r["a"], r["b"]} == {a, b}]
    treaty_names = labels_for(store, [r["treaty"] for r in treaties], lang)
    for r in sorted(treaties, key=lambda r: (r["in_force"], r["treaty"])):
        lane = Lane("treaty", treaty_names.get(r["treaty"], local_name(r["treaty"])), [(year_fraction(r["in_force"]), _year(r["ended"]))], _sources(r["sources"]))
        lanes.append(lane)

    spans_a = membership_spans(store, member=a, lang=lang)
    spans_b = membership_spans(store, member=b, lang=lang)
    shared: dict[str, Lane] = {}
    for one in spans_a:
        for two in spans_b:
            if one["organisation"] != two["organisation"] or (organisations and one["organisation"] not in organisations):
                continue
            both = _overlap((year_fraction(one["start"]), _year(one["until"])), (year_fraction(two["start"]), _year(two["until"])))
            if both is None:
                continue
            lane = shared.setdefault(one["organisation"], Lane("organisation", one["organisation_label"] or local_name(one["organisation"]), subject=one["organisation"]))
            if both not in lane.bars:
                lane.bars.append(both)
            lane.sources |= _sources(one["sources"]) | _sources(two["sources"])
            if both[1] is None:  # open: confirmed while both memberships are
                confirmed = [_year(one["confirmed"]), _year(two["confirmed"])]
                lane.open_until(None if None in confirmed else min(confirmed))
    lanes += sorted(shared.values(), key=lambda lane: (min(s for s, _ in lane.bars), lane.label))

    conflicts_b = {}
    for r in participation_spans(store, state=b, lang=lang):
        conflicts_b.setdefault(r["conflict"], []).append(r)
    fought: dict[str, Lane] = {}
    for r in participation_spans(store, state=a, lang=lang):
        for other in conflicts_b.get(r["conflict"], ()):
            start_a, start_b = r["start"] or other["start"], other["start"] or r["start"]
            bar = _overlap((year_fraction(start_a), _year(r["until"])), (year_fraction(start_b), _year(other["until"]))) if start_a else None
            if bar is None:  # no start known, or the two took part in different years
                continue
            sides = words("same side" if r["side"] and r["side"] == other["side"] else "opposite sides", lang)
            lane = fought.setdefault(r["conflict"], Lane("conflict", f"{r['label'] or local_name(r['conflict'])} ({sides})"))
            if bar not in lane.bars:
                lane.bars.append(bar)
            lane.sources |= _sources(r["sources"]) | _sources(other["sources"])
    lanes += sorted(fought.values(), key=lambda lane: (min(s for s, _ in lane.bars), lane.label))
    for lane in lanes:
        lane.bars = _merged(lane.bars)
    return [lane for lane in lanes if lane.bars]


def _merged(bars: list[tuple[float, float | None]]) -> list[tuple[float, float | None]]:
    """The union of a lane's bars: overlapping or touching bars (two claims of one membership
    from two sources) become one, in order of start."""
    merged: list[tuple[float, float | None]] = []
    for start, end in sorted(bars, key=lambda bar: (bar[0], float("inf") if bar[1] is None else bar[1])):
        if merged and (merged[-1][1] is None or start <= merged[-1][1]):
            last = merged[-1][1]
            merged[-1] = (merged[-1][0], None if last is None or end is None else max(last, end))
        else:
            merged.append((start, end))
    return merged


def _events(store: ox.Store, timeline: StoredQuery, a: str, b: str) -> list[tuple[float, str, set[str]]]:
    rows = run(store, timeline, {"a": a, "b": b})
    events = []
    for row in rows:
        day = row["date"].value
        if len(day) < 10:  # a year or a month: drawn at its first day, as the query sorts it
            day = (day + "-01-01")[:10]
        events.append((year_fraction(day), local_name(row["type"].value), _sources(row["sources"].value if row["sources"] else "")))
    return events


def timeline_chart(
    store: ox.Store, timeline: StoredQuery, a: str, b: str, fmt: str = "svg", lang: str = "en", first: int | None = None, last: int | None = None, organisations: Sequence[str] = ()
) -> bytes:
    """Draw a dyad's timeline.

    Args:
        store: The query store.
        timeline: The stored query ``timeline`` (its events are the points).
        a: The first state's IRI.
        b: The second state's IRI.
        fmt: ``svg`` or ``png``.
        lang: ``en`` or ``ru``: the labels (English where no Russian one is recorded).
        first: The first year shown (default: the year before the earliest bar or event).
        last: The last year shown, where open bars end (default: this year).
        organisations: As :func:`dyad_lanes`.

    Returns:
        The picture's bytes.

    Raises:
        PlotError: matplotlib is not installed, the graph records nothing dated between the two,
            the period is empty, or the format is unknown.
    """
    check_format(fmt)
    plt = pyplot()
    from matplotlib.lines import Line2D  # noqa: PLC0415 - with matplotlib, an optional extra (python -X importtime: inside pyplot's 340 ms)
    from matplotlib.patches import Patch  # noqa: PLC0415 - as above (python -X importtime)

    names = labels_for(store, [a, b], lang)
    if a == b:
        raise PlotError(f"both states are {names.get(a, local_name(a))}: give two states")
    lanes = dyad_lanes(store, a, b, lang, organisations)
    if organisations:
        shared = {lane.subject for lane in lanes if lane.kind == "organisation"}
        missing = [o for o in organisations if o not in shared]
        if missing:
            unshared = ", ".join(labels_for(store, missing, lang).get(o, local_name(o)) for o in missing)
            raise PlotError(f"{names.get(a, local_name(a))} and {names.get(b, local_name(b))} never both belong to {unshared}; leave it out of --organisation")
    events = _events(store, timeline, a, b)
    if not lanes and not events:
        raise PlotError(f"the graph records nothing dated between {names.get(a, a)} and {names.get(b, b)}")
    end_year = (last or _dt.date.today().year) + 1
    starts = [s for lane in lanes for s, _ in lane.bars] + [x for x, _, _ in events]
    start_year = first if first is not None else int(min(starts)) - 1
    if start_year >= end_year:
        raise PlotError(f"the period is empty: from {start_year} to {end_year - 1}")
    # only what falls within the period: bars that overlap it, events inside it
    for lane in lanes:
        lane.bars = [(begin, finish) for begin, finish in lane.bars if begin < end_year and (finish is None or finish > start_year)]
    lanes = [lane for lane in lanes if lane.bars]
    events = [e for e in events if start_year <= e[0] < end_year]
    if not lanes and not events:
        raise PlotError(f"the graph records nothing dated between {names.get(a, a)} and {names.get(b, b)} from {start_year} to {end_year - 1}")
    rows = len(lanes) + (1 if events else 0)
    sources = {s for lane in lanes for s in lane.sources} | {s for _, _, found in events for s in found}

    with style():
        figure, axes = plt.subplots(figsize=(10, 1.4 + 0.34 * rows))
        # the events first, where they are seen before the lanes of organisations
        offset = 1 if events else 0
        labels = [words("events", lang)] if events else []
        for x, kind, _ in sorted(events, key=lambda e: (e[0], e[1])):
            axes.plot([x], [0], marker="o", markersize=5, linestyle="none", color=_EVENT_COLOURS.get(kind, "#c0392b"))
        faded = False
        for index, lane in enumerate(lanes, start=offset):
            for begin, finish in lane.bars:
                faded |= bar(axes, index, begin, finish, lane.confirmed, end_year, KIND_COLOURS[lane.kind])
        labels += [lane_label(lane.label) for lane in lanes]
        axes.set_yticks(range(rows), labels)
        axes.set_ylim(rows - 0.5, -0.5)  # top to bottom, no empty band above or below
        axes.set_xlim(start_year, end_year)
        axes.set_title(f"{names.get(a, local_name(a))} – {names.get(b, local_name(b))}")
        axes.grid(axis="x", color="#dddddd")
        kinds = [kind for kind in KIND_COLOURS if any(lane.kind == kind for lane in lanes)]
        handles = [Patch(color=KIND_COLOURS[kind], label=words(kind, lang)) for kind in kinds]
        handles += [unconfirmed_handle(lang)] if faded else []
        handles += [Line2D([], [], marker="o", linestyle="none", color=_EVENT_COLOURS.get(kind, "#c0392b"), label=words(kind, lang)) for kind in sorted({k for _, k, _ in events})]
        axes.legend(handles=handles, title=sources_title(sources, lang), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8, title_fontsize=8)
        whole_years(axes)
        tidy(figure)
        return save(figure, fmt)
