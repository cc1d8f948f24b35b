"""Validating a root's graph at once: ``relgraph validate [PATH…]`` (without ``--store``,
``--jobs`` or ``--changed-since``, which validate in parts: :mod:`relgraph.validate.parts`).

The data graph is the facts together with the ontology and the triples derived at load time
(date bounds, best ranks; :mod:`relgraph.graph.loading`); the shapes are every
``ontology/shapes/*.ttl`` (:mod:`relgraph.validate.shacl`); the quality checks run on the same
store (:mod:`relgraph.validate.quality`); and every literal of the validated files is checked as
written (:mod:`relgraph.validate.literals`). :func:`validate` returns a report; it prints nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from relgraph.graph.loading import DERIVED_GRAPH, INFERRED_GRAPH, LoadedGraph, is_derivation_only, load
from relgraph.graph.parsing import resolved
from relgraph.graph.rdflib_bridge import to_rdflib_graph
from relgraph.paths import Layout
from relgraph.validate.deadline import running
from relgraph.validate.literals import file_literal_results
from relgraph.validate.quality import quality_results
from relgraph.validate.report import Raw, ValidationReport, build_results
from relgraph.validate.shacl import quiet_rdflib, run_pyshacl, shapes_graph

__all__ = ["validate"]


def _shacl_results(loaded: LoadedGraph, layout: Layout, warnings: list[str] | None = None) -> list[Raw]:

    with quiet_rdflib():
        data = to_rdflib_graph(loaded.triples())
        for extra in (DERIVED_GRAPH, INFERRED_GRAPH):
            derived = loaded.store.quads_for_pattern(None, None, None, ox.NamedNode(extra))
            to_rdflib_graph((q for q in derived if not is_derivation_only(q)), data)
    return run_pyshacl(data, shapes_graph(layout), layout, warnings)


def validate(layout: Layout, paths: Sequence[Path] = (), *, standalone: bool = False, infer: str = "none") -> ValidationReport:
    """Validate the root's graph, or some files with it, against the shapes and quality checks.

    Args:
        layout: The root whose ontology, shapes and quality checks are used.
        paths: Facts files to validate. Empty: the root's own ``graph/``. Given: these files
            together with the ontology and the root's graph (so references resolve), reporting
            only results whose focus node is a subject in these files.
        standalone: With *paths*, validate them with the ontology only, without the root's graph
            (how the test fixtures are validated).
        infer: ``rdfs`` or ``owl-rl`` to validate what the ontology and facts entail as well
            (:mod:`relgraph.graph.inference`); results then only name focus nodes of the files.

    Returns:
        The report: results sorted by severity (most severe first), file, line and focus node.

    Raises:
        InputError: A file cannot be read or is not valid Turtle.
    """
    loaded = load(layout, list(paths), include_root_facts=not (standalone and paths), infer=infer)
    wanted = {resolved(p) for p in paths}
    given = [f for f in loaded.facts if resolved(f.path) in wanted] if paths else loaded.facts
    focus_filter: set[str] | None = None
    if paths or infer != "none":
        focus_filter = {t.subject.value for f in given for t in f.triples if isinstance(t.subject, ox.NamedNode)}
        focus_filter |= {"_:" + t.subject.value for f in given for t in f.triples if isinstance(t.subject, ox.BlankNode)}
    files = {f.graph.value: layout.display(f.path) for f in loaded.facts}
    warnings: list[str] = []
    raw = _shacl_results(loaded, layout, warnings) + quality_results(loaded.store, layout, files)

    with running("the literal checks (lexical forms, NFC)"):
        raw += file_literal_results(given if paths else [*loaded.ontology, *given])
    results = build_results(raw, loaded.store, lambda focus: loaded.locate(focus, [*given, *loaded.facts, *loaded.ontology]), focus_filter)
    return ValidationReport(results=results, files=tuple(f.path for f in given), warnings=tuple(warnings))
