"""Validating the graph: the SHACL shapes (pySHACL) and the quality checks in ``queries/qc/``.

:func:`validate` returns a :class:`ValidationReport` value; it prints nothing.

What is validated (W3C SHACL 1.0):

- The *data graph* is the facts together with the ontology and the triples derived at load time
  (date bounds, best ranks; see :mod:`relgraph.loading`). The ontology is always part of it, so
  an instance of a subclass satisfies ``sh:class`` and ``sh:targetClass`` of its superclass
  (SHACL 3.2 "SHACL instance"); the derived bounds let shapes compare partial dates.
- The *shapes graph* is every ``ontology/shapes/*.ttl``.
- Quality checks (``queries/qc/*-violation.rq``) are SELECT queries that must return no rows;
  each row becomes a result with the check's severity, the check's IRI
  ``https://w3id.org/relgraph/qc/<name>`` as its constraint component, and the query file as its
  source.

Literals are validated exactly as written in the files (pyoxigraph's store would canonicalise
``"4"^^xsd:nonNegativeInteger`` to an ``xsd:integer``).
"""

from __future__ import annotations

import contextlib
import enum
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from relgraph.catalogue import load_catalogue
from relgraph.loading import DERIVED_GRAPH, INFERRED_GRAPH, LoadedGraph, Location, is_derivation_only, load, load_shapes, resolved
from relgraph.namespaces import RDFS_LABEL, SKOS_PREFLABEL
from relgraph.paths import Layout

__all__ = ["Severity", "ValidationResult", "ValidationReport", "QC_BASE", "validate"]

SH = "http://www.w3.org/ns/shacl#"
QC_BASE = "https://w3id.org/relgraph/qc/"


class Severity(enum.IntEnum):
    """SHACL severities, ordered: ``Info < Warning < Violation`` (W3C SHACL 2.1.4)."""

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @property
    def iri(self) -> str:
        """The SHACL IRI, such as ``http://www.w3.org/ns/shacl#Violation``."""
        return SH + self.name.capitalize()

    @classmethod
    def from_iri(cls, iri: str) -> Severity:
        """Return the severity of a SHACL severity IRI (unknown IRIs count as violations)."""
        return {SH + "Info": cls.INFO, SH + "Warning": cls.WARNING}.get(iri, cls.VIOLATION)

    @classmethod
    def from_name(cls, name: str) -> Severity:
        """Return the severity called ``info``, ``warning`` or ``violation``."""
        return cls[name.upper()]


