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

- Every literal of the validated files is checked as written (:mod:`relgraph.literals`): an
  ill-typed XSD literal is a violation, text not in Unicode NFC a warning, each located at the
  literal's own file and line.
- Before pySHACL runs, every SPARQL query of the shapes is checked (:func:`check_shapes_sparql`):
  an undeclared prefix, a dataset clause or a syntax error is an input error naming the shape.
  What pySHACL warns about (a recursive shape it backed out of) is kept in
  :attr:`ValidationReport.warnings`, and marks the report incomplete.

Literals are validated exactly as written in the files (pyoxigraph's store would canonicalise
``"4"^^xsd:nonNegativeInteger`` to an ``xsd:integer``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from pathlib import Path

import pyoxigraph as ox

from relgraph.catalogue import load_catalogue
from relgraph.loading import DERIVED_GRAPH, INFERRED_GRAPH, LoadedGraph, Location, ParsedFile, is_derivation_only, load, load_shapes, resolved
from relgraph.namespaces import RDFS_LABEL, SKOS_PREFLABEL
from relgraph.paths import Layout

__all__ = [
    "Severity",
    "ValidationResult",
    "ValidationReport",
    "Raw",
    "QC_BASE",
    "validate",
    "run_pyshacl",
    "check_shapes_sparql",
    "path_text",
    "literal_results",
    "file_literal_results",
    "quality_results",
    "build_results",
]

SH = "http://www.w3.org/ns/shacl#"
RGSH = "https://w3id.org/relgraph/shapes#"
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
        result_path: The result path: an IRI, or a complex SHACL path in Turtle syntax
            (:func:`path_text`), if any.
        value: The value node, in N-Triples syntax (IRIs bare), if any.
        constraint_component: The IRI of the constraint component (or quality check).
        severity: The severity.
        message: The message, in English where the shape gives one.
        source_shape: The shape: its IRI, ``_:id`` for a blank-node shape (a property shape
            written in ``[ … ]``), or the quality check's file.
        focus_label: The focus node's English label, if it has one.
        location: Where the result's statement is written (the literal, for a literal check),
            else the file and line where the focus node is defined, if found.
        shape_owner: For a blank-node shape, the IRI-named shape that holds it.
        custom_severity: A severity IRI other than SHACL's three (it ranks as a violation).
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
    shape_owner: str | None = None
    custom_severity: str | None = None

    @property
    def severity_iri(self) -> str:
        """The result's ``sh:resultSeverity``: SHACL's IRI, or the shape's own severity IRI."""
        return self.custom_severity or self.severity.iri

    def key(self) -> tuple[str, str, str, str]:
        """``(focus node, result path, constraint component, severity)``, the identity tests compare."""
        return (self.focus_node, self.result_path or "", self.constraint_component, self.severity.name.lower())


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph.

    Attributes:
        results: The results, most severe first, then by file and line.
        files: The facts files that were validated.
        warnings: What pySHACL warned about, one line each; any makes the report incomplete.
    """

    results: tuple[ValidationResult, ...]
    files: tuple[Path, ...]
    warnings: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """False when pySHACL warned that it left something out (:attr:`warnings`): a recursive
        shape it backed out of, a constraint it could not load. The results are then only
        those it found."""
        return not self.warnings

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
            ``{"conforms": bool, "complete": bool, "warnings": [str], "counts": {...},
            "results": [{focusNode, resultPath, value, sourceConstraintComponent,
            resultSeverity, resultMessage, sourceShape, shapeOwner, focusLabel, file, line},
            ...]}``, keys in SHACL's terms; ``complete`` is false when pySHACL warned
            (``warnings``) that it left something out.
        """
        body = {
            "conforms": self.conforms,
            "complete": self.complete,
            "warnings": list(self.warnings),
            "counts": {s.name.lower(): self.count(s) for s in sorted(Severity, reverse=True)},
            "results": [
                {
                    "focusNode": r.focus_node,
                    "focusLabel": r.focus_label,
                    "resultPath": r.result_path,
                    "value": r.value,
                    "sourceConstraintComponent": r.constraint_component,
                    "resultSeverity": r.severity_iri,
                    "resultMessage": r.message,
                    "sourceShape": r.source_shape,
                    "shapeOwner": r.shape_owner,
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
            One line per result, after one ``::warning`` line per pySHACL warning (an
            incomplete report).
        """

        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        level = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
        lines = [f"::warning title={prop('relgraph: incomplete validation report')}::{data(w)}" for w in self.warnings]
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
            Turtle text with ``sh:conforms`` and one ``sh:result`` per result; an incomplete
            report also has ``rgsh:complete false`` and each pySHACL warning as an
            ``rdfs:comment``. Blank-node source shapes are left out (a report cannot name them).
        """
        from relgraph.canonical import canonical_turtle

        def sh(name: str) -> ox.NamedNode:
            return ox.NamedNode(SH + name)

        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        report = ox.BlankNode()
        boolean = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
        triples = [ox.Triple(report, rdf_type, sh("ValidationReport")), ox.Triple(report, sh("conforms"), ox.Literal("true" if self.conforms else "false", datatype=boolean))]
        if not self.complete:
            triples.append(ox.Triple(report, ox.NamedNode(RGSH + "complete"), ox.Literal("false", datatype=boolean)))
            comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
            triples += [ox.Triple(report, comment, ox.Literal(w, language="en")) for w in self.warnings]
        for r in self.results:
            node = ox.BlankNode()
            triples += [ox.Triple(report, sh("result"), node), ox.Triple(node, rdf_type, sh("ValidationResult"))]
            triples.append(ox.Triple(node, sh("focusNode"), _term_from_text(r.focus_node)))
            if r.result_path:
                triples.append(ox.Triple(node, sh("resultPath"), _path_from_text(r.result_path, triples)))
            if r.value is not None:
                triples.append(ox.Triple(node, sh("value"), _term_from_text(r.value)))
            triples.append(ox.Triple(node, sh("sourceConstraintComponent"), ox.NamedNode(r.constraint_component)))
            triples.append(ox.Triple(node, sh("resultSeverity"), ox.NamedNode(r.severity_iri)))
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


def _path_from_text(text: str, triples: list) -> ox.NamedNode | ox.BlankNode:
    """Turn a result path as written in a result (:func:`path_text`) into a term, appending a
    complex path's triples (SHACL §2.3.1, written as Turtle) to *triples*."""
    if not text.startswith(("[", "(")):
        return ox.NamedNode(text)
    subject, predicate = ox.NamedNode("urn:relgraph:s"), ox.NamedNode("urn:relgraph:p")
    head = None
    for triple in ox.parse(f"@prefix sh: <{SH}> . <urn:relgraph:s> <urn:relgraph:p> {text} .".encode("utf-8"), format=ox.RdfFormat.TURTLE):
        if triple.subject == subject and triple.predicate == predicate:
            head = triple.object
        else:
            triples.append(triple)
    return head


def _label(store: ox.Store, iri: str) -> str | None:
    if iri.startswith(("_:", '"')):
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


def check_shapes_sparql(shapes, files: Sequence[ParsedFile] = (), shown: str = "the shapes") -> None:
    """Check that every SPARQL query of the shapes can run, before pySHACL runs them.

    pySHACL reads the prefixes of a SPARQL-based constraint (W3C SHACL §5.2.1) only from its
    ``sh:prefixes`` declarations; Turtle's ``@prefix`` does not reach the query, and a query
    with a prefix it does not declare, or with a dataset clause (``FROM``, ``FROM NAMED``: the
    data graph is the one being validated), fails inside pySHACL with a bare exception.

    Args:
        shapes: The shapes graph (``rdflib.Graph``).
        files: The parsed shapes files, to name the file and line of the shape and the
            namespace a ``@prefix`` gives a missing prefix.
        shown: How to name the shapes when no file holds the query.

    Raises:
        InputError: A query uses an undeclared prefix, has a dataset clause or does not parse;
            the message names the shape and what to add or remove.
    """
    import rdflib
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.plugins.sparql.parser import parseQuery

    from relgraph.errors import InputError
    from relgraph.loading import _first_line
    from relgraph.namespaces import compact

    sh = rdflib.Namespace(SH)
    holders = (sh.sparql, sh.validator, sh.nodeValidator, sh.propertyValidator)
    for node, text in sorted(((n, t) for key in (sh.select, sh.ask) for n, t in shapes.subject_objects(key)), key=lambda pair: str(pair[1])):
        holder = next((s for p in holders for s in shapes.subjects(p, node)), node)
        name = compact(str(holder)) if isinstance(holder, rdflib.URIRef) else "a blank-node shape"
        where, line = shown, None
        for parsed in files:
            if any(isinstance(t.object, ox.Literal) and t.object.value == str(text) for t in parsed.triples):
                where = str(parsed.path)
                line = _first_line(parsed, str(holder)) if isinstance(holder, rdflib.URIRef) else None
                break
        declared = {}
        # a node's sh:prefixes, and the ontologies they import (SHACL §5.2.1, as pySHACL reads them)
        pending, visited = list(shapes.objects(node, sh.prefixes)), set()
        while pending:
            prefixes = pending.pop()
            if prefixes in visited:
                continue
            visited.add(prefixes)
            pending.extend(shapes.objects(prefixes, rdflib.OWL.imports))
            for declaration in shapes.objects(prefixes, sh.declare):
                declared[str(shapes.value(declaration, sh.prefix))] = str(shapes.value(declaration, sh.namespace))
        query = "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(declared.items())) + str(text)
        kind = "SPARQL-based constraint" if (holder, sh.sparql, node) in shapes else "SPARQL query"
        if re.search(r"[?$]shapesGraph\b", str(text)):
            raise InputError(
                where, f"the {kind} of {name} uses $shapesGraph, which pySHACL does not support; rewrite it without the shapes graph", line=line
            )
        try:
            parsed_query = parseQuery(query)
            if "datasetClause" in parsed_query[1].keys():
                raise InputError(where, f"the {kind} of {name} has a dataset clause (FROM or FROM NAMED); remove it: the data graph is the graph being validated", line=line)
            prepareQuery(query)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - rdflib raises a bare Exception for an unknown prefix
            message = " ".join(str(exc).split())
            unknown = re.match(r"Unknown namespace prefix : (\S*)", message)
            if unknown:
                prefix = unknown.group(1)
                namespace = next((f.prefixes[prefix] for f in files if prefix in f.prefixes), None)
                namespace_text = f'"{namespace}"^^xsd:anyURI' if namespace else '"…"^^xsd:anyURI'
                raise InputError(
                    where,
                    f"the {kind} of {name} uses the prefix {prefix}: that its sh:prefixes do not declare (Turtle's @prefix does not reach "
                    f'SPARQL); add sh:prefixes with sh:declare [ sh:prefix "{prefix}" ; sh:namespace {namespace_text} ], or write the full IRI',
                    line=line,
                ) from None
            raise InputError(where, f"the {kind} of {name} is not valid SPARQL: {message}", line=line) from None


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
    check_shapes_sparql(shapes, [dataclasses.replace(f, path=Path(layout.display(f.path))) for f in files], layout.display(layout.shapes_dir))
    return shapes


class Raw(NamedTuple):
    """A result before locating and labelling it (what pySHACL, the quality checks and the literal
    checks give; picklable, so parts validated in other processes send it back).

    Attributes:
        focus: The focus node: an IRI, ``_:id`` for a blank node, or a literal in N-Triples syntax.
        path: The result path: an IRI, or a SHACL property path in Turtle syntax
            (``[ sh:inversePath <…> ]``) for a complex one; ``None`` for none.
        value: The value node, in N-Triples syntax (IRIs bare), or ``None``.
        component: The constraint component's IRI (or a quality check's IRI).
        severity: The severity.
        message: The message.
        shape: The source shape: an IRI, ``_:id`` for a blank-node shape, or a quality check's file.
        owner: For a blank-node shape, the IRI-named shape that holds it (for people to find it).
        location: Where the result's statement is written, when the check knows it (a literal's
            file and line); else the place that defines the focus node is looked up.
        severity_iri: A severity IRI other than SHACL's three (W3C SHACL §2.1.4 allows any),
            which ranks as *severity* (a violation).
    """

    focus: str
    path: str | None
    value: str | None
    component: str
    severity: Severity
    message: str
    shape: str | None
    owner: str | None = None
    location: Location | None = None
    severity_iri: str | None = None


@contextlib.contextmanager
def quiet_rdflib(captured: list[str] | None = None) -> Iterator[None]:
    """Silence rdflib's and pySHACL's logging and warnings: an ill-typed literal is a validation
    result, not a warning with a traceback on standard error.

    Args:
        captured: Where to append, one line each, what pySHACL warns about (a recursive shape it
            backed out of, a constraint it could not load): such a warning means its report is
            incomplete. ``None`` drops them.
    """
    import logging
    import warnings

    noisy = [logging.getLogger(name) for name in ("rdflib", "rdflib.term", "pyshacl")]
    levels = [logger.level for logger in noisy]
    for logger in noisy:
        logger.setLevel(logging.CRITICAL)
    handler = None
    if captured is not None:

        class _Capture(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                text = _one_line(record.getMessage())
                if text not in captured:
                    captured.append(text)

        handler = _Capture(logging.WARNING)
        noisy[2].setLevel(logging.WARNING)
        noisy[2].addHandler(handler)

    def show(message, category, filename, lineno, file=None, line=None) -> None:
        if captured is not None and (category.__module__.startswith("pyshacl") or "pyshacl" in str(filename)):
            text = _one_line(str(message))
            if text not in captured:
                captured.append(text)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always" if captured is not None else "ignore")
            warnings.showwarning = show
            yield
    finally:
        if handler is not None:
            noisy[2].removeHandler(handler)
        for logger, level in zip(noisy, levels):
            logger.setLevel(level)


def _one_line(text: str) -> str:
    """A pySHACL warning on one line; its recursion warning shortened to what a user needs."""
    text = " ".join(text.split())
    recursion = re.search(r"recursive validation sequence (\d+) levels deep", text)
    if recursion:
        shapes = list(dict.fromkeys(re.findall(r"<(?:NodeShape|PropertyShape) ([^<>]+)>", text)))
        return (
            f"pySHACL: a recursive shape ({', '.join(shapes)}) was followed {recursion.group(1)} levels deep and pySHACL backed out "
            "there, so nodes deeper in the data are not validated (https://www.w3.org/TR/shacl/#shapes-recursion)"
        )
    return "pySHACL: " + text


def _shacl_results(loaded: LoadedGraph, layout: Layout, warnings: list[str] | None = None) -> list[Raw]:
    from relgraph.rdflib_bridge import to_rdflib_graph

    with quiet_rdflib():
        data = to_rdflib_graph(loaded.triples())
        for extra in (DERIVED_GRAPH, INFERRED_GRAPH):
            derived = loaded.store.quads_for_pattern(None, None, None, ox.NamedNode(extra))
            to_rdflib_graph((q for q in derived if not is_derivation_only(q)), data)
    return run_pyshacl(data, _shapes_graph(layout), layout, warnings)


def run_pyshacl(data, shapes, layout: Layout | None, warnings: list[str] | None = None, shown: str | None = None) -> list[Raw]:
    """Validate an rdflib data graph with pySHACL (no inference; the graph is changed in place).

    Args:
        data: The data graph (``rdflib.Graph``): facts, ontology and derived triples.
        shapes: The shapes graph.
        layout: The root (to name its shapes folder in errors), or ``None`` with *shown*.
        warnings: Where to append what pySHACL warns about (each makes the report incomplete).
        shown: How to name the shapes in errors when there is no root (``--shapes`` files).

    Returns:
        The results, unlocated.

    Raises:
        InputError: The shapes cannot be used, or pySHACL fails.
    """
    import pyshacl
    import rdflib
    import rdflib.plugins.sparql

    from relgraph.errors import InputError

    where = shown if layout is None else layout.display(layout.shapes_dir)
    # rdflib's SPARQL engine would fetch the IRI of a FROM clause; shapes never reach the network
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    # pySHACL puts a query's own sh:prefixes in front of it, and rdflib adds the data graph's
    # namespace bindings: bind the prefixes the shapes declare, so that those a query reaches
    # through owl:imports (SHACL §5.2.1; pySHACL does not follow it) resolve too.
    # check_shapes_sparql has already refused every prefix no sh:prefixes declares.
    sh = rdflib.Namespace(SH)
    for declaration in shapes.objects(None, sh.declare):
        prefix, namespace = shapes.value(declaration, sh.prefix), shapes.value(declaration, sh.namespace)
        if prefix is not None and namespace is not None:
            data.bind(str(prefix), rdflib.URIRef(str(namespace)), override=False)
    with quiet_rdflib(warnings):
        try:
            _, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True)
        except pyshacl.errors.ReportableRuntimeError as exc:
            raise InputError(where, f"the shapes cannot be used: {' '.join(str(exc).split())}") from None
        if not isinstance(report, rdflib.Graph):
            raise InputError(where, f"validation failed: {' '.join(str(text).split())[:300]}")
        return _read_report(report, shapes)


def _read_report(report, shapes) -> list[Raw]:
    import rdflib

    sh = rdflib.Namespace(SH)
    found = []
    # only the report's own results: those under sh:detail (pySHACL explains a sh:node result
    # with the value node's results) are not results of the validation (W3C SHACL §3.6.2.6)
    results = [r for report_node in report.subjects(rdflib.RDF.type, sh.ValidationReport) for r in report.objects(report_node, sh.result)]
    for node in results:
        messages = list(report.objects(node, sh.resultMessage))
        english = [m for m in messages if getattr(m, "language", None) in ("en", None)]
        message = str((english or messages or ["(no message)"])[0])
        path = report.value(node, sh.resultPath)
        value = report.value(node, sh.value)
        shape = report.value(node, sh.sourceShape)
        owner = None
        if shape is not None and not isinstance(shape, rdflib.URIRef):
            # a property shape or SPARQL constraint written as a blank node: name its node shape
            owner = shapes.value(predicate=sh.property, object=shape) or shapes.value(predicate=sh.sparql, object=shape)
        severity = str(report.value(node, sh.resultSeverity))
        found.append(
            Raw(
                _term_text(report.value(node, sh.focusNode)),
                path_text(report, path) if path is not None else None,
                _term_text(value) if value is not None else None,
                str(report.value(node, sh.sourceConstraintComponent)),
                Severity.from_iri(severity),
                message,
                _term_text(shape) if shape is not None else None,
                str(owner) if isinstance(owner, rdflib.URIRef) else None,
                severity_iri=None if severity in {s.iri for s in Severity} else severity,
            )
        )
    return found


_PATH_KEYS = ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")


def path_text(graph, path, depth: int = 0) -> str:
    """Write a SHACL property path (W3C SHACL §2.3.1) as text.

    Args:
        graph: The ``rdflib.Graph`` that describes the path (a report or shapes graph).
        path: The path node: an IRI, a list (sequence path) or a blank node with one of
            ``sh:inversePath``, ``sh:alternativePath``, ``sh:zeroOrMorePath``,
            ``sh:oneOrMorePath``, ``sh:zeroOrOnePath``.

    Returns:
        An IRI path as the bare IRI; a complex path in Turtle syntax with full IRIs in ``<…>``
        and the ``sh:`` prefix for SHACL's own terms (``[ sh:inversePath <https://…> ]``,
        ``( <a> <b> )``); a node that is no path as ``_:id``.
    """
    import rdflib
    from rdflib.collection import Collection

    def inner(node, level: int) -> str:
        if isinstance(node, rdflib.URIRef):
            return f"<{node}>"
        if level > 20:
            return "[]"
        if (node, rdflib.RDF.first, None) in graph:
            return "( " + " ".join(inner(item, level + 1) for item in Collection(graph, node)) + " )"
        for key in _PATH_KEYS:
            target = graph.value(node, rdflib.URIRef(SH + key))
            if target is not None:
                return f"[ sh:{key} {inner(target, level + 1)} ]"
        return _term_text(node)

    if isinstance(path, rdflib.URIRef):
        return str(path)
    return inner(path, depth)


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
    from relgraph.deadline import running

    for check, batch in ((c, b) for c in checks.values() for b in batches):
        severity = Severity.from_name(check.severity or "violation")
        shown = layout.display(check.path)
        try:
            text = check.text if batch is None else insert_values(check.text, ["focus"], *[[n] for n in batch])
            with running(f"the quality check {shown}"):
                solutions = list_solutions(store.query(text, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise InputError(shown, f"SPARQL error in this quality check: {' '.join(str(exc).split())}") from None
        if solutions is None or "focus" not in solutions[0]:
            raise InputError(shown, "a quality check is a SELECT query that returns ?focus (and ?path, ?message where it can)")
        names, rows = solutions
        for row in rows:
            focus = row["focus"]
            path = row["path"] if "path" in names else None
            message = row["message"].value if "message" in names and row["message"] is not None else check.title
            if "g" in names and row["g"] is not None and row["g"].value in files:
                message += f" (in {files[row['g'].value]})"
            found.append(
                Raw(
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


def literal_results(triples: Iterable[tuple[ox.Triple, Path | None, dict[str, str]]]) -> list[Raw]:
    """Check literals as written (:mod:`relgraph.literals`) and turn each problem into a result.

    Args:
        triples: Each triple with the file it is written in (``None`` if unknown) and that
            file's prefixes (to find the line of its subject first).

    Returns:
        A violation per ill-typed literal and a warning per literal not in Unicode NFC, each
        with the subject as focus node, the predicate as path, the literal as written as value,
        and the file and line of the literal as location.
    """
    from relgraph.literals import literal_line, literal_problems
    from relgraph.loading import ParsedFile, _first_line

    found: list[Raw] = []
    for triple, path, prefixes in triples:
        for problem in literal_problems((triple,)):
            location = None
            if path is not None:
                after = None
                if isinstance(triple.subject, ox.NamedNode):
                    after = _first_line(ParsedFile(path=path, graph=triple.predicate, triples=(), prefixes=prefixes), triple.subject.value)
                location = Location(path, literal_line(path, triple.object, after))
            subject = triple.subject
            found.append(
                Raw(
                    subject.value if isinstance(subject, ox.NamedNode) else "_:" + subject.value,
                    triple.predicate.value,
                    str(triple.object),
                    problem.component,
                    Severity.WARNING if problem.warning else Severity.VIOLATION,
                    problem.message,
                    None,
                    location=location,
                )
            )
    return found


def file_literal_results(files: Sequence[ParsedFile]) -> list[Raw]:
    """:func:`literal_results` for the literals of parsed files (as written)."""

    def triples():
        for parsed in files:
            for t in parsed.triples:
                if isinstance(t.object, ox.Literal):
                    yield t, parsed.path, parsed.prefixes

    return literal_results(triples())


def list_solutions(answer) -> tuple[set[str], list] | None:
    """Read a pyoxigraph SELECT answer whole (so that a time limit can stop it between rows).

    Returns:
        The variable names and the solutions, or ``None`` for an answer that is not a SELECT's.
    """
    if not isinstance(answer, ox.QuerySolutions):
        return None
    names = {v.value for v in answer.variables}
    return names, list(answer)


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
    warnings: list[str] = []
    raw = _shacl_results(loaded, layout, warnings) + quality_results(loaded.store, layout, files)
    from relgraph.deadline import running

    with running("the literal checks (lexical forms, NFC)"):
        raw += file_literal_results(given if paths else [*loaded.ontology, *given])
    results = build_results(raw, loaded.store, lambda focus: loaded.locate(focus, [*given, *loaded.facts, *loaded.ontology]), focus_filter)
    return ValidationReport(results=results, files=tuple(f.path for f in given), warnings=tuple(warnings))


def build_results(raw: Sequence[Raw], store: ox.Store, locate, focus_filter: set[str] | None = None, *, keep_duplicates: bool = False) -> tuple[ValidationResult, ...]:
    """Turn raw results into located, labelled, sorted validation results.

    Args:
        raw: Results from pySHACL and the quality checks (duplicates are dropped).
        store: Where to look up the focus nodes' labels.
        locate: Focus node IRI → :class:`relgraph.loading.Location` or ``None``.
        focus_filter: Keep only results on these focus nodes (IRIs, ``_:id``), or all.
        keep_duplicates: Keep results equal in every field (pySHACL reports a shape reached
            along two paths twice, as W3C SHACL's own tests expect); else keep one.

    Returns:
        The results, most severe first, then by file, line, focus node, path and component.
    """
    results = []
    seen = set()
    for item in raw:
        r = item if isinstance(item, Raw) else Raw(*item)
        if focus_filter is not None and r.focus not in focus_filter:
            continue
        identity = (r.focus, r.path, r.value, r.component, r.severity, r.shape)
        if identity in seen and not keep_duplicates:
            continue
        seen.add(identity)
        location = r.location
        if location is None and not r.focus.startswith(("_:", '"')):
            location = locate(r.focus)
        results.append(
            ValidationResult(
                focus_node=r.focus,
                result_path=r.path,
                value=r.value,
                constraint_component=r.component,
                severity=r.severity,
                message=r.message,
                source_shape=r.shape,
                focus_label=_label(store, r.focus),
                location=location,
                shape_owner=r.owner,
                custom_severity=r.severity_iri,
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
