"""Validating arbitrary RDF files against arbitrary shapes files, without a relgraph root
(``relgraph validate --shapes SHAPES… DATA…``, as ``pyshacl -s shapes data``).

The data graph is the union of the data files' triples (every graph of an N-Quads, TriG or
JSON-LD file), literals as written; the shapes graph is the union of the shapes files. Files are
read with :func:`relgraph.graph.parsing.read_rdf_file` (Turtle, N-Triples, N-Quads, TriG, JSON-LD,
RDF/XML; nothing fetched, no XML entity expanded). No ontology, derivation or quality check of a
root is added. Besides the shapes, every literal of the data files is checked as written
(:mod:`relgraph.validate.literals`: lexical forms against XSD datatypes, Unicode NFC).

Two modes give the same report:

- *whole*: pySHACL validates the whole data graph (W3C SHACL 1.0);
- *parts*: the data is loaded into an in-memory Oxigraph store and validated as a large store is
  (:mod:`relgraph.validate.parts`): pySHACL on parts of focus nodes with the triples their shapes
  read, and each SPARQL-based constraint that binds ``$this`` at its top level run once over
  the store on Oxigraph. When a shape's reach has no bound (a recursive shape, ``sh:closed``, a
  ``*`` path) or a shape targets a literal, the part is the whole data graph (partitions would
  not be exact); the SPARQL-based constraints still run on Oxigraph.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF

from relgraph.graph.loading import lexical_forms, written_forms
from relgraph.graph.parsing import ParsedFile, locate_node, parse_rdf_file, read_rdf_file, resolved
from relgraph.graph.rdflib_bridge import to_rdflib_graph
from relgraph.namespaces import SH
from relgraph.validate.literals import file_literal_results
from relgraph.validate.parts import ShapeContext, focus_candidates, sparql_results, store_literal_results, validate_part
from relgraph.validate.reach import Unbounded
from relgraph.validate.report import Raw, ValidationReport, build_results
from relgraph.validate.shacl import check_shapes_sparql, quiet_rdflib, run_pyshacl

__all__ = ["validate_files"]



def _shapes(files: Sequence[Path], display: Callable[[Path], str]):

    parsed = [parse_rdf_file(p, display=display(p)) for p in files]

    graph = rdflib.Graph()
    with quiet_rdflib():
        for f in parsed:
            to_rdflib_graph(f.triples, graph)
    check_shapes_sparql(graph, [ParsedFile(path=Path(display(f.path)), graph=f.graph, triples=f.triples, prefixes=f.prefixes) for f in parsed], display(files[0]))
    return graph


def validate_files(
    shapes_files: Sequence[Path],
    data_files: Sequence[Path],
    *,
    parts: bool = False,
    part_size: int = 20_000,
    display: Callable[[Path], str] = str,
) -> ValidationReport:
    """Validate RDF files against shapes files.

    Args:
        shapes_files: The shapes files (at least one).
        data_files: The data files (at least one); a file may be both (as in the W3C tests).
        parts: Validate in parts on an in-memory Oxigraph store (see the module), else whole.
        part_size: Focus nodes per part.
        display: How to name files in errors and reports.

    Returns:
        The report: pySHACL's results (and the literal checks'), located in the data files.

    Raises:
        InputError: A file cannot be read or parsed, or is refused (a JSON-LD context that
            names another document, XML entities); a shape cannot be used (its SPARQL names an
            undeclared prefix, has a dataset clause, does not parse; pySHACL refuses it).
    """

    shown = display(shapes_files[0])
    shapes = _shapes(shapes_files, display)
    parsed: list[ParsedFile] = []
    store = ox.Store()
    files: dict[str, Path] = {}
    for path in data_files:
        quads, prefixes = read_rdf_file(path, display(path))
        graph = ox.NamedNode(resolved(path).as_uri())
        files[graph.value] = path
        store.extend(ox.Quad(q.subject, q.predicate, q.object, graph if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name) for q in quads)
        triples = tuple(dict.fromkeys(q.triple for q in quads))
        parsed.append(ParsedFile(path=path, graph=graph, triples=triples, prefixes=prefixes))
    store.extend(lexical_forms(t for f in parsed for t in f.triples))
    warnings: list[str] = []

    def whole_graph():
        data = rdflib.Graph()
        with quiet_rdflib():
            for f in parsed:
                to_rdflib_graph(f.triples, data)
        return data

    if not parts:
        raw = run_pyshacl(whole_graph(), shapes, None, warnings, shown=shown)
        raw += file_literal_results(parsed)
    else:
        raw = _in_parts(store, shapes, shown, whole_graph, part_size, warnings)

        raw += store_literal_results(store, files)
    results = build_results(raw, store, lambda iri: locate_node(iri, parsed), keep_duplicates=True)
    return ValidationReport(results=results, files=tuple(data_files), warnings=tuple(warnings))


def _parts_are_exact(shapes, store: ox.Store) -> bool:
    """Whether validating parts of focus nodes gives exactly the results of the whole graph.

    Not when a focus node is a literal (a literal ``sh:targetNode``, a literal object of a
    ``sh:targetObjectsOf`` predicate: parts hold IRIs and blank nodes), when a property shape has
    property shapes of its own (their results name the value nodes as focus nodes, which may
    lie in other parts), or when a path node mixes path kinds (a list that also has
    ``sh:inversePath``: what it reads is not one walk).
    """

    sh = rdflib.Namespace(SH)
    if any(isinstance(n, rdflib.Literal) for n in shapes.objects(None, sh.targetNode)):
        return False
    for predicate in shapes.objects(None, sh.targetObjectsOf):
        if isinstance(predicate, rdflib.URIRef) and any(isinstance(q.object, ox.Literal) for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None)):
            return False
    if any((shape, sh.path, None) in shapes for shape in shapes.subjects(sh.property, None)):
        return False
    kinds = (RDF.first, sh.inversePath, sh.alternativePath, sh.zeroOrMorePath, sh.oneOrMorePath, sh.zeroOrOnePath)
    for path in shapes.objects(None, sh.path):
        if sum(1 for kind in kinds if (path, kind, None) in shapes) > 1:
            return False
    return True


def _in_parts(store: ox.Store, shapes, shown: str, whole_graph, part_size: int, warnings: list[str]) -> list[Raw]:
    """Validate a store in parts with pySHACL and the SPARQL-based constraints on Oxigraph."""

    try:
        context = ShapeContext.of_shapes(shapes, shown)
        bounded = _parts_are_exact(shapes, store)
    except Unbounded:
        context = ShapeContext.of_shapes(shapes, shown, walks=False)
        bounded = False
    sh = rdflib.Namespace(SH)
    written = written_forms(store)
    raw: list[Raw] = []
    if bounded:
        nodes = focus_candidates(store, context)
        known = set(nodes)
        for node in shapes.objects(None, sh.targetNode):
            term = ox.NamedNode(str(node)) if isinstance(node, rdflib.URIRef) else None
            if term is not None and term not in known:
                nodes.append(term)
                known.add(term)
        for i in range(0, len(nodes), part_size):
            raw += validate_part(store, context, nodes[i : i + part_size], written, warnings)
    else:
        raw += run_pyshacl(whole_graph(), context.part_shapes, None, warnings, shown=shown)
    raw += sparql_results(store, context.constraints, written)
    return raw
