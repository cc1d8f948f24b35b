"""What the pictures share: matplotlib (an optional extra), the fixed settings that make an SVG
the same bytes for the same graph, the role colours, day → fractional year, and the legend's
count of sources.

Determinism (matplotlib's documented settings): ``svg.hashsalt`` fixed (the ids of clip paths and
glyphs), ``svg.fonttype`` ``none`` (text kept as text, so that it can be searched and read), no
``Date`` in the SVG metadata; PNG at 100 dpi. Labels are set in DejaVu Sans, which matplotlib ships
and which has Cyrillic.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import textwrap
from collections.abc import Iterable, Iterator

from relgraph.errors import RelgraphError

__all__ = ["FORMATS", "ROLE_COLOURS", "UNCONFIRMED_ALPHA", "PlotError", "bar", "check_format", "counted", "lane_label", "local_name", "pyplot", "save", "sources_title", "style", "tidy", "unconfirmed_handle", "whole_years", "words", "year_fraction"]

FORMATS = ("svg", "png")
"""The picture formats."""

ROLE_COLOURS = {
    "founding-member": "#1b4f72",
    "member": "#2e86c1",
    "associate-member": "#76b7e5",
    "observer": "#f0b27a",
    "dialogue-partner": "#f7dc6f",
    "partner": "#f7dc6f",
    "suspended-member": "#c0392b",
    "participation-frozen": "#7f8c8d",
}
"""The colour of each membership role (local names in ``rgv:``); other roles are grey."""


UNCONFIRMED_ALPHA = 0.3
"""How opaque the part of an open bar after its last confirmation is drawn."""


class PlotError(RelgraphError):
    """A picture cannot be drawn as asked (matplotlib missing, nothing to draw, a bad format)."""


def pyplot():
    """matplotlib's ``pyplot`` on the Agg backend (no display).

    Returns:
        The ``matplotlib.pyplot`` module.

    Raises:
        PlotError: matplotlib is not installed (``pip install 'relgraph[plots]'``).
    """
    try:
        # imported here: an optional extra, and python -X importtime shows 340 ms for matplotlib.pyplot
        import matplotlib  # noqa: PLC0415

        matplotlib.use("Agg")  # no display: draw to files
        import matplotlib.pyplot as plt  # noqa: PLC0415 - as above (python -X importtime: 340 ms)
    except ImportError:
        raise PlotError("the pictures need matplotlib: pip install 'relgraph[plots]'") from None
    return plt


def check_format(fmt: str) -> None:
    """Refuse a format other than :data:`FORMATS`.

    Raises:
        PlotError: Naming the formats.
    """
    if fmt not in FORMATS:
        raise PlotError(f"unknown picture format {fmt!r}; choose svg or png")


@contextlib.contextmanager
def style() -> Iterator[None]:
    """The settings every picture is drawn with (see the module documentation)."""
    plt = pyplot()
    with plt.rc_context({"svg.hashsalt": "relgraph", "svg.fonttype": "none", "font.family": "DejaVu Sans"}):
        yield


def save(figure, fmt: str) -> bytes:
    """Write a figure as SVG (no date in its metadata) or PNG (100 dpi) and close it.

    Args:
        figure: A matplotlib figure, drawn inside :func:`style`.
        fmt: ``svg`` or ``png``.

    Returns:
        The picture's bytes.
    """
    plt = pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None, dpi=100)
    plt.close(figure)
    return buffer.getvalue()


def year_fraction(day: str) -> float:
    """An ISO 8601 day (or a longer timestamp) as a fractional year: ``2001-07-02`` → 2001.5."""
    date = _dt.date.fromisoformat(day[:10])
    return date.year + (date.toordinal() - _dt.date(date.year, 1, 1).toordinal()) / 365.25


def local_name(iri: str) -> str:
    """The part of an IRI after its last ``/`` or ``#``."""
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


_RUSSIAN = {
    "relations": "отношения",
    "ambassador": "посол",
    "treaty": "договор",
    "organisation": "организация",
    "conflict": "конфликт",
    "events": "события",
    "diplomatic relations": "дипломатические отношения",
    "same side": "на одной стороне",
    "opposite sides": "на разных сторонах",
    "bilateral treaties in force": "двусторонние договоры в силе",
    "TreatyAction": "действие по договору",
    "DiplomaticRelation": "дипломатические отношения",
    "DiplomaticPosting": "назначение посла",
    "MissionOpening": "открытие представительства",
    "Meeting": "встреча",
    "Summit": "саммит",
    "OrganisationFounding": "основание организации",
    "MilitaryPresence": "военное присутствие",
    "ArmedConflict": "вооружённый конфликт",
    "War": "война",
    "BorderClash": "пограничный конфликт",
    "Incident": "инцидент",
    "Attack": "нападение",
    "Arrest": "арест",
    "ArrestWarrant": "ордер на арест",
    "Annexation": "аннексия",
    "Invasion": "вторжение",
}
"""The pictures' fixed words in Russian, by their English form (or an ``rg:`` class's local name)."""


