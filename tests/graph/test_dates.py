"""Day bounds of partial dates, the rule every date comparison uses."""

from __future__ import annotations

import datetime as dt

import pytest

from relgraph.graph.dates import bounds

XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("2013", "gYear", (dt.date(2013, 1, 1), dt.date(2013, 12, 31))),
        ("2013Z", "gYear", (dt.date(2013, 1, 1), dt.date(2013, 12, 31))),
        ("2011-09", "gYearMonth", (dt.date(2011, 9, 1), dt.date(2011, 9, 30))),
        ("2024-02", "gYearMonth", (dt.date(2024, 2, 1), dt.date(2024, 2, 29))),
        ("2023-02", "gYearMonth", (dt.date(2023, 2, 1), dt.date(2023, 2, 28))),
        ("1900-02", "gYearMonth", (dt.date(1900, 2, 1), dt.date(1900, 2, 28))),
        ("2013-12", "gYearMonth", (dt.date(2013, 12, 1), dt.date(2013, 12, 31))),
        ("9999-12", "gYearMonth", (dt.date(9999, 12, 1), dt.date(9999, 12, 31))),
        ("2024-03-22", "date", (dt.date(2024, 3, 22), dt.date(2024, 3, 22))),
        ("2020-01-01+05:00", "date", (dt.date(2020, 1, 1), dt.date(2020, 1, 1))),
        ("2020-01-01T23:30:00Z", "dateTime", (dt.date(2020, 1, 1), dt.date(2020, 1, 1))),
    ],
)
def test_bounds(lexical: str, datatype: str, expected: tuple[dt.date, dt.date]) -> None:
    assert bounds(lexical, XSD + datatype) == expected


@pytest.mark.parametrize(
    ("lexical", "datatype"),
    [("2013-13", "gYearMonth"), ("2013-00", "gYearMonth"), ("2023-02-30", "date"), ("13", "gYear"), ("2013", "string"), ("2013-01-01", "gYear"), ("0000", "gYear")],
)
def test_invalid_or_undated_values_have_no_bounds(lexical: str, datatype: str) -> None:
    assert bounds(lexical, XSD + datatype) is None
