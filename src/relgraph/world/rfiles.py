"""Reading the data sets' files: R data (``.rda``) with the rdata library, CSV with the
standard library; R ``Date`` values (days since 1970-01-01) as :class:`datetime.date`."""

from __future__ import annotations

import csv
import datetime as dt
import math
import warnings
from pathlib import Path
from typing import Any

from relgraph.errors import InputError

__all__ = ["R_EPOCH", "r_date", "read_csv_rows", "read_r_table", "whole"]

R_EPOCH = dt.date(1970, 1, 1)
"""Day 0 of R's ``Date`` class."""


def r_date(days: float) -> dt.date:
    """The day an R ``Date`` value stands for.

    Args:
        days: Days since 1970-01-01 (R's ``Date`` storage, a double; negative before 1970).

    Returns:
        The date.

    Raises:
        ValueError: *days* is missing (NaN) or not a whole number.
    """
    if days is None or (isinstance(days, float) and math.isnan(days)) or days != int(days):
        raise ValueError(f"not an R Date value: {days!r}")
    return R_EPOCH + dt.timedelta(days=int(days))


def whole(value: Any) -> int | None:
    """An R numeric cell as an int, ``None`` for ``NA``.

    Raises:
        ValueError: The value has a fractional part.
    """
    if value is None:
        return None
    try:
        if math.isnan(value):
            return None
    except TypeError:
        pass
    if float(value) != int(value):
        raise ValueError(f"not a whole number: {value!r}")
    return int(value)


def read_r_table(path: Path, name: str, display: str | None = None) -> Any:
    """Read one data frame from an R data file.

    Args:
        path: The ``.rda`` file.
        name: The object's name in it (``cow_states``).
        display: How to name the file in errors.

    Returns:
        A pandas DataFrame (rdata's conversion: numbers as floats, ``NA`` as NaN, ``Date``
        columns as their day numbers, read with :func:`r_date`).

    Raises:
        InputError: The file is missing, not R data, or does not hold *name*.
    """
    # imported here, off the main job's path and the import's start: python -X importtime shows rdata (with pandas and xarray) at 790 ms
    import rdata  # noqa: PLC0415

    shown = display or str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # rdata warns about R classes it has no constructor for (tbl_df, Date)
            objects = rdata.read_rda(path)
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from exc
    except Exception as exc:  # rdata raises plain exceptions for files that are not R data
        raise InputError(shown, f"not an R data file ({exc})") from exc
    if name not in objects:
        raise InputError(shown, f"holds no object {name!r} (it holds {', '.join(sorted(objects))})")
    return objects[name]


def read_csv_rows(path: Path, display: str | None = None) -> list[dict[str, str]]:
    """Read a CSV file with a header row.

    Returns:
        One dict per row, column name → cell text.

    Raises:
        InputError: The file cannot be read.
    """
    shown = display or str(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(shown, f"cannot read as CSV: {exc}") from exc
