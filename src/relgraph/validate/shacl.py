"""The SHACL shapes and pySHACL: reading a root's shapes, checking their SPARQL, running pySHACL.

- :func:`shapes_graph`: every ``ontology/shapes/*.ttl`` of a root as one shapes graph; the
  SPARQL in the shapes is read-only (no ``SERVICE``, no update), like every query kept in a root.
- :func:`check_shapes_sparql`: before pySHACL runs, every SPARQL query of the shapes is checked:
  an undeclared prefix, a dataset clause or a syntax error is an input error naming the shape.
- :func:`run_pyshacl`: pySHACL on an rdflib data graph (W3C SHACL 1.0, no inference). What
  pySHACL warns about (a recursive shape it backed out of) is kept, and marks the report
  incomplete (:attr:`relgraph.validate.report.ValidationReport.warnings`).

The data graph always holds the ontology, so an instance of a subclass satisfies ``sh:class``
and ``sh:targetClass`` of its superclass (SHACL 3.2 "SHACL instance"), and literals exactly as
the files wrote them (pyoxigraph's store would canonicalise ``"4"^^xsd:nonNegativeInteger``).
"""

from __future__ import annotations

import contextlib
import functools
import dataclasses
import logging
import re
import warnings as python_warnings
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import rdflib
import rdflib.plugins.sparql
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parser import parseQuery

from relgraph.errors import InputError, LayoutError
from relgraph.graph.loading import load_shapes
from relgraph.graph.parsing import ParsedFile, first_line
from relgraph.graph.rdflib_bridge import to_rdflib_graph
from relgraph.namespaces import SH, compact
from relgraph.paths import Layout
from relgraph.sparqltext import checked_text
from relgraph.validate.report import Raw, Severity, path_text, term_text

__all__ = ["check_shapes_sparql", "shapes_graph", "quiet_rdflib", "run_pyshacl"]

_SPARQL_IN_SHAPES = ("select", "ask", "construct", "update")


_DATASET_CLAUSE = "dataset clause"


@functools.lru_cache(maxsize=1024)
def _sparql_problem(query: str) -> str | None:
    """What stops rdflib from running *query*: :data:`_DATASET_CLAUSE`, rdflib's message on one
    line, or ``None``; remembered by text, since the same shapes are checked for every part and
    validation of a process and rdflib takes 30 to 60 ms to parse and prepare a query."""

    try:
        if "datasetClause" in parseQuery(query)[1].keys():
            return _DATASET_CLAUSE
        prepareQuery(query)
    except Exception as exc:  # noqa: BLE001 - rdflib raises a bare Exception for an unknown prefix
        return " ".join(str(exc).split())
    return None


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

    sh = rdflib.Namespace(SH)
    holders = (sh.sparql, sh.validator, sh.nodeValidator, sh.propertyValidator)
    for node, text in sorted(((n, t) for key in (sh.select, sh.ask) for n, t in shapes.subject_objects(key)), key=lambda pair: str(pair[1])):
        holder = next((s for p in holders for s in shapes.subjects(p, node)), node)
        name = compact(str(holder)) if isinstance(holder, rdflib.URIRef) else "a blank-node shape"
        where, line = shown, None
        for parsed in files:
            if any(isinstance(t.object, ox.Literal) and t.object.value == str(text) for t in parsed.triples):
                where = str(parsed.path)
                line = first_line(parsed, str(holder)) if isinstance(holder, rdflib.URIRef) else None
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
        problem = _sparql_problem(query)
        if problem == _DATASET_CLAUSE:
            raise InputError(where, f"the {kind} of {name} has a dataset clause (FROM or FROM NAMED); remove it: the data graph is the graph being validated", line=line)
        if problem:
            message = problem
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


def shapes_graph(layout: Layout):


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


@contextlib.contextmanager
def quiet_rdflib(captured: list[str] | None = None) -> Iterator[None]:
    """Silence rdflib's and pySHACL's logging and warnings: an ill-typed literal is a validation
    result, not a warning with a traceback on standard error.

    Args:
        captured: Where to append, one line each, what pySHACL warns about (a recursive shape it
            backed out of, a constraint it could not load): such a warning means its report is
            incomplete. ``None`` drops them.
    """

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
        with python_warnings.catch_warnings():
            python_warnings.simplefilter("always" if captured is not None else "ignore")
            python_warnings.showwarning = show
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
                term_text(report.value(node, sh.focusNode)),
                path_text(report, path) if path is not None else None,
                term_text(value) if value is not None else None,
                str(report.value(node, sh.sourceConstraintComponent)),
                Severity.from_iri(severity),
                message,
                term_text(shape) if shape is not None else None,
                str(owner) if isinstance(owner, rdflib.URIRef) else None,
                severity_iri=None if severity in {s.iri for s in Severity} else severity,
            )
        )
    return found


