"""Validating parts of a graph: the nodes a change affects (``validate --changed-since``), and
large stores in partitions of focus nodes, in parallel processes with bounded memory.

pySHACL is the engine and the reference throughout; what changes is the data graph it sees. To
validate a set of focus nodes, relgraph gives pySHACL the *part* of the graph their validation
reads (:func:`relgraph.validate.reach.read_set`: the triples along every walk of every shape from those
nodes) with the whole ontology, and keeps the results on those focus nodes. A node's results on
its part equal its results on the whole graph, because no shape reads anything outside it.

pySHACL evaluates a SPARQL-based constraint (W3C SHACL §5) once per focus node, which is about
97% of its time on relgraph's shapes. Here each one runs instead once over the whole store on
Oxigraph, as SHACL §5.3 defines it: the ``SELECT`` with ``$this`` bound to each focus node of
the shape's targets, written as a join with the targets; each solution is a result with the
constraint's ``sh:message`` filled in as pySHACL does. This equals pre-binding when the query
binds ``$this`` in a triple pattern of its top-level group (:func:`binds_this_at_top`); a
constraint that does not is left to pySHACL. The tests compare every fixture with pySHACL's
own results.

The quality checks (``queries/qc/``) also run on the whole store and their results are kept for
the same focus nodes.
"""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS
from rdflib.collection import Collection
from rdflib.plugins.sparql import prepareQuery

from relgraph.errors import InputError
from relgraph.graph.diff import fact_changes
from relgraph.graph.loading import DERIVED_GRAPH, FACTS_GRAPH_BASE, INFERRED_GRAPH, ONTOLOGY_GRAPH_BASE, bound_properties, is_derivation_only, written_forms
from relgraph.graph.tables import PREFIXES as TABLE_PREFIXES
from relgraph.graph.parsing import Location, ParsedFile, first_line, parse_turtle
from relgraph.graph.rdflib_bridge import to_rdflib_term
from relgraph.graph.store import DATA_DIR, StoreInfo, cached_store, cached_store_folder, open_store
from relgraph.namespaces import RDF_TYPE, RG, SH, compact
from relgraph.paths import Layout
from relgraph.query.catalogue import load_catalogue
from relgraph.validate.deadline import ValidationTimeout, running, time_limit
from relgraph.validate.literals import file_literal_results, literal_results
from relgraph.validate.quality import focus_batches, quality_results
from relgraph.validate.reach import SCHEMA_PREDICATES, Unbounded, Walks, affected, derivation_walks, query_walks, read_set, shape_walks
from relgraph.validate.report import Raw, Severity, ValidationReport, build_results
from relgraph.validate.shacl import quiet_rdflib, run_pyshacl, shapes_graph
from relgraph.validate.whole import validate
from relgraph.workers import WorkerCrashed, map_in_workers

__all__ = ["ShapeContext", "PartAnswer", "worker_start", "worker_part", "SparqlConstraint", "sparql_constraints", "shapes_without", "sparql_results", "binds_this_at_top", "part_graph", "validate_part", "validate_changed", "validate_partitioned", "validate_store", "focus_candidates", "store_literal_results", "DEFAULT_PART_SIZE"]

DEFAULT_PART_SIZE = 20_000
"""Focus nodes per part: small enough to bound pySHACL's memory, large enough that the parts'
shared context (ontology, sources, states) is not read too many times."""



