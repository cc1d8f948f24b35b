"""Days: the bounds of dates with partial precision, the one parser of a day, and "today".

Every rule about days lives here: :func:`bounds` (the earliest and latest day a date value can
denote), :func:`parse_date` (a day written ``YYYY-MM-DD``, for ``--as-of``, ``as-of=`` and
``RELGRAPH_TODAY``) and :func:`today` (the day queries answer for when none is given; the only
reader of ``RELGRAPH_TODAY``).

relgraph stores dates with the precision their source gives: ``xsd:date``, ``xsd:gYearMonth``
or ``xsd:gYear``. Wherever dates are compared (shapes, queries), the comparison uses the
*bounds* of each value, computed here when the graph is loaded:

===================  =====================  ======================
value                earliest day           latest day
===================  =====================  ======================
``"2013"`` gYear     2013-01-01             2013-12-31
``"2011-09"`` gYM    2011-09-01             2011-09-30
``"2024-03-22"``     2024-03-22             2024-03-22
===================  =====================  ======================

The rule relgraph applies everywhere (documented in the README): **a state of affairs holds on
day D when its start's earliest day is on or before D and its end's latest day is on or after D**.
An absent end is open; an absent start is not: a claim without a start holds from the earliest
day of its own dates (point in time, date, date of effect, end), or, when it has none, of the
dates of its sources (a source part counts with its document's date), derived at load time as
``rg:unconfirmedBefore`` by ``queries/derive/unconfirmed-before.rq``; only a claim with neither
is open. A posting known to start "in 2013" therefore holds on every day of 2013 and after, and
neither vanishes from answers nor fails a date-order check; a membership known only at the point
in time "2022" holds from 2022-01-01, not in 1990. An act (a signature, a ratification) counts
from the earliest day of its date.

Time zones are ignored for bounds (a date's day is taken as written), as are the time parts of
``xsd:dateTime``. Values outside years 1–9999 or not in the lexical space get no bounds; the
shapes report them.
"""

from __future__ import annotations

import datetime as _dt
import os
import re

from relgraph.errors import RelgraphError
from relgraph.namespaces import XSD

__all__ = ["bounds", "DATE_DATATYPES", "TODAY_ENV", "parse_date", "today", "fixed_today", "fix_today"]

TODAY_ENV = "RELGRAPH_TODAY"
"""The environment variable that fixes the day "today" means (``YYYY-MM-DD``; the tests use it)."""

DATE_DATATYPES = frozenset({XSD + "date", XSD + "dateTime", XSD + "gYearMonth", XSD + "gYear"})
"""Datatypes whose literals have day bounds."""

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_DATE = re.compile(rf"^(\d{{4}})-(\d\d)-(\d\d){_TZ}$")
_DATETIME = re.compile(rf"^(\d{{4}})-(\d\d)-(\d\d)T\d\d:\d\d:\d\d(?:\.\d+)?{_TZ}$")
_GYEARMONTH = re.compile(rf"^(\d{{4}})-(\d\d){_TZ}$")
_GYEAR = re.compile(rf"^(\d{{4}}){_TZ}$")


def bounds(lexical: str, datatype: str) -> tuple[_dt.date, _dt.date] | None:
    """Return the first and last day a date literal can denote.

    Args:
        lexical: The literal's lexical form, exactly as written (for example ``"2013"``).
        datatype: The datatype IRI (``xsd:date``, ``xsd:dateTime``, ``xsd:gYearMonth`` or
            ``xsd:gYear``).

    Returns:
        ``(earliest, latest)`` as :class:`datetime.date` values, or ``None`` when the datatype
        has no day bounds or the lexical form is invalid.

    >>> bounds("2013", "http://www.w3.org/2001/XMLSchema#gYear")
    (datetime.date(2013, 1, 1), datetime.date(2013, 12, 31))
    >>> bounds("2024-02", "http://www.w3.org/2001/XMLSchema#gYearMonth")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    try:
        if datatype == XSD + "date" and (m := _DATE.match(lexical)):
            day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if datatype == XSD + "dateTime" and (m := _DATETIME.match(lexical)):
            day = _dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day, day
        if datatype == XSD + "gYearMonth" and (m := _GYEARMONTH.match(lexical)):
            year, month = int(m[1]), int(m[2])
            first = _dt.date(year, month, 1)  # ValueError for a month outside 1-12
            if month == 12:
                return first, _dt.date(year, 12, 31)
            return first, _dt.date(year, month + 1, 1) - _dt.timedelta(days=1)
        if datatype == XSD + "gYear" and (m := _GYEAR.match(lexical)):
            year = int(m[1])
            return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    except ValueError:
        return None
    return None


def parse_date(value: str, what: str) -> _dt.date:
    """Parse a day written ``YYYY-MM-DD``, and only that form.

    Args:
        value: The text.
        what: How to name it in the error message, joined to the quoted value (``"--as-of "``,
            ``"RELGRAPH_TODAY="``).

    Returns:
        The date.

    Raises:
        RelgraphError: Any other form (``20230101``, week dates, impossible days).

    >>> parse_date("2020-06-01", "--as-of ")
    datetime.date(2020, 6, 1)
    """
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return _dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise RelgraphError(f"{what}{value!r} is not a date; write YYYY-MM-DD, for example 2020-06-01")


def fixed_today() -> str | None:
    """The day ``RELGRAPH_TODAY`` fixes, as written, or ``None`` when it is not set (or empty)."""
    return os.environ.get(TODAY_ENV) or None


def fix_today(value: str | None) -> None:
    """Fix the day "today" means in this process (a server's workers answer for the server's day).

    Args:
        value: ``YYYY-MM-DD``, as :func:`fixed_today` gives it; ``None`` changes nothing.
    """
    if value:
        os.environ[TODAY_ENV] = value


def today() -> _dt.date:
    """Return the date queries answer for when none is given.

    Returns:
        The date in ``RELGRAPH_TODAY`` (``YYYY-MM-DD``) if set, else the system's date.

    Raises:
        RelgraphError: ``RELGRAPH_TODAY`` is set but is not a ``YYYY-MM-DD`` date.
    """
    value = fixed_today()
    if value is None:
        return _dt.date.today()
    return parse_date(value, f"{TODAY_ENV}=")