@dataclass(frozen=True)
class ValidationResult:
    """One validation result (W3C SHACL 3.6.2), with where its focus node is defined.

    Attributes:
        focus_node: The focus node's IRI (or blank node id).
        result_path: The result path's IRI, if any.
        value: The value node, in N-Triples syntax, if any.
        constraint_component: The IRI of the constraint component (or quality check).
        severity: The severity.
        message: The message, in English where the shape gives one.
        source_shape: The IRI of the shape (or ``None`` for blank-node shapes), or the quality
            check's file.
        focus_label: The focus node's English label, if it has one.
        location: The file and line where the focus node is defined, if found.
    """

    focus_node: str
    result_path: str | None
    value: str | None
    constraint_component: str
    severity: Severity
    message: str
    source_shape: str | None
    focus_label: str | None
    location: Location | None

    def key(self) -> tuple[str, str, str, str]:
        """``(focus node, result path, constraint component, severity)``, the identity tests compare."""
        return (self.focus_node, self.result_path or "", self.constraint_component, self.severity.name.lower())


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph.

    Attributes:
        results: The results, most severe first, then by file and line.
        files: The facts files that were validated.
    """

    results: tuple[ValidationResult, ...]
    files: tuple[Path, ...]

    @property
    def conforms(self) -> bool:
        """True when there is no result of any severity (W3C SHACL ``sh:conforms``)."""
        return not self.results

    @property
    def highest_severity(self) -> Severity | None:
        """The most severe result's severity, or ``None`` without results."""
        return max((r.severity for r in self.results), default=None)

    def count(self, severity: Severity) -> int:
        """How many results have exactly this severity."""
        return sum(1 for r in self.results if r.severity == severity)

    def to_json(self, display=str) -> str:
        """Return the report as stable, indented JSON.

        Args:
            display: How to show file paths (for example relative to the working directory).

        Returns:
            ``{"conforms": bool, "counts": {...}, "results": [{focusNode, resultPath, value,
            sourceConstraintComponent, resultSeverity, resultMessage, sourceShape, focusLabel,
            file, line}, ...]}``, keys in SHACL's terms.
        """
        body = {
            "conforms": self.conforms,
            "counts": {s.name.lower(): self.count(s) for s in sorted(Severity, reverse=True)},
            "results": [
                {
                    "focusNode": r.focus_node,
                    "focusLabel": r.focus_label,
                    "resultPath": r.result_path,
                    "value": r.value,
                    "sourceConstraintComponent": r.constraint_component,
                    "resultSeverity": r.severity.iri,
                    "resultMessage": r.message,
                    "sourceShape": r.source_shape,
                    "file": display(r.location.path) if r.location else None,
                    "line": r.location.line if r.location else None,
                }
                for r in self.results
            ],
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    def to_github(self, display=str) -> str:
        """Return the report as GitHub Actions workflow commands (annotations).

        Each result becomes ``::error`` (violation), ``::warning`` or ``::notice`` (info) with the
        file and line where its focus node is defined, so it shows on the pull request's diff.
        Values are escaped as the workflow command syntax requires.

        Args:
            display: How to show file paths (relative to the repository root, where Actions run).

        Returns:
            One line per result.
        """

        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        level = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
        lines = []
        for r in self.results:
            props = []
            if r.location:
                props.append(f"file={prop(display(r.location.path))}")
                if r.location.line:
                    props.append(f"line={r.location.line}")
            name = r.focus_label or r.focus_node
            props.append(f"title={prop(f'relgraph: {name}')}")
            path = f" ({r.result_path})" if r.result_path else ""
            lines.append(f"::{level[r.severity]} {','.join(props)}::{data(r.message + path + ' [' + r.focus_node + ']')}")
        return "".join(line + "\n" for line in lines)

    def to_turtle(self) -> str:
        """Return the report as a W3C SHACL ``sh:ValidationReport`` in Turtle.

        Values are written exactly as the files wrote them (``"1000"^^xsd:double``, never
        ``1e+03``); blank nodes are named canonically (RDFC-1.0), so the same report gives the
        same text.

        Returns:
            Turtle text with ``sh:conforms`` and one ``sh:result`` per result.
        """
        from relgraph.canonical import canonical_turtle

        def sh(name: str) -> ox.NamedNode:
            return ox.NamedNode(SH + name)

        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        report = ox.BlankNode()
        boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
        triples = [ox.Triple(report, rdf_type, sh("ValidationReport")), ox.Triple(report, sh("conforms"), ox.Literal("true" if self.conforms else "false", datatype=boolean))]
        for r in self.results:
            node = ox.BlankNode()
            triples += [ox.Triple(report, sh("result"), node), ox.Triple(node, rdf_type, sh("ValidationResult"))]
            focus = ox.BlankNode(r.focus_node[2:]) if r.focus_node.startswith("_:") else ox.NamedNode(r.focus_node)
            triples.append(ox.Triple(node, sh("focusNode"), focus))
            if r.result_path:
                triples.append(ox.Triple(node, sh("resultPath"), ox.NamedNode(r.result_path)))
            if r.value is not None:
                triples.append(ox.Triple(node, sh("value"), _term_from_text(r.value)))
            triples.append(ox.Triple(node, sh("sourceConstraintComponent"), ox.NamedNode(r.constraint_component)))
            triples.append(ox.Triple(node, sh("resultSeverity"), ox.NamedNode(r.severity.iri)))
            triples.append(ox.Triple(node, sh("resultMessage"), ox.Literal(r.message, language="en")))
            if r.source_shape and "://" in r.source_shape:
                triples.append(ox.Triple(node, sh("sourceShape"), ox.NamedNode(r.source_shape)))
        return canonical_turtle(triples).decode("utf-8")


def _term_from_text(text: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Turn a value as a result writes it (an IRI, ``_:id``, or a literal in N-Triples form)
    back into a term, keeping a literal's lexical form exactly."""
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    if text.startswith('"'):
        try:
            return next(iter(ox.parse(f"<urn:s> <urn:p> {text} .".encode("utf-8"), format=ox.RdfFormat.TURTLE))).object
        except (SyntaxError, ValueError, StopIteration):  # an unusual form: keep its text
            return ox.Literal(text)
    return ox.NamedNode(text)


def _label(store: ox.Store, iri: str) -> str | None:
    if iri.startswith("_:"):
        return None
    node = ox.NamedNode(iri)
    for predicate in (RDFS_LABEL, SKOS_PREFLABEL):
        for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
            if isinstance(q.object, ox.Literal) and (q.object.language or "").startswith("en"):
                return q.object.value
    return None


def _term_text(term) -> str:
    import rdflib

    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)


_SPARQL_IN_SHAPES = ("select", "ask", "construct", "update")


def _shapes_graph(layout: Layout):
    import rdflib

    from relgraph.catalogue import checked_text
    from relgraph.errors import LayoutError
    from relgraph.rdflib_bridge import to_rdflib_graph

    files = load_shapes(layout)
    if not files:
        raise LayoutError(f"{layout.display(layout.shapes_dir)}: no shapes (*.ttl); copy them from the shipped root")
    shapes = rdflib.Graph()
    for parsed in files:
        for t in parsed.triples:
            if t.predicate.value in {SH + name for name in _SPARQL_IN_SHAPES} and isinstance(t.object, ox.Literal):
                checked_text(t.object.value, layout.display(parsed.path))
        to_rdflib_graph(parsed.triples, shapes)
    return shapes


Raw = tuple[str, "str | None", "str | None", str, "Severity", str, "str | None"]
"""A result before locating it: focus node, result path, value, component, severity, message, shape."""


@contextlib.contextmanager
def quiet_rdflib() -> Iterator[None]:
    """Silence rdflib's and pySHACL's logging and warnings: an ill-typed literal is a validation
    result, not a warning with a traceback on standard error."""
    import logging
    import warnings

    noisy = [logging.getLogger(name) for name in ("rdflib", "rdflib.term", "pyshacl")]
    levels = [logger.level for logger in noisy]
    for logger in noisy:
        logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(noisy, levels):
            logger.setLevel(level)


def _shacl_results(loaded: LoadedGraph, layout: Layout) -> list[Raw]:
    from relgraph.rdflib_bridge import to_rdflib_graph

    with quiet_rdflib():
        data = to_rdflib_graph(loaded.triples())
        for extra in (DERIVED_GRAPH, INFERRED_GRAPH):
            derived = loaded.store.quads_for_pattern(None, None, None, ox.NamedNode(extra))
            to_rdflib_graph((q for q in derived if not is_derivation_only(q)), data)
        return run_pyshacl(data, _shapes_graph(layout), layout)


def run_pyshacl(data, shapes, layout: Layout) -> list[Raw]:
    """Validate an rdflib data graph with pySHACL (no inference; the graph is changed in place).

    Args:
        data: The data graph (``rdflib.Graph``): facts, ontology and derived triples.
        shapes: The shapes graph.
        layout: The root (to name its shapes folder in errors).

    Returns:
        The results, unlocated.

    Raises:
        InputError: The shapes cannot be used, or pySHACL fails.
    """
    import pyshacl
    import rdflib
    import rdflib.plugins.sparql

    from relgraph.errors import InputError

    # rdflib's SPARQL engine would fetch the IRI of a FROM clause; shapes never reach the network
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    with quiet_rdflib():
        try:
            _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True)
        except pyshacl.errors.ReportableRuntimeError as exc:
            raise InputError(layout.display(layout.shapes_dir), f"the shapes cannot be used: {' '.join(str(exc).split())}") from None
        if not isinstance(report, rdflib.Graph):
            raise InputError(layout.display(layout.shapes_dir), f"validation failed: {' '.join(str(text).split())[:300]}")
        return _read_report(report, shapes)