@dataclass
class ShapeContext:
    """The shapes of a root and what they read.

    Attributes:
        layout: The root.
        shapes: The shapes graph (``rdflib.Graph``).
        walks: The walks of the shapes and of the quality checks (:mod:`relgraph.validate.reach`): what
            any check on a node reads.
        derivations: For each derivation query, in order: its walks and template predicates.
        bounds: Each temporal property → its derived bound properties.
        constraints: The SPARQL-based constraints evaluated on the whole store.
        part_shapes: The shapes pySHACL applies to parts: all but those constraints.
        part_walks: What ``part_shapes`` read.
    """

    layout: Layout | None
    shapes: object
    walks: Walks
    derivations: list[tuple[Walks, frozenset[str]]]
    bounds: dict[str, tuple[str, ...]]
    constraints: list[SparqlConstraint]
    part_shapes: object
    part_walks: Walks
    shown: str = ""

    @classmethod
    def of_shapes(cls, shapes, shown: str, *, walks: bool = True) -> ShapeContext:
        """The context of a shapes graph without a root (``validate --shapes``): no quality
        checks, derivations or temporal bounds.

        Args:
            shapes: The shapes graph (``rdflib.Graph``).
            shown: How to name the shapes in errors.
            walks: Compute the walks (``False`` when they have no bound: the part is then the
                whole graph, and the walks are left empty).

        Returns:
            The context.

        Raises:
            Unbounded: *walks* is true and a shape reads arbitrarily far.
        """

        sh = rdflib.Namespace(SH)
        prefixes = "".join(
            f"PREFIX {shapes.value(d, sh.prefix)}: <{shapes.value(d, sh.namespace)}>\n" for d in sorted(shapes.objects(None, sh.declare), key=str)
        )
        constraints = sparql_constraints(shapes)
        part_shapes = shapes_without(shapes, constraints)
        all_walks = shape_walks(shapes, prefixes) if walks else Walks()
        return cls(
            layout=None,
            shapes=shapes,
            walks=all_walks,
            derivations=[],
            bounds={},
            constraints=constraints,
            part_shapes=part_shapes,
            part_walks=shape_walks(part_shapes, prefixes) if walks else Walks(),
            shown=shown,
        )

    @classmethod
    def of(cls, layout: Layout, store: ox.Store) -> ShapeContext:
        """Read the shapes, quality checks and derivations of a root.

        Args:
            layout: The root.
            store: A store with the root's ontology (for the temporal properties).

        Returns:
            The context.

        Raises:
            Unbounded: A shape, check or derivation reads arbitrarily far.
            InputError: A shapes file or query cannot be read.
        """

        shapes = shapes_graph(layout)
        sh = rdflib.Namespace(SH)
        prefixes = "".join(
            f"PREFIX {shapes.value(d, sh.prefix)}: <{shapes.value(d, sh.namespace)}>\n" for d in sorted(shapes.objects(None, sh.declare), key=str)
        )
        walks = shape_walks(shapes, prefixes)
        for check in load_catalogue(layout.quality_check_files(), layout.display).values():
            for walk in query_walks(check.text, ["focus"]).walks:
                walks.add(walk)
        derivations = [derivation_walks(path.read_text(encoding="utf-8")) for path in layout.derivation_files()]
        bounds = {base: tuple(b for b in pair if b) for base, pair in bound_properties(store).items()}
        constraints = sparql_constraints(shapes)
        part_shapes = shapes_without(shapes, constraints)
        return cls(
            layout=layout,
            shapes=shapes,
            walks=walks,
            derivations=derivations,
            bounds=bounds,
            constraints=constraints,
            part_shapes=part_shapes,
            part_walks=shape_walks(part_shapes, prefixes),
        )


@dataclass(frozen=True)
class SparqlConstraint:
    """A SPARQL-based constraint of a node shape, written to run once over a whole store.

    Attributes:
        shape: The node shape's IRI (the results' source shape).
        node: The constraint's node in the shapes graph.
        query: The ``SELECT``, ``$this`` joined with the shape's targets.
        severity: The shape's severity.
        messages: The constraint's ``sh:message`` values, English ones first.
    """

    shape: str
    node: object
    query: str
    severity: Severity
    messages: tuple[str, ...]


