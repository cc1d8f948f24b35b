"""The import: the data sets' files under ``graph/datasets/`` → the claim tables of
``graph/tables/``, deterministically (the same files give the same bytes) and offline.

Before reading, every file is checked against ``graph/datasets/MANIFEST.csv`` (SHA-256), so the
tables always rest on the files the manifest names.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from relgraph.errors import InputError
from relgraph.paths import Layout
from relgraph.publish.output import write_atomically
from relgraph.world.atop import atop_tables
from relgraph.world.conflicts import conflict_tables
from relgraph.world.igo import igo_tables
from relgraph.world.ranking import apply_named_disputes, dispute, named_disputes, sourced_memberships
from relgraph.world.rfiles import read_csv_rows
from relgraph.world.schema import TABLES
from relgraph.world.states import state_tables

__all__ = ["MANIFEST", "build_tables", "check_manifest", "render_table", "write_tables"]

MANIFEST = "MANIFEST.csv"


def check_manifest(datasets: Path) -> list[dict[str, str]]:
    """Check every file the manifest names against its SHA-256.

    Args:
        datasets: The ``graph/datasets/`` folder.

    Returns:
        The manifest's rows.

    Raises:
        InputError: The manifest cannot be read, or a file is missing or differs from its checksum.
    """
    rows = read_csv_rows(datasets / MANIFEST, f"graph/datasets/{MANIFEST}")
    for line, row in enumerate(rows, start=2):
        path = datasets / row["file"]
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            raise InputError(f"graph/datasets/{MANIFEST}", f"cannot read {row['file']} ({exc.strerror or exc}); restore it from {row['repository']} at {row['commit']}", line=line) from exc
        if digest != row["sha256"]:
            raise InputError(f"graph/datasets/{MANIFEST}", f"{row['file']} has SHA-256 {digest}, not {row['sha256']}; restore the file from {row['repository']} at {row['commit']}, or record the new file's origin and checksum", line=line)
    return rows


def build_tables(datasets: Path) -> dict[str, list[dict[str, str]]]:
    """Import every data set.

    Args:
        datasets: The ``graph/datasets/`` folder (its parent's ``*.ttl`` are the hand-written
            claims the data sets' claims are ranked against: :mod:`relgraph.world.ranking`).

    Returns:
        Table name (of :data:`relgraph.world.schema.TABLES`) → rows sorted by their ID.

    Raises:
        InputError: A file is missing, differs from the manifest, or cannot be read.
    """
    check_manifest(datasets)
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
    for part in (state_tables(datasets), igo_tables(datasets), atop_tables(datasets), conflict_tables(datasets)):
        for name, rows in part.items():
            tables[name].extend(rows)
    tables["memberships"] = apply_named_disputes(dispute(tables["memberships"], sourced_memberships(datasets.parent)), named_disputes(datasets.parent))
    for name, rows in tables.items():
        seen: dict[str, dict[str, str]] = {}
        for row in rows:
            if row["id"] in seen and seen[row["id"]] != row:
                raise InputError(f"graph/tables/{name}.csv", f"two different rows for {row['id']}; the import must name each claim once")
            seen[row["id"]] = row
        tables[name] = [seen[k] for k in sorted(seen)]
    return tables


def render_table(name: str, rows: list[dict[str, str]]) -> bytes:
    """One table as CSV bytes: the header, the template row, the rows (LF line ends, UTF-8).

    Args:
        name: A table of :data:`relgraph.world.schema.TABLES`.
        rows: Its rows.

    Returns:
        The file's bytes.
    """
    columns = TABLES[name]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c for c, _ in columns])
    writer.writerow([t for _, t in columns])
    for row in rows:
        writer.writerow([row.get(c, "") for c, _ in columns])
    return out.getvalue().encode("utf-8")


def write_tables(layout: Layout, *, check: bool = False) -> list[Path]:
    """Import the data sets into ``graph/tables/``, or check that the tables are up to date.

    Args:
        layout: The root.
        check: Write nothing; report the tables whose bytes differ from a fresh import.

    Returns:
        The tables written (or, with *check*, those that differ).

    Raises:
        InputError: As :func:`build_tables`.
    """
    tables = build_tables(layout.datasets_dir)
    changed = []
    for name, rows in tables.items():
        path = layout.tables_dir / f"{name}.csv"
        data = render_table(name, rows)
        try:
            same = path.read_bytes() == data
        except OSError:
            same = False
        if not same:
            changed.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(data, path)
    return changed
