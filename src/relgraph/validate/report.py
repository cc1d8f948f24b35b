"""Validation results and reports: what every way of validating returns (W3C SHACL 1.0 §3.6).

A :class:`ValidationReport` holds :class:`ValidationResult` values, most severe first; it writes
itself as stable JSON, as GitHub Actions annotations, and as a W3C ``sh:ValidationReport`` in
canonical Turtle. :class:`Raw` is a result before it is located and labelled (what pySHACL, the
SPARQL-based constraints on Oxigraph, the quality checks and the literal checks give);
:func:`build_results` turns raw results into located, labelled, sorted ones.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

from relgraph.graph.parsing import Location
from relgraph.namespaces import RDF_TYPE, RDFS_COMMENT, RDFS_LABEL, RGSH, SH, SKOS_PREFLABEL, XSD, compact
from relgraph.publish.canonical import canonical_turtle

__all__ = ["Severity", "ValidationResult", "ValidationReport", "Raw", "build_results", "path_text", "term_text"]


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

    def fails(self, fail_on: str) -> bool:
        """Whether a result is at or above a severity (``validate --fail-on``); an incomplete
        report counts as a warning.

        Args:
            fail_on: ``info``, ``warning`` or ``violation``.

        Returns:
            ``True`` when the exit code is to say so (1).
        """
        highest = self.highest_severity
        if not self.complete:  # an incomplete report counts as a warning
            highest = max(highest or Severity.WARNING, Severity.WARNING)
        return highest is not None and highest >= Severity.from_name(fail_on)

    def to_text(self, display=str, fail_on: str = "violation", source: str = "the shapes") -> str:
        """Return the report for people: each result with where it is, then a summary line.

        Args:
            display: How to show file paths.
            fail_on: The ``--fail-on`` severity, which the summary names when every result is below it.
            source: What the files were validated with, for the summary (``the shapes and checks of .``).

        Returns:
            Per result: ``FILE:LINE: Severity: label (node)`` and indented ``focus node``, ``path``,
            ``value``, ``message`` and ``constraint`` lines; then ``N files validated with SOURCE:
            counts; verdict.``, one line each, ending in a line feed.
        """
        lines = []
        for r in self.results:
            where = "(not found in the files)"
            if r.location:
                where = display(r.location.path) + (f":{r.location.line}" if r.location.line else "")
            focus = compact(r.focus_node) if not r.focus_node.startswith(("_:", '"')) else r.focus_node
            name = f"{r.focus_label} ({focus})" if r.focus_label else focus
            lines.append(f"{where}: {r.severity.name.capitalize()}: {name}")
            lines.append(f"    focus node: <{r.focus_node}>" if not r.focus_node.startswith(("_:", '"')) else f"    focus node: {r.focus_node}")
            if r.result_path:
                lines.append(f"    path: {compact(r.result_path) if '://' in r.result_path and not r.result_path.startswith(('[', '(')) else r.result_path}")
            if r.value is not None:
                lines.append(f"    value: {r.value}")
            lines.append(f"    message: {r.message}")
            shape = compact(r.source_shape) if r.source_shape and "://" in r.source_shape else r.source_shape
            if r.shape_owner:
                shape = f"a shape of {compact(r.shape_owner)}"
            lines.append(f"    constraint: {compact(r.constraint_component)}" + (f" in {shape}" if shape else ""))
        counts = ", ".join(f"{n} {s.name.lower()}{'s' if n != 1 else ''}" for s in sorted(Severity, reverse=True) for n in [self.count(s)])
        files = f"{len(self.files)} file{'s' if len(self.files) != 1 else ''}"
        verdict = "conforms" if self.conforms else "does not conform"
        if not self.complete:
            verdict += f" as far as pySHACL went; the report is INCOMPLETE ({len(self.warnings)} pySHACL warning{'s' if len(self.warnings) != 1 else ''} on standard error)"
        elif not self.conforms and self.highest_severity < Severity.from_name(fail_on):
            verdict += f" (all below --fail-on {fail_on}, so the exit code is 0)"
        lines.append(f"{files} validated with {source}: {counts}; {verdict}.")
        return "".join(line + "\n" for line in lines)

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

        def sh(name: str) -> ox.NamedNode:
            return ox.NamedNode(SH + name)

        rdf_type = ox.NamedNode(RDF_TYPE)
        report = ox.BlankNode()
        boolean = ox.NamedNode(XSD + "boolean")
        triples = [ox.Triple(report, rdf_type, sh("ValidationReport")), ox.Triple(report, sh("conforms"), ox.Literal("true" if self.conforms else "false", datatype=boolean))]
        if not self.complete:
            triples.append(ox.Triple(report, ox.NamedNode(RGSH + "complete"), ox.Literal("false", datatype=boolean)))
            comment = ox.NamedNode(RDFS_COMMENT)
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


def term_text(term) -> str:

    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    if isinstance(term, rdflib.Literal):
        return term.n3()
    return str(term)


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
        return term_text(node)

    if isinstance(path, rdflib.URIRef):
        return str(path)
    return inner(path, depth)


def build_results(raw: Sequence[Raw], store: ox.Store, locate, focus_filter: set[str] | None = None, *, keep_duplicates: bool = False) -> tuple[ValidationResult, ...]:
    """Turn raw results into located, labelled, sorted validation results.

    Args:
        raw: Results from pySHACL and the quality checks (duplicates are dropped).
        store: Where to look up the focus nodes' labels.
        locate: Focus node IRI → :class:`relgraph.graph.parsing.Location` or ``None``.
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