@functools.lru_cache(maxsize=1024)
def binds_this_at_top(text: str) -> bool:
    """Whether joining a SPARQL-based constraint's solutions with the focus nodes equals
    pre-binding ``$this`` (SHACL §5.3.1): the query projects ``$this``, binds it in a triple
    pattern of its top-level group (not only in a ``UNION`` branch, ``OPTIONAL``, ``MINUS``,
    sub-query or filter), and every group that reads ``$this`` in an expression or in a nested
    pattern binds it there itself; no ``LIMIT``/``OFFSET``, aggregate or sub-query reads it.

    Args:
        text: The query with its prefixes.

    Returns:
        ``True`` if it does; ``False`` also for a query rdflib cannot read (pySHACL reports it).
        Remembered by text: every validation in parts of a process asks it of the same shapes.
    """

    this = rdflib.Variable("this")

    def mentions(node) -> bool:
        if node == this:
            return True
        if isinstance(node, dict):
            return any(mentions(v) for v in node.values())
        if isinstance(node, (list, tuple, set)):
            return any(mentions(v) for v in node)
        return False

    def top(node) -> bool:
        name = getattr(node, "name", None)
        if name == "BGP":
            return any(this in (t[0], t[2]) for t in node["triples"])
        if name == "Join":
            return top(node["p1"]) or top(node["p2"])
        if name in ("LeftJoin", "Minus"):
            return top(node["p1"])
        if name in ("Filter", "Extend", "Project", "Distinct", "Reduced", "SelectQuery", "OrderBy"):
            return top(node["p"])
        return False

    def nested(node) -> bool:
        """A nested group that reads $this binds it itself."""
        return not mentions(node) or (top(node) and safe(node))

    def safe(node) -> bool:
        name = getattr(node, "name", None)
        if name == "BGP":
            return True
        if name == "Join":
            return safe(node["p1"]) and safe(node["p2"])
        if name == "Union":
            return nested(node["p1"]) and nested(node["p2"])
        if name == "LeftJoin":
            expr = node.get("expr")
            expr_ok = not mentions(expr) or top(node["p1"]) or top(node["p2"])
            return safe(node["p1"]) and nested(node["p2"]) and expr_ok
        if name == "Minus":
            return safe(node["p1"]) and nested(node["p2"])
        if name in ("Filter", "Extend"):
            return (not mentions(node["expr"]) or top(node["p"])) and safe(node["p"])
        if name in ("Project", "Distinct", "Reduced", "SelectQuery", "OrderBy"):
            return safe(node["p"])
        # sub-queries, aggregates, LIMIT/OFFSET, VALUES, SERVICE, GRAPH: only if $this is not read
        return not mentions(node)

    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # noqa: BLE001 - a query rdflib cannot read is left to pySHACL, which reports it
        return False
    projected = algebra.get("PV") or []
    return this in projected and top(algebra) and safe(algebra)


def sparql_constraints(shapes) -> list[SparqlConstraint]:
    """The SPARQL-based constraints of the shapes that can run once over a whole store.

    A constraint qualifies when its node shape is named by an IRI, is active, has targets
    (classes, IRI target nodes, subjects of a predicate), has no ``sh:message`` of its own and
    is not used by another shape (``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``,
    ``sh:qualifiedValueShape``); the constraint has an ``sh:message`` and an ``sh:select``
    without ``$PATH``, ``$shapesGraph``, ``VALUES``, ``MINUS`` or ``SERVICE``; and
    :func:`binds_this_at_top` holds. ``$currentShape`` is replaced by the shape's IRI. Every
    other constraint stays with pySHACL.

    Args:
        shapes: The shapes graph (``rdflib.Graph``).

    Returns:
        The constraints, in a stable order.
    """

    sh = rdflib.Namespace(SH)
    true = rdflib.Literal(True)
    # shapes that other shapes use (sh:node, sh:not, sh:and, …) keep their constraints: pySHACL
    # evaluates them there on value nodes, which a run over the targets does not cover
    referenced = {o for p in (sh.node, sh["not"], sh.qualifiedValueShape) for o in shapes.objects(None, p)}
    for p in (sh["and"], sh["or"], sh.xone):
        for head in shapes.objects(None, p):
            referenced.update(Collection(shapes, head))
    found = []
    for shape, node in sorted(shapes.subject_objects(sh.sparql), key=lambda pair: (str(pair[0]), str(pair[1]))):
        if not isinstance(shape, rdflib.URIRef) or (shape, sh.path, None) in shapes or shape in referenced:
            continue
        if shapes.value(node, sh.deactivated) == true or shapes.value(shape, sh.deactivated) == true:
            continue
        select = shapes.value(node, sh.select)
        # left to pySHACL: $PATH and $shapesGraph (which it handles or refuses itself), a
        # constraint without a message of its own or on a shape with one (pySHACL's choice of
        # message), VALUES, MINUS and SERVICE (which it refuses), literal target nodes
        if select is None or re.search(r"\$(PATH|shapesGraph)\b|\b(VALUES|MINUS|SERVICE)\b", str(select), re.IGNORECASE):
            continue
        if not list(shapes.objects(node, sh.message)) or list(shapes.objects(shape, sh.message)):
            continue
        if any(isinstance(n, rdflib.Literal) for n in shapes.objects(shape, sh.targetNode)) or (shape, sh.targetObjectsOf, None) in shapes:
            continue
        prefixes = "".join(
            f"PREFIX {shapes.value(d, sh.prefix)}: <{shapes.value(d, sh.namespace)}>\n"
            for declared in shapes.objects(node, sh.prefixes)
            for d in sorted(shapes.objects(declared, sh.declare), key=str)
        )
        targets = [f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> }}" for c in sorted(shapes.objects(shape, sh.targetClass), key=str)]
        if (shape, RDF.type, RDFS.Class) in shapes:
            targets.append(f"{{ ?this <{RDF.type}>/<{RDFS.subClassOf}>* <{shape}> }}")
        targets += [f"{{ VALUES ?this {{ <{n}> }} }}" for n in sorted(shapes.objects(shape, sh.targetNode), key=str) if isinstance(n, rdflib.URIRef)]
        targets += [f"{{ ?this <{p}> ?targetObject }}" for p in sorted(shapes.objects(shape, sh.targetSubjectsOf), key=str)]
        body = re.sub(r"\$currentShape\b", f"<{shape}>", re.sub(r"\$this\b", "?this", str(select)))
        if not targets or not binds_this_at_top(prefixes + body):
            continue
        query = f"{prefixes}SELECT * WHERE {{ {{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(targets)} }} }} {{ {body} }} }}"
        severity = shapes.value(shape, sh.severity)
        messages = sorted(shapes.objects(node, sh.message), key=lambda m: (getattr(m, "language", None) not in ("en", None), str(m)))
        found.append(
            SparqlConstraint(
                shape=str(shape),
                node=node,
                query=query,
                severity=Severity.from_iri(str(severity)) if severity is not None else Severity.VIOLATION,
                messages=tuple(str(m) for m in messages),
            )
        )
    return found