def _read_report(report, shapes) -> list[Raw]:
    import rdflib

    sh = rdflib.Namespace(SH)
    found = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        messages = list(report.objects(node, sh.resultMessage))
        english = [m for m in messages if getattr(m, "language", None) in ("en", None)]
        message = str((english or messages or ["(no message)"])[0])
        path = report.value(node, sh.resultPath)
        value = report.value(node, sh.value)
        shape = report.value(node, sh.sourceShape)
        if not isinstance(shape, rdflib.URIRef) and shape is not None:
            # a property shape or SPARQL constraint written as a blank node: name its node shape
            shape = shapes.value(predicate=sh.property, object=shape) or shapes.value(predicate=sh.sparql, object=shape) or shape
        found.append(
            (
                _term_text(report.value(node, sh.focusNode)),
                str(path) if isinstance(path, rdflib.URIRef) else None,
                _term_text(value) if value is not None else None,
                str(report.value(node, sh.sourceConstraintComponent)),
                Severity.from_iri(str(report.value(node, sh.resultSeverity))),
                message,
                str(shape) if isinstance(shape, rdflib.URIRef) else None,
            )
        )
    return found


def focus_batches(focus: Sequence | None, size: int = 2000) -> list[list[str] | None]:
    """Split focus nodes into batches to bind with ``VALUES``.

    Args:
        focus: Focus nodes (pyoxigraph terms), or ``None`` for all.
        size: Nodes per batch.

    Returns:
        Batches of IRIs as SPARQL writes them (``<…>``); ``[None]`` (one run over everything)
        when *focus* is ``None`` or holds a node ``VALUES`` cannot name (a blank node).
    """
    if focus is None or any(not isinstance(n, ox.NamedNode) for n in focus):
        return [None]
    nodes = [str(n) for n in focus]
    return [nodes[i : i + size] for i in range(0, len(nodes), size)]


