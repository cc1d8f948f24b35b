"""Writing a table in the field's formats: CSV (RFC 4180) or Parquet (pyarrow), its codebook, and
the side file of the claims and sources behind each coded cell; every file written atomically
(:func:`relgraph.publish.output.write_atomically`)."""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Sequence
from pathlib import Path

from relgraph.publish.output import atomic_file
from relgraph.tables.common import TableError

__all__ = ["FORMATS", "codebook_bytes", "side_paths", "table_bytes", "write_table"]

FORMATS = ("csv", "parquet")


def table_bytes(frame, fmt: str) -> bytes:
    """A table's bytes in a format.

    Args:
        frame: A ``pandas.DataFrame``.
        fmt: ``csv`` (UTF-8, a header row, ``\\n`` line ends) or ``parquet``.

    Returns:
        The file's bytes; the same frame gives the same bytes.

    Raises:
        TableError: Parquet without pyarrow installed (``pip install 'relgraph[tables]'``).
    """
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    try:
        # imported here: an optional extra (pyarrow.parquet: 9 ms to import after pandas, python -X importtime)
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        raise TableError("Parquet needs pyarrow: pip install 'relgraph[tables]'") from None
    buffer = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue().to_pybytes()


def codebook_bytes(columns: Sequence[tuple[str, str, str]], rules: Sequence[tuple[str, str]]) -> bytes:
    """The codebook that ships with a table, as CSV: one row per column (``column``, ``type``,
    ``meaning``), then one row per rule the table was built by (``rule``, its name, its text).

    Args:
        columns: (name, type, meaning) of each column.
        rules: (name, text) of each rule (the year rule chosen, the source selected).

    Returns:
        UTF-8 CSV bytes.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "name", "type", "meaning"])
    writer.writerows(["column", name, kind, meaning] for name, kind, meaning in columns)
    writer.writerows(["rule", name, "", text] for name, text in rules)
    return buffer.getvalue().encode("utf-8")


def side_paths(output: Path) -> tuple[Path, Path]:
    """Where the codebook and the sources of a table written to *output* go: beside it,
    ``NAME.codebook.csv`` and ``NAME.sources.csv``.

    Args:
        output: The table's file.

    Returns:
        (codebook path, sources path).
    """
    stem = output.with_suffix("")
    return stem.with_name(stem.name + ".codebook.csv"), stem.with_name(stem.name + ".sources.csv")


def write_table(frame, fmt: str, output: Path, codebook: bytes, sources=None) -> list[Path]:
    """Write a table, its codebook and (optionally) its sources, each atomically.

    Args:
        frame: The table.
        fmt: One of :data:`FORMATS`.
        output: The table's file; the others go beside it (:func:`side_paths`).
        codebook: The codebook's bytes (:func:`codebook_bytes`).
        sources: The claims and sources of each coded cell (a ``pandas.DataFrame``), or ``None``.

    Returns:
        The files written, in order.

    Raises:
        TableError: As :func:`table_bytes`.
        ExportError: A file cannot be written (:func:`relgraph.publish.output.atomic_file`).
    """
    book, side = side_paths(output)
    files = [(output, table_bytes(frame, fmt)), (book, codebook)]
    if sources is not None:
        files.append((side, table_bytes(sources, "csv")))
    for path, _ in files[1:]:
        if path.is_dir():
            raise TableError(f"{path}: is a folder, where --output {output}'s {'codebook' if path == book else 'sources'} would go; move it or give --output another name")
    # every file opened (and checked) before any is replaced: a failure leaves all as they were
    with contextlib.ExitStack() as stack:
        streams = [(stack.enter_context(atomic_file(path)), data) for path, data in files]
        for stream, data in streams:
            stream.write(data)
    return [path for path, _ in files]