def shapes_without(shapes: rdflib.Graph, constraints: Sequence[SparqlConstraint]) -> rdflib.Graph:
    """The shapes graph without the ``sh:sparql`` triples of *constraints*: what pySHACL checks
    on each part, while the SPARQL-based constraints run once on the whole store.

    Args:
        shapes: the shapes graph.
        constraints: the SPARQL-based constraints taken out of it (:func:`sparql_constraints`).

    Returns:
        A new graph; *shapes* is left as it is.
    """
    moved = {(rdflib.URIRef(c.shape), rdflib.URIRef(SH + "sparql"), c.node) for c in constraints}
    kept = rdflib.Graph()
    for triple in shapes:
        if triple not in moved:
            kept.add(triple)
    return kept


def _filled(message: str, row: dict) -> str:
    """Fill ``{?var}`` and ``{$var}`` in a message with the solution's values, as pySHACL does."""

    for name, value in row.items():
        message = re.sub(r"\{[?$]" + re.escape(name) + r"\}", lambda _: value, message)
    return message


def sparql_results(store: ox.Store, constraints: Sequence[SparqlConstraint], written: dict | None = None, focus: Sequence | None = None) -> list[Raw]:
    """Run SPARQL-based constraints once over a whole store.

    Args:
        store: The store (its union graph: ontology, facts, derived triples).
        constraints: From :func:`sparql_constraints`.
        written: As :func:`part_graph` (values are reported as the files wrote them).
        focus: Only these focus nodes (IRIs), bound with ``VALUES ?this`` in the targets, in
            batches; ``None`` (or any blank node among them) runs over all targets.

    Returns:
        One result per solution: focus node ``?this``, path ``?path``, value ``?value``,
        ``sh:SPARQLConstraintComponent``, the shape's severity and the filled-in message.
    """
    forms = written_forms(store) if written is None else written
    component = SH + "SPARQLConstraintComponent"
    found: list[Raw] = []
    batches = focus_batches(focus)
    marker = "{ SELECT DISTINCT ?this WHERE { "

    for constraint, batch in ((c, b) for c in constraints for b in batches):
        query = constraint.query if batch is None else constraint.query.replace(marker, marker + "VALUES ?this { " + " ".join(batch) + " } ", 1)
        with running(f"the SPARQL-based constraint of the shape {compact(constraint.shape)} (on Oxigraph)"):
            answer = store.query(query, use_default_graph_as_union=True)
            names = [v.value for v in answer.variables]
            solutions = list(answer)
        for solution in solutions:
            this = solution["this"]
            path = solution["path"] if "path" in names else None
            value = solution["value"] if "value" in names else None
            if value is None:
                value = this  # a node shape's result has the focus node as its value (SHACL §5.3.2)
            if isinstance(value, ox.Literal) and isinstance(path, ox.NamedNode) and not isinstance(this, ox.Literal):
                value = next(iter(forms.get(ox.Triple(this, path, value), ())), value)
            row = {n: _plain(solution[n]) for n in names if solution[n] is not None}
            if value is not None:
                row["value"] = _plain(value)
            message = _filled(constraint.messages[0], row) if constraint.messages else "SPARQL constraint"
            found.append(
                (
                    _focus_text(this),
                    path.value if isinstance(path, ox.NamedNode) else None,
                    _value_text(value) if value is not None else None,
                    component,
                    constraint.severity,
                    message,
                    constraint.shape,
                )
            )
    return found