def quality_results(store: ox.Store, layout: Layout, files: dict[str, str], focus: Sequence | None = None) -> list[Raw]:
    """Run the quality checks (``queries/qc/*.rq``) on a store.

    Args:
        store: The store (its union graph is queried).
        layout: The root whose quality checks run.
        files: Named graph IRI → file name, to say in which file a result's statement is.
        focus: Only these focus nodes (IRIs), bound as ``VALUES ?focus`` at the start of each
            check, in batches; ``None`` (or any blank node among them, which ``VALUES``
            cannot name) runs each check on the whole store.

    Returns:
        One result per row of each check.

    Raises:
        InputError: A check is not valid SPARQL or does not return ``?focus``.
    """
    from relgraph.errors import InputError

    from relgraph.sparqltext import insert_values

    found = []
    checks = load_catalogue(layout.quality_check_files(), layout.display)
    batches = focus_batches(focus)
    for check, batch in ((c, b) for c in checks.values() for b in batches):
        severity = Severity.from_name(check.severity or "violation")
        shown = layout.display(check.path)
        try:
            text = check.text if batch is None else insert_values(check.text, ["focus"], *[[n] for n in batch])
            solutions = store.query(text, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise InputError(shown, f"SPARQL error in this quality check: {' '.join(str(exc).split())}") from None
        if not isinstance(solutions, ox.QuerySolutions) or "focus" not in {v.value for v in solutions.variables}:
            raise InputError(shown, "a quality check is a SELECT query that returns ?focus (and ?path, ?message where it can)")
        names = {v.value for v in solutions.variables}
        for row in solutions:
            focus = row["focus"]
            path = row["path"] if "path" in names else None
            message = row["message"].value if "message" in names and row["message"] is not None else check.title
            if "g" in names and row["g"] is not None and row["g"].value in files:
                message += f" (in {files[row['g'].value]})"
            found.append(
                (
                    focus.value if isinstance(focus, ox.NamedNode) else f"_:{focus.value}" if isinstance(focus, ox.BlankNode) else str(focus),
                    path.value if isinstance(path, ox.NamedNode) else None,
                    None,
                    QC_BASE + check.name,
                    severity,
                    message,
                    layout.display(check.path),
                )
            )
    return found


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
            (:mod:`relgraph.inference`); results then only name focus nodes of the files.

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
    raw = _shacl_results(loaded, layout) + quality_results(loaded.store, layout, files)
    results = build_results(raw, loaded.store, lambda focus: loaded.locate(focus, [*given, *loaded.facts, *loaded.ontology]), focus_filter)
    return ValidationReport(results=results, files=tuple(f.path for f in given))


def build_results(raw: Sequence[Raw], store: ox.Store, locate, focus_filter: set[str] | None = None) -> tuple[ValidationResult, ...]:
    """Turn raw results into located, labelled, sorted validation results.

    Args:
        raw: Results from pySHACL and the quality checks (duplicates are dropped).
        store: Where to look up the focus nodes' labels.
        locate: Focus node IRI → :class:`relgraph.loading.Location` or ``None``.
        focus_filter: Keep only results on these focus nodes (IRIs, ``_:id``), or all.

    Returns:
        The results, most severe first, then by file, line, focus node, path and component.
    """
    results = []
    seen = set()
    for focus, path, value, component, severity, message, shape in raw:
        if focus_filter is not None and focus not in focus_filter:
            continue
        identity = (focus, path, value, component, severity, shape)
        if identity in seen:
            continue
        seen.add(identity)
        results.append(
            ValidationResult(
                focus_node=focus,
                result_path=path,
                value=value,
                constraint_component=component,
                severity=severity,
                message=message,
                source_shape=shape,
                focus_label=_label(store, focus),
                location=None if focus.startswith("_:") else locate(focus),
            )
        )
    results.sort(
        key=lambda r: (
            -r.severity,
            str(r.location.path) if r.location else "~",
            (r.location.line or 0) if r.location else 0,
            r.focus_node,
            r.result_path or "",
            r.constraint_component,
        )
    )
    return tuple(results)
