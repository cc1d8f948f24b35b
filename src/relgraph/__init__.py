"""relgraph: a sourced, validated knowledge graph of relations between states.

A small core, wings whose names say what they hold, and a thin command line. Imports run
downwards only (``relgraph.cli`` → the wings → the core), which an import-linter contract in
``pyproject.toml`` checks:

- the core, which imports nothing else of relgraph: :mod:`relgraph.errors` (the exception tree
  and its exit code), :mod:`relgraph.namespaces` (every IRI constant and prefix),
  :mod:`relgraph.paths` (where a root's ontology, shapes, facts and queries live),
  :mod:`relgraph.sparqltext` (SPARQL text: the lexer, the checks of user and stored queries,
  ``VALUES`` binding), :mod:`relgraph.workers` (worker processes that can be killed) and
  :mod:`relgraph.version`;
- :mod:`relgraph.graph`: reading RDF files (``parsing``), loading a root with what is derived at
  load time (``loading``), the on-disk stores and their cache (``store``), days and "today"
  (``dates``), inference (``inference``), the git diff of the facts (``diff``), language tags as
  written (``langtags``), rdflib terms (``rdflib_bridge``);
- :mod:`relgraph.publish`: writing RDF: the serializations (``serialize``), canonical forms
  (``canonical``), RDF/XML's limits (``rdfxml``), JSON-LD (``jsonld``), the exports (``export``)
  and atomic files (``output``);
- :mod:`relgraph.query`: the stored-query catalogue (``catalogue``), parameter binding and the
  day a query answers for (``binding``), an entity's description (``describe``), ad-hoc queries
  (``adhoc``), the W3C results formats and labels (``results``), notes on unconfirmed rows
  (``confirmation``) and tables on a terminal (``printing``);
- :mod:`relgraph.validate`: results and reports (``report``), the SHACL shapes and pySHACL
  (``shacl``), the quality checks (``quality``), the literal checks (``literals``), validating a
  root at once (``whole``) or in parts (``parts``, with what each shape reads: ``reach``), any
  files against shapes only (``shapes_only``), and the time limit (``deadline``);
- :mod:`relgraph.remote`: the SPARQL endpoint client (``endpoint``), the Graph Store client
  (``graph_store``) and what they share (``http``);
- :mod:`relgraph.serve`: the HTTP server (``app``), what its workers do (``handlers``), its
  pool of workers (``pool``) and its pages (``pages``, with ``templates/``);
- :mod:`relgraph.cli`: the ``relgraph`` command.

The public Python API is what ``relgraph.__all__`` names (the only stable one; modules may
move between releases, and ``CHANGELOG.md`` says where). For example, the shared memberships
of Russia and Tajikistan on a day:

>>> import datetime
>>> import relgraph
>>> layout = relgraph.resolve_layout(relgraph.shipped_root())
>>> store = relgraph.query_store(layout)
>>> query = relgraph.load_one(layout.query_files(), "shared-memberships")
>>> rows = relgraph.run_query(store, query, {"a": "RU", "b": "TJ"}, datetime.date(2026, 11, 29))
>>> current, stale = relgraph.split_stale(rows, datetime.date(2026, 11, 29))
>>> sorted(row["organisation"].value.removeprefix(relgraph.RGID) for row in current)
['cis', 'csto', 'sco', 'un']
>>> len(stale)  # last confirmed by the data sets in 2014-2016
39
>>> relgraph.validate_graph(layout).conforms  # doctest: +SKIP
True

The names of ``__all__`` are imported on first use (PEP 562): importing them all when the
package is imported costs 170 ms (python -X importtime: rdflib and pySHACL for validation),
which every ``relgraph`` command would pay, the main job included.
"""

from __future__ import annotations

import importlib

from relgraph.version import __version__

__all__ = [
    "__version__",
    # errors (exit code 2)
    "RelgraphError",
    "InputError",
    "QueryError",
    "ParameterError",
    "ExportError",
    # vocabulary
    "RG",
    "RGID",
    "PREFIXES",
    # roots
    "Layout",
    "resolve_layout",
    "shipped_root",
    # the graph
    "LoadedGraph",
    "load",
    "query_store",
    "bounds",
    # stored and ad-hoc queries
    "StoredQuery",
    "load_catalogue",
    "load_one",
    "run_query",
    "split_stale",
    "bind",
    "check_query",
    "run_sparql",
    # writing RDF
    "canonical_turtle",
    "serialize_graph",
    # validation
    "Severity",
    "ValidationResult",
    "ValidationReport",
    "validate_graph",
    "validate_files",
]

_API = {
    "RelgraphError": ("relgraph.errors", "RelgraphError"),
    "InputError": ("relgraph.errors", "InputError"),
    "QueryError": ("relgraph.errors", "QueryError"),
    "ParameterError": ("relgraph.errors", "ParameterError"),
    "ExportError": ("relgraph.errors", "ExportError"),
    "RG": ("relgraph.namespaces", "RG"),
    "RGID": ("relgraph.namespaces", "RGID"),
    "PREFIXES": ("relgraph.namespaces", "PREFIXES"),
    "Layout": ("relgraph.paths", "Layout"),
    "resolve_layout": ("relgraph.paths", "resolve_layout"),
    "shipped_root": ("relgraph.paths", "shipped_root"),
    "LoadedGraph": ("relgraph.graph.loading", "LoadedGraph"),
    "load": ("relgraph.graph.loading", "load"),
    "query_store": ("relgraph.graph.store", "query_store"),
    "bounds": ("relgraph.graph.dates", "bounds"),
    "StoredQuery": ("relgraph.query.catalogue", "StoredQuery"),
    "load_catalogue": ("relgraph.query.catalogue", "load_catalogue"),
    "load_one": ("relgraph.query.catalogue", "load_one"),
    "run_query": ("relgraph.query.binding", "run"),
    "split_stale": ("relgraph.query.confirmation", "split_stale"),
    "bind": ("relgraph.query.binding", "bind"),
    "check_query": ("relgraph.query.adhoc", "check"),
    "run_sparql": ("relgraph.query.adhoc", "run"),
    "canonical_turtle": ("relgraph.publish.canonical", "canonical_turtle"),
    "serialize_graph": ("relgraph.publish.export", "serialize_graph"),
    "Severity": ("relgraph.validate.report", "Severity"),
    "ValidationResult": ("relgraph.validate.report", "ValidationResult"),
    "ValidationReport": ("relgraph.validate.report", "ValidationReport"),
    "validate_graph": ("relgraph.validate.root", "validate_root"),
    "validate_files": ("relgraph.validate.shapes_only", "validate_files"),
}
"""Public name → (module, name there)."""


def __getattr__(name: str):
    """Import a name of :data:`__all__` on first use (PEP 562)."""
    try:
        module, attribute = _API[name]
    except KeyError:
        raise AttributeError(f"module 'relgraph' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