def _plain(term) -> str:
    """A term as ``str()`` of the rdflib term gives it (how pySHACL fills messages)."""
    return term.value


def _value_text(term) -> str:
    """A value as the validation report writes it (N-Triples for literals, like rdflib's n3())."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode):
        return term.value

    return to_rdflib_term(term).n3()


def _schema_quads(store: ox.Store) -> Iterable[ox.Quad]:
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(ONTOLOGY_GRAPH_BASE):
            yield from store.quads_for_pattern(None, None, None, graph)
    for predicate in SCHEMA_PREDICATES:
        yield from store.quads_for_pattern(None, ox.NamedNode(predicate), None, None)


def part_graph(store: ox.Store, context: ShapeContext, focus: Iterable, written: dict | None = None):
    """The data graph for validating some focus nodes: the ontology and what their shapes read.

    Args:
        store: The store.
        context: The shapes and their walks.
        focus: The focus nodes (pyoxigraph terms).
        written: The written forms of the store's literals (:func:`relgraph.graph.loading.written_forms`),
            read from the store if ``None``.

    Returns:
        An ``rdflib.Graph`` with literals as the files wrote them.
    """

    forms = written_forms(store) if written is None else written
    graph = rdflib.Graph()
    seen: set[ox.Triple] = set()
    for triple in (*(q.triple for q in _schema_quads(store)), *read_set(store, context.part_walks, focus)):
        if triple in seen or isinstance(triple.object, ox.Triple) or triple.predicate.value == RG.writtenForm:
            continue
        seen.add(triple)
        for literal in forms.get(triple, (triple.object,)) if isinstance(triple.object, ox.Literal) else (triple.object,):
            graph.add((to_rdflib_term(triple.subject), to_rdflib_term(triple.predicate), to_rdflib_term(literal)))
    return graph


def _focus_text(term) -> str:
    return "_:" + term.value if isinstance(term, ox.BlankNode) else term.value


def validate_part(store: ox.Store, context: ShapeContext, focus: Sequence, written: dict | None = None, warnings: list[str] | None = None) -> list[Raw]:
    """Validate some focus nodes with pySHACL on their part of the graph.

    Args:
        store: The store.
        context: The shapes and their walks.
        focus: The focus nodes (pyoxigraph terms; literals are skipped).
        written: As :func:`part_graph`.
        warnings: Where to append what pySHACL warns about (an incomplete report).

    Returns:
        pySHACL's results on those focus nodes, without those of :attr:`ShapeContext.constraints`
        (:func:`sparql_results`) and the quality checks.

    Raises:
        InputError: pySHACL fails.
    """
    nodes = [n for n in focus if not isinstance(n, ox.Literal)]
    if not nodes:
        return []
    with quiet_rdflib():
        data = part_graph(store, context, nodes, written)
        # all nodes of the part are validated and the focus nodes' results kept: pySHACL's own
        # focus_nodes option also filters the value nodes of sh:node and sh:not (pySHACL 0.40),
        # which loses and invents results
    raw = run_pyshacl(data, context.part_shapes, context.layout, warnings, shown=context.shown)
    wanted = {_focus_text(n) for n in nodes}
    return [r for r in raw if r[0] in wanted]


def store_literal_results(store: ox.Store, files: dict[str, Path], written: dict | None = None) -> list[Raw]:
    """Check every literal of a store as written (:func:`relgraph.validate.literals.literal_results`):
    its lexical form against its XSD datatype, and Unicode NFC.

    Args:
        store: The store; the derived and inferred graphs are skipped (relgraph writes them).
        files: Named graph → the file it was loaded from, to name the file and line of each
            literal (graphs not listed are checked without a location).
        written: The written forms of the store's literals (:func:`relgraph.graph.loading.written_forms`),
            read from the store if ``None``: a literal the store canonicalised is checked as the
            file wrote it.

    Returns:
        The results.
    """

    forms = written_forms(store) if written is None else written
    skipped = {DERIVED_GRAPH, INFERRED_GRAPH}
    prefixes: dict[Path, dict[str, str]] = {}

    def triples():
        for graph in [*store.named_graphs(), ox.DefaultGraph()]:
            if isinstance(graph, ox.NamedNode) and graph.value in skipped:
                continue
            path = files.get(graph.value) if isinstance(graph, ox.NamedNode) else None
            if path is not None and path not in prefixes:
                prefixes[path] = _prefixes_of(path)
            for quad in store.quads_for_pattern(None, None, None, graph):
                if isinstance(quad.object, ox.Literal):
                    triple = quad.triple
                    for literal in forms.get(triple, (quad.object,)):
                        yield ox.Triple(triple.subject, triple.predicate, literal), path, prefixes.get(path, {})

    return literal_results(triples())


def _ontology_files(layout: Layout) -> dict[str, Path]:
    """Named graph → the ontology file of the root it was loaded from."""
    return {ONTOLOGY_GRAPH_BASE + p.stem: p for p in layout.ontology_files()}


def _files(layout: Layout) -> dict[str, Path]:
    """Named graph → the file of the root's ``graph/`` (or claim table) it was loaded from."""
    return {**{FACTS_GRAPH_BASE + p.stem: p for p in layout.graph_files()}, **{FACTS_GRAPH_BASE + "tables/" + p.stem: p for p in layout.table_files()}}


