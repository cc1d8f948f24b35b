"""Notes on answers about a day that rest on claims not confirmed on that day.

A time-aware stored query answers for one day (``--as-of``, else today). Two of its columns say
when a row rests on a claim that neither its own dates nor its sources' dates confirm on that
day (README, "As of a date"):

- ``unconfirmed_after``: the claim has no end, and the latest day they confirm
  (``rg:confirmedUntil``) is before the day asked: the answer may be stale;
- ``unconfirmed_before`` (only with ``--all-claims``, which keeps such rows): the claim has no
  start, and the earliest day they confirm (``rg:unconfirmedBefore``) is after the day asked.

A value in a column is easy to miss in a wide table or a file, so :func:`unconfirmed_notes`
words one line for standard error (or an HTTP header) per column that holds values: how many
rows, and since when.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from relgraph.query.results import RESULT_FORMATS

__all__ = ["CONFIRMATION_COLUMNS", "STALE_YEARS", "is_stale", "split_stale", "stale_note", "unconfirmed_notes", "result_rows"]

STALE_YEARS = 5
"""Rows last confirmed more than this many years before the day asked are left out of an answer
by default (``--include-stale`` lists them): per COW IGO v3, Russia and Tajikistan shared dozens
of organisations in 2014, and an answer about today would otherwise be mostly such rows."""

CONFIRMATION_COLUMNS = ("unconfirmed_after", "unconfirmed_before")
"""The result columns of time-aware stored queries that mark unconfirmed rows, in note order."""


def _text(value: object) -> str | None:
    """A cell's lexical form: a pyoxigraph term's value, a string as given; ``None`` when unbound
    or empty (the CSV results format writes an unbound cell as an empty string)."""
    if value is None:
        return None
    text = str(getattr(value, "value", value))
    return text or None


def unconfirmed_notes(rows: Sequence[Mapping[str, object]], day: _dt.date) -> list[str]:
    """Word the notes for the rows of an answer about *day* that rest on unconfirmed claims.

    Args:
        rows: The answer's rows, column name → cell (a pyoxigraph term, a string, or ``None``
            for unbound); cells of ``unconfirmed_after`` and ``unconfirmed_before`` are
            ``xsd:date`` lexical forms (``YYYY-MM-DD``).
        day: The day the answer is about.

    Returns:
        One line per column of :data:`CONFIRMATION_COLUMNS` that holds a value in any row (none
        when no row is marked), such as ``Note: 2 of 3 rows rest on claims last confirmed before
        2026-12-06 (the oldest on 2013-12-31); see the unconfirmed_after column.``
    """
    total = len(rows)
    of_total = f"of {total} row{'' if total == 1 else 's'}"
    notes: list[str] = []
    for column in CONFIRMATION_COLUMNS:
        values = [text for row in rows if (text := _text(row.get(column))) is not None]
        if not values:
            continue
        count = len(values)
        if column == "unconfirmed_after":
            what, bound, extreme = "last confirmed before", min(values), "oldest"
        else:
            what, bound, extreme = "first confirmed after", max(values), "latest"
        if count == 1:
            said = f"1 {of_total} rests on a claim {what} {day.isoformat()} (on {bound})"
        else:
            said = f"{count} {of_total} rest on claims {what} {day.isoformat()} (the {extreme} on {bound})"
        notes.append(f"Note: {said}; see the {column} column.")
    return notes


def _stale_limit(day: _dt.date) -> str:
    try:
        limit = day.replace(year=day.year - STALE_YEARS)
    except ValueError:  # 29 February
        limit = day.replace(year=day.year - STALE_YEARS, day=28)
    return limit.isoformat()


def is_stale(confirmed: str | None, day: _dt.date) -> bool:
    """Whether a claim without an end, last confirmed on *confirmed* (``rg:confirmedUntil``, an
    ISO 8601 day; ``None`` when unknown), is stale on *day*: confirmed more than
    :data:`STALE_YEARS` years before it. The one rule for answers (:func:`split_stale`) and
    tables (:mod:`relgraph.tables.igo`)."""
    return confirmed is not None and confirmed[:10] < _stale_limit(day)


def split_stale(rows: Sequence[Mapping[str, object]], day: _dt.date) -> tuple[list[Mapping[str, object]], list[Mapping[str, object]]]:
    r"""Split an answer about *day* into the rows to show and the stale rows.

    A row is stale when its ``unconfirmed_after`` cell (the latest day its claim's dates and
    sources confirm, for a claim without an end) is more than :data:`STALE_YEARS` years before
    *day*.

    Args:
        rows: The answer's rows: mappings of column name → cell (a pyoxigraph term, a string or
            ``None``) or pyoxigraph ``QuerySolution``\ s.
        day: The day the answer is about.

    Returns:
        (rows kept, stale rows), each in the answer's order.
    """
    kept, stale = [], []
    for row in rows:
        try:
            cell = row["unconfirmed_after"]  # a mapping, or a pyoxigraph QuerySolution
        except (KeyError, IndexError, TypeError):
            cell = None
        (stale if is_stale(_text(cell), day) else kept).append(row)
    return kept, stale


def stale_note(
    stale: Sequence[Mapping[str, object]],
    source_labels: Mapping[str, str],
    source_columns: Sequence[str] = ("sources",),
    how: str = "--include-stale",
    *,
    none_kept: bool = False,
) -> str | None:
    """Word the note on rows left out as stale (:func:`split_stale`).

    Args:
        stale: The rows left out.
        source_labels: Source IRI → label, for the cells of *source_columns*.
        source_columns: The columns that list a row's sources (space-separated IRIs).
        how: How to ask for them: ``--include-stale`` (the command line) or
            ``include-stale=true`` (``relgraph serve``).
        none_kept: No row of the answer is left: the note then says that every row is stale,
            not that there are "more" (an empty answer must not read as "no members").

    Returns:
        A line such as ``Note: 35 more rows, last confirmed 2014 (COW Intergovernmental
        Organizations v3 (igoR copy)), are left out as stale: confirmed more than 5 years before
        the day asked; --include-stale lists them.``, or ``None`` when none was left out.
    """
    if not stale:
        return None
    years = sorted({text[:4] for row in stale if (text := _text(row.get("unconfirmed_after")))})
    when = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    sources: dict[str, None] = {}
    for row in stale:
        for iri in (iri for column in source_columns for iri in (_text(row.get(column)) or "").split()):
            sources.setdefault(source_labels.get(iri, iri))
    named = "; ".join(sorted(sources)[:3]) + ("; …" if len(sources) > 3 else "")
    count = len(stale)
    if none_kept:
        rows = f"all {count} rows rest on claims" if count > 1 else "the one row rests on a claim"
        return (
            f"Note: no row is confirmed within {STALE_YEARS} years of the day asked: {rows} last confirmed {when}"
            + (f" ({named})" if named else "") + f", left out as stale; {how} lists {'it' if count == 1 else 'them'}."
        )
    more = f"{count} more row{'' if count == 1 else 's'}, last confirmed {when}" + (f" ({named})" if named else "")
    return f"Note: {more}, {'is' if count == 1 else 'are'} left out as stale: confirmed more than {STALE_YEARS} years before the day asked; {how} lists {'it' if count == 1 else 'them'}."


def result_rows(data: bytes, fmt: str) -> list[dict[str, str | None]]:
    """Read serialized SELECT results back into rows of lexical forms.

    Args:
        data: W3C SPARQL results, as :func:`relgraph.query.results.serialize_solutions` writes them.
        fmt: Their format: ``json``, ``xml``, ``csv`` or ``tsv``.

    Returns:
        One dictionary per solution, variable name → the value's lexical form (``None`` for
        unbound; in CSV, which cannot tell them apart, an empty string counts as unbound).

    Raises:
        SyntaxError: *data* is not results in *fmt* (pyoxigraph's parser).
    """
    if fmt == "csv":  # pyoxigraph does not parse the lossy CSV results format

        return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(io.StringIO(data.decode("utf-8")))]

    parsed = ox.parse_query_results(data, format=RESULT_FORMATS[fmt])
    names = [v.value for v in parsed.variables]
    return [{name: _text(solution[name]) for name in names} for solution in parsed]
