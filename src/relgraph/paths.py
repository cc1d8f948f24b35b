"""Where relgraph's assets live: the only module that knows the layout.

A *root* is a folder with ``ontology/`` (the OWL ontology and SKOS schemes, ``*.ttl``),
``ontology/shapes/`` (SHACL shapes, ``*.shapes.ttl``), ``graph/`` (the facts, ``*.ttl``, and the claim tables, ``graph/tables/*.csv``) and
``queries/`` (stored SPARQL queries, ``*.rq``, with quality checks in ``queries/qc/`` and
load-time derivations in ``queries/derive/``).

The shipped root is the folder the package was installed with (``relgraph/_data`` inside a
wheel) or, when running from a source checkout, the checkout itself. Commands use, in order:
``--root DIR``, the environment variable ``RELGRAPH_ROOT``, the nearest folder at or above the
working directory with the layout (a checkout being edited), then the shipped root.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from relgraph.errors import LayoutError

__all__ = ["Layout", "REQUIRED_FOLDERS", "ROOT_ENV", "enclosing_root", "resolve_layout", "shipped_root"]

ROOT_ENV = "RELGRAPH_ROOT"


def shipped_root() -> Path:
    """Return the root folder shipped with the package.

    Returns:
        ``relgraph/_data`` when installed from a wheel, else the source checkout holding
        ``src/relgraph``.
    """
    package = Path(__file__).resolve().parent
    data = package / "_data"
    if data.is_dir():
        return data
    return package.parent.parent


@dataclass(frozen=True)
class Layout:
    """The folders and files of one relgraph root.

    Attributes:
        root: The root folder (absolute).
    """

    root: Path

    @property
    def ontology_dir(self) -> Path:
        """``ontology/``: the OWL ontology and the SKOS concept schemes."""
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        """``ontology/shapes/``: the SHACL shapes."""
        return self.ontology_dir / "shapes"

    @property
    def graph_dir(self) -> Path:
        """``graph/``: the facts."""
        return self.root / "graph"

    @property
    def queries_dir(self) -> Path:
        """``queries/``: the stored queries."""
        return self.root / "queries"

    def ontology_files(self) -> list[Path]:
        """The ontology's Turtle files (``ontology/*.ttl``), sorted by name."""
        return sorted(self.ontology_dir.glob("*.ttl"))

    def shapes_files(self) -> list[Path]:
        """The shapes files (``ontology/shapes/*.ttl``), sorted by name."""
        return sorted(self.shapes_dir.glob("*.ttl"))

    def graph_files(self) -> list[Path]:
        """The facts files (``graph/*.ttl``), sorted by name."""
        return sorted(self.graph_dir.glob("*.ttl"))

    @property
    def tables_dir(self) -> Path:
        """``graph/tables/``: the claim tables (CSV in the manner of ROBOT templates)."""
        return self.graph_dir / "tables"

    @property
    def datasets_dir(self) -> Path:
        """``graph/datasets/``: the data sets' files as imported, with ``MANIFEST.csv``."""
        return self.graph_dir / "datasets"

    def table_files(self) -> list[Path]:
        """The claim tables (``graph/tables/*.csv``), sorted by name."""
        return sorted(self.tables_dir.glob("*.csv"))

    def query_files(self) -> list[Path]:
        """The stored queries (``queries/*.rq``), sorted by name."""
        return sorted(self.queries_dir.glob("*.rq"))

    def quality_check_files(self) -> list[Path]:
        """The quality checks (``queries/qc/*-violation.rq``), sorted by name."""
        return sorted((self.queries_dir / "qc").glob("*-violation.rq"))

    def derivation_files(self) -> list[Path]:
        """The load-time derivations (``queries/derive/*.rq``, CONSTRUCT), sorted by name."""
        return sorted((self.queries_dir / "derive").glob("*.rq"))

    def display(self, path: Path) -> str:
        """Return *path* as a user should see it: relative to the working directory if inside it.

        Args:
            path: Any path.

        Returns:
            A relative path where possible, else the absolute path.
        """
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except (ValueError, OSError, RuntimeError):
            return str(path)


REQUIRED_FOLDERS = ("ontology", "ontology/shapes", "graph", "queries", "queries/qc", "queries/derive")
"""The folders every root has (``queries/qc`` and ``queries/derive`` may be empty)."""


def enclosing_root(start: Path) -> Path | None:
    """Return the nearest folder at or above *start* that has the relgraph layout.

    Args:
        start: Where to look from, usually the working directory.

    Returns:
        The folder holding ``ontology/shapes/``, ``graph/`` and ``queries/``, or ``None``.
    """
    for folder in (start, *start.parents):
        if all((folder / d).is_dir() for d in ("ontology/shapes", "graph", "queries")):
            return folder
    return None


def resolve_layout(root: str | os.PathLike[str] | None = None) -> Layout:
    """Resolve the root folder, like git finds its repository.

    In order: the folder given with ``--root``; ``RELGRAPH_ROOT``; the nearest folder at or above
    the working directory that has the layout (so that in a checkout, commands see the files
    being edited); the root shipped with the package.

    Args:
        root: The folder given with ``--root``, or ``None``.

    Returns:
        The layout of that root.

    Raises:
        LayoutError: The folder does not exist or lacks one of :data:`REQUIRED_FOLDERS`.
    """
    chosen = root if root is not None else os.environ.get(ROOT_ENV) or None
    if chosen is not None:
        path = Path(chosen).expanduser()
    else:
        path = enclosing_root(Path.cwd()) or shipped_root()
    if not path.is_dir():
        raise LayoutError(f"{path}: no such folder; --root (or {ROOT_ENV}) must name a relgraph root folder")
    missing = [d + "/" for d in REQUIRED_FOLDERS if not (path / d).is_dir()]
    if missing:
        raise LayoutError(
            f"{path}: not a relgraph root, missing {', '.join(missing)}; a root holds "
            f"{', '.join(d + '/' for d in REQUIRED_FOLDERS)}: copy what is missing from the shipped root {shipped_root()}"
        )
    return Layout(path.resolve())