def _locator(store: ox.Store, files: dict[str, Path], layout: Layout):

    rdf_type = ox.NamedNode(RDF_TYPE)

    def locate(iri: str) -> Location | None:
        node = ox.NamedNode(iri)
        graphs = [q.graph_name for q in store.quads_for_pattern(node, rdf_type, None, None)] or [q.graph_name for q in store.quads_for_pattern(node, None, None, None)]
        for graph in graphs:
            path = files.get(graph.value) if isinstance(graph, ox.NamedNode) else None
            if path is None:
                continue
            try:
                small = path.stat().st_size < 64 << 20
            except OSError:
                small = False
            line = None
            if small:
                parsed = ParsedFile(path=path, graph=graph, triples=(), prefixes=_prefixes_of(path))
                line = first_line(parsed, iri)
            return Location(path, line)
        return None

    return locate


def _prefixes_of(path: Path) -> dict[str, str]:
    if path.suffix == ".csv":  # a claim table: its prefixes are fixed
        return dict(TABLE_PREFIXES)
    found = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle):
                match = re.match(r"\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", line, re.IGNORECASE)
                if match:
                    found[match[1] or ""] = match[2]
                elif number > 200:
                    break
    except OSError:
        pass
    return found


def validate_changed(layout: Layout, revision: str) -> tuple[ValidationReport, str]:
    """Validate the nodes that changed since a git revision and every node whose shapes read them.

    The rule (:mod:`relgraph.validate.reach`): changed triples are those of the ``graph/`` files that
    differ from the revision; the nodes validated are their subjects and objects, the nodes
    whose derived triples they change, and every node whose shapes or quality checks read any
    of these triples. A change to ``ontology/`` (shapes included), ``queries/qc/`` or
    ``queries/derive/``, or a shape whose reach cannot be bounded, validates everything.

    Args:
        layout: The root, inside a git repository.
        revision: The revision to compare with.

    Returns:
        The report (results on the affected nodes) and a note for standard error saying what
        was validated.

    Raises:
        InputError: As :func:`relgraph.graph.diff.fact_changes` and validation.
    """

    changes = fact_changes(layout, revision)
    if changes.schema:
        shown = ", ".join(changes.schema[:5]) + (" …" if len(changes.schema) > 5 else "")
        return validate(layout), f"The ontology, shapes or checks changed since {revision} ({shown}): validated everything."
    store = cached_store(layout)
    try:
        context = ShapeContext.of(layout, store)
    except Unbounded as exc:
        return validate(layout), f"Validated everything: {exc}."
    triples = [(t.subject, t.predicate.value, t.object) for t in (*changes.added, *changes.removed)]
    nodes = sorted(affected(store, context.walks, context.derivations, context.bounds, triples), key=_focus_text)
    files = _files(layout)
    written = written_forms(store)
    warnings: list[str] = []
    raw = validate_part(store, context, nodes, written, warnings)
    wanted = {_focus_text(n) for n in nodes}
    raw += [r for r in sparql_results(store, context.constraints, written, focus=nodes) if r[0] in wanted]
    raw += [r for r in quality_results(store, layout, {g: layout.display(p) for g, p in files.items()}, focus=nodes) if r[0] in wanted]

    changed = [layout.root / f for f in changes.files if (layout.root / f).is_file()]
    raw += file_literal_results([parse_turtle(p, FACTS_GRAPH_BASE + p.stem, layout.display(p)) for p in changed])
    results = build_results(raw, store, _locator(store, files, layout))
    report = ValidationReport(results=results, files=tuple(layout.root / f for f in changes.files), warnings=tuple(warnings))
    note = (
        f"{len(changes.files)} files changed since {revision} ({len(changes.added)} triples added, {len(changes.removed)} removed): "
        f"validated {len(nodes)} nodes they affect."
    )
    return report, note