def words(text: str, lang: str = "en") -> str:
    """A fixed word of the pictures in the label language: Russian where :data:`_RUSSIAN` has
    it; else English (an ``rg:`` class's local name, ``TreatyAction``, as ``treaty action``).

    Args:
        text: The English word, or a class's local name.
        lang: ``en`` or ``ru``.

    Returns:
        The word.
    """
    if lang == "ru" and text in _RUSSIAN:
        return _RUSSIAN[text]
    return "".join(" " + c.lower() if c.isupper() else c for c in text).strip() if text[:1].isupper() else text


def counted(count: int, english: tuple[str, str], russian: tuple[str, str, str], lang: str = "en") -> str:
    """``count`` with its noun in the right number: English singular or plural; Russian one,
    few (2-4) or many (5-20, 0), by the last two digits."""
    if lang != "ru":
        return f"{count} {english[0] if count == 1 else english[1]}"
    tens, units = count % 100, count % 10
    form = russian[2] if 11 <= tens <= 14 else russian[0] if units == 1 else russian[1] if 2 <= units <= 4 else russian[2]
    return f"{count} {form}"


def sources_title(sources: Iterable[str], lang: str = "en") -> str:
    """The legend's title: how many distinct sources the picture rests on (``"12 sources"``,
    ``"12 источников"``)."""
    count = len({s for field in sources for s in (field or "").split()})
    return counted(count, ("source", "sources"), ("источник", "источника", "источников"), lang)


def lane_label(text: str, width: int = 40) -> str:
    """A label for the left of a lane: wrapped at *width* characters onto at most two lines,
    the rest left out with "…", so that a treaty's long title does not squeeze the bars."""
    return "\n".join(textwrap.wrap(text, width, max_lines=2, placeholder=" …")) or text


def bar(axes, row: int, begin: float, finish: float | None, confirmed: float | None, last: float, colour: str) -> bool:
    """Draw one bar of a lane from *begin* to *finish* (fractional years). An open bar (*finish*
    ``None``) runs to *last*, solid up to *confirmed* (the last day its claims' dates and
    sources confirm, ``rg:confirmedUntil``) and faded after it, as the stored queries mark an
    answer past that day unconfirmed.

    Returns:
        Whether a faded part was drawn (the legend then explains it).
    """
    if finish is not None or confirmed is None or confirmed >= last:
        end = last if finish is None else finish
        axes.barh(row, max(end - begin, 0.05), left=begin, height=0.6, color=colour)
        return False
    solid_end = max(confirmed, begin)
    axes.barh(row, max(solid_end - begin, 0.05), left=begin, height=0.6, color=colour)
    # faded, with the colour's outline, so that a pale colour's faded part still shows
    axes.barh(row, last - solid_end, left=solid_end, height=0.6, facecolor=colour, alpha=UNCONFIRMED_ALPHA)
    axes.barh(row, last - solid_end, left=solid_end, height=0.6, fill=False, edgecolor=colour, linewidth=0.6)
    return True


def unconfirmed_handle(lang: str = "en"):
    """The legend's entry for the faded part of open bars."""
    from matplotlib.patches import Patch  # noqa: PLC0415 - with matplotlib, an optional extra (python -X importtime: inside pyplot's 340 ms)

    label = "not confirmed after the sources' last date" if lang == "en" else "не подтверждено после последней даты источников"
    return Patch(color="#555555", alpha=UNCONFIRMED_ALPHA, label=label)


def tidy(figure) -> None:
    """Fit the figure's parts (``tight_layout``), quietly: a legend too tall to fit makes
    matplotlib warn on standard error, and the picture is drawn all the same."""
    import warnings  # noqa: PLC0415 - only when a picture is drawn (python -X importtime: already imported by matplotlib)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        figure.tight_layout()


def whole_years(axes) -> None:
    """Years on the x axis as whole numbers (never 1992.5)."""
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 - with matplotlib, an optional extra (python -X importtime: inside pyplot's 340 ms)

    axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