def focus_candidates(store: ox.Store, context: ShapeContext) -> list:
    """Every node a shape may target: the subjects of the facts and derived graphs, and the
    objects of ``sh:targetObjectsOf`` predicates.

    Args:
        store: The store.
        context: The shapes.

    Returns:
        The nodes, sorted.
    """

    nodes: set = set()
    for graph in store.named_graphs():
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(ONTOLOGY_GRAPH_BASE):
            continue
        for quad in store.quads_for_pattern(None, None, None, graph):
            if graph.value == DERIVED_GRAPH and is_derivation_only(quad):
                continue
            nodes.add(quad.subject)
    for quad in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        nodes.add(quad.subject)
    for predicate in context.shapes.objects(None, rdflib.URIRef(SH + "targetObjectsOf")):
        nodes |= {q.object for q in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, None) if not isinstance(q.object, ox.Literal)}
    return sorted(nodes, key=_focus_text)


def validate_partitioned(
    layout: Layout,
    store: ox.Store,
    *,
    store_dir: Path | None = None,
    files: dict[str, Path] | None = None,
    part_size: int = DEFAULT_PART_SIZE,
    workers: int | None = None,
    timeout: float | None = None,
) -> ValidationReport:
    """Validate a whole store in parts of focus nodes, in parallel processes.

    Args:
        layout: The root whose shapes and checks are used.
        store: The store.
        store_dir: The store's ``oxigraph/`` folder, so that worker processes can open it
            read-only; ``None`` validates in this process (an in-memory store).
        files: Named graph → file, to locate results (default: the root's ``graph/`` files).
        part_size: Focus nodes per part.
        workers: Processes (default: the CPU count, at most the number of parts).
        timeout: The time limit of the worker processes in seconds from now
            (:func:`relgraph.validate.deadline.time_limit`; the caller keeps its own timer), ``None`` or
            ``0`` for none.

    Returns:
        The report, equal to validating the whole graph at once.

    Raises:
        InputError: A shape reads arbitrarily far (partitions would not be exact), or
            validation fails.
        ValidationTimeout: A worker passed the deadline (the message names its shape).
    """

    try:
        context = ShapeContext.of(layout, store)
    except Unbounded as exc:
        raise InputError(layout.display(layout.shapes_dir), f"cannot validate in parts: {exc}; validate without --store") from None
    nodes = focus_candidates(store, context)
    parts = [nodes[i : i + part_size] for i in range(0, len(nodes), part_size)]
    count = min(workers or os.cpu_count() or 1, len(parts))
    raw: list[Raw] = []
    warnings: list[str] = []
    written = written_forms(store)
    if store_dir is None or count <= 1:
        for part in parts:
            raw += validate_part(store, context, part, written, warnings)
    else:

        texts = [[_focus_text(n) for n in part] for part in parts]
        # the workers stop a second before this process's own timer, so that the error names
        # the shape a worker was checking rather than "waiting for the workers"
        limit = (time.time() + timeout - 1.0, timeout) if timeout else None
        arguments = {"root": str(layout.root), "store_dir": str(store_dir), "limit": limit}
        try:
            with running("the parts of the graph in the worker processes"):
                answers = map_in_workers(f"{__name__}.worker_start", f"{__name__}.worker_part", arguments, texts, count)
        except WorkerCrashed as exc:
            raise InputError(layout.display(layout.shapes_dir), f"a validation worker failed ({exc}); validate without --store to see the error in this process") from None
        stopped = None
        for answer in answers:
            if answer.error is not None:
                raise answer.error
            raw += answer.results
            warnings += [w for w in answer.warnings if w not in warnings]
            stopped = stopped or answer.stopped
        if stopped is not None:
            raise ValidationTimeout(*stopped)
    graph_files = files if files is not None else _files(layout)
    raw += store_literal_results(store, {**_ontology_files(layout), **graph_files}, written)
    raw += sparql_results(store, context.constraints, written)
    raw += quality_results(store, layout, {g: layout.display(p) for g, p in graph_files.items()})
    results = build_results(raw, store, _locator(store, graph_files, layout))
    return ValidationReport(results=results, files=tuple(sorted(set(graph_files.values()))), warnings=tuple(warnings))



def validate_store(
    layout: Layout, folder: Path | None = None, *, workers: int | None = None, part_size: int = DEFAULT_PART_SIZE, timeout: float | None = None
) -> ValidationReport:
    """Validate a store built by ``relgraph load`` (or, without *folder*, the root's cached graph)
    in parts, in parallel processes.

    Args:
        layout: The root whose shapes and checks are used.
        folder: The store folder, or ``None`` for the root's graph.
        workers: Processes (default: the CPU count).
        part_size: Focus nodes per part.
        timeout: The time limit of the worker processes, in seconds from now (``None`` or
            ``0``: none); the caller keeps its own with :func:`relgraph.validate.deadline.time_limit`.

    Returns:
        The report.

    Raises:
        InputError: As :func:`relgraph.graph.store.open_store` and :func:`validate_partitioned`.
        ValidationTimeout: A worker passed the time limit.
    """

    if folder is None:
        store, entry = cached_store_folder(layout)
        files = None
    else:
        store, entry = open_store(folder, layout), folder
        files = {f.graph: Path(f.path) for f in StoreInfo.read(folder).files if f.graph}
    store_dir = entry / DATA_DIR if entry is not None else None
    return validate_partitioned(layout, store, store_dir=store_dir, files=files, part_size=part_size, workers=workers, timeout=timeout)


@dataclass(frozen=True)
class PartAnswer:
    """What a validation worker answers for one part (:func:`worker_part`).

    Attributes:
        results: pySHACL's results on the part's focus nodes.
        warnings: What pySHACL warned about.
        stopped: ``(limit in seconds, what was running)`` if the time limit passed, else ``None``.
        error: The error that stopped the part (pySHACL failed), else ``None``.
    """

    results: list[Raw]
    warnings: list[str]
    stopped: tuple[float, str] | None = None
    error: InputError | None = None


@dataclass
class WorkerState:
    """What a validation worker opens once (:func:`worker_start`): the read-only store, the
    root's shapes and walks, the written forms of literals, and the time limit."""

    store: ox.Store
    context: ShapeContext
    written: dict
    limit: tuple[float, float] | None


def worker_start(root: str, store_dir: str, limit: tuple[float, float] | None = None) -> WorkerState:
    """Set up a validation worker (the *setup* of :func:`relgraph.workers.map_in_workers`).

    Args:
        root: The root folder, whose shapes and checks are used.
        store_dir: The store's ``oxigraph/`` folder, opened read-only.
        limit: ``(deadline as time.time(), the limit to name)``, or ``None`` for none.

    Returns:
        The worker's state.

    Raises:
        OSError: The store cannot be opened. InputError, Unbounded: as :meth:`ShapeContext.of`.
    """
    store = ox.Store.read_only(store_dir)
    return WorkerState(store=store, context=ShapeContext.of(Layout(Path(root)), store), written=written_forms(store), limit=limit)


def worker_part(state: WorkerState, texts: list[str]) -> PartAnswer:
    """Validate one part in a validation worker, within the command's time limit (the
    *handler* of :func:`relgraph.workers.map_in_workers`).

    Args:
        state: From :func:`worker_start`.
        texts: The part's focus nodes: IRIs, and blank nodes as ``_:label``.

    Returns:
        The answer; a timeout or an :class:`InputError` is part of it, not raised.
    """

    nodes = [ox.BlankNode(t[2:]) if t.startswith("_:") else ox.NamedNode(t) for t in texts]
    warnings: list[str] = []
    limit = state.limit
    try:
        with time_limit(None, deadline=limit[0], shown=limit[1]) if limit else time_limit(None):
            raw = validate_part(state.store, state.context, nodes, state.written, warnings)
    except ValidationTimeout as exc:
        return PartAnswer([], warnings, stopped=(exc.seconds, exc.activity))
    except InputError as exc:
        return PartAnswer([], warnings, error=exc)
    return PartAnswer(raw, warnings)
