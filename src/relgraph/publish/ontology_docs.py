"""HTML documentation of the ontology for people: ``relgraph docs`` and ``/ontology`` in a browser.

The documentation is pyLODE's (``OntPub``, the profile the OWL ontologies of the field publish
with, as WIDOCO does for Java users): every class and property of ``ontology/*.ttl`` with its
label, comment, domain and range. relgraph adds what pyLODE's ontology profile does not show, as
two sections of the same page: "Concept schemes", each scheme of ``ontology/schemes.ttl`` with
its concepts (SKOS: preferred label, notation, definition), and "Shapes", for each class and
property the SHACL shapes of ``ontology/shapes/`` that constrain it (a node shape's
``sh:targetClass``, a property shape's ``sh:path``) with their messages and a link to the term's
entry. pyLODE takes the title and metadata of every ``owl:Ontology`` and ``skos:ConceptScheme``
it is given as the page's, so it is given the ontology without the schemes' typing.

pyLODE is an optional extra (``pip install 'relgraph[docs]'``), pinned to 3.3.4: 3.4.1 reads its
own ``pyproject.toml`` at import and fails when installed from a wheel. Nothing is fetched: the
ontology has no ``owl:imports`` and pyLODE reads its background ontologies from its own files.
The same ontology gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import rdflib

from relgraph.errors import RelgraphError
from relgraph.paths import Layout

__all__ = ["DocsUnavailable", "ShapeNote", "cached_ontology_html", "ontology_html", "shapes_by_term"]

_SH = "http://www.w3.org/ns/shacl#"
_RG = "https://w3id.org/relgraph/ontology#"


class DocsUnavailable(RelgraphError):
    """pyLODE, the optional extra the documentation is written with, is not installed."""


@dataclass(frozen=True, order=True)
class ShapeNote:
    """One shape that constrains a term: the shape's IRI (or, for a property shape without one,
    the node shape it belongs to) and its messages."""

    shape: str
    messages: tuple[str, ...]


def _graph(paths: Iterable) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def shapes_by_term(layout: Layout) -> dict[str, list[ShapeNote]]:
    """The shapes of ``ontology/shapes/*.ttl`` that constrain each class and property.

    A node shape constrains its ``sh:targetClass``; a property shape (``sh:property`` of a node
    shape) constrains the property of its ``sh:path`` when the path is one IRI.

    Args:
        layout: The root.

    Returns:
        Term IRI → its shapes, sorted; messages in English where tagged, sorted.

    Raises:
        rdflib's parser errors: A shapes file is not valid Turtle (``relgraph validate`` names
        the file and line first).
    """
    graph = _graph(layout.shapes_files())
    sh = rdflib.Namespace(_SH)

    def messages(node) -> tuple[str, ...]:
        return tuple(sorted({str(m) for m in graph.objects(node, sh.message) if getattr(m, "language", None) in (None, "en")}))

    def name(node) -> str:
        """The shape's IRI, else that of the nearest named shape it is part of (a property
        shape of a node shape in an sh:or list, say)."""
        seen, frontier = set(), [node]
        while frontier:
            current = frontier.pop(0)
            if isinstance(current, rdflib.URIRef):
                return str(current)
            if current in seen:
                continue
            seen.add(current)
            frontier.extend(graph.subjects(None, current))
        return ""

    found: dict[str, set[ShapeNote]] = {}
    for shape, target in graph.subject_objects(sh.targetClass):
        found.setdefault(str(target), set()).add(ShapeNote(name(shape), messages(shape)))
    for shape, prop in graph.subject_objects(sh.property):
        path = graph.value(prop, sh.path)
        if isinstance(path, rdflib.URIRef):
            found.setdefault(str(path), set()).add(ShapeNote(name(prop) or name(shape), messages(prop)))
    return {term: sorted(notes) for term, notes in sorted(found.items())}


def _short(iri: str) -> str:
    for prefix, namespace in (("rgsh:", "https://w3id.org/relgraph/shapes#"), ("rg:", _RG)):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return iri


def _shapes_section(terms: Iterable[str], shapes: dict[str, list[ShapeNote]]) -> str:
    rows = []
    for term in terms:
        notes = shapes.get(term, [])
        if not notes:
            continue
        anchor = term.rsplit("#", 1)[-1] if term.startswith(_RG) else ""
        shown = html.escape(_short(term))
        cell = f'<a href="#{html.escape(anchor)}">{shown}</a>' if anchor else shown
        items = "".join(
            f"<li><code>{html.escape(_short(n.shape))}</code>{': ' + html.escape(' '.join(n.messages)) if n.messages else ''}</li>" for n in notes
        )
        rows.append(f"<tr><td>{cell}</td><td><ul>{items}</ul></td></tr>")
    return (
        f'<div class="section" id="shapes"><h2>Shapes</h2>'
        "<p>The SHACL shapes of <code>ontology/shapes/</code> that constrain each class (a node shape's "
        "<code>sh:targetClass</code>) and property (a property shape's <code>sh:path</code>), with their messages; "
        "<code>relgraph validate</code> checks the graph against them.</p>"
        f'<table><tr><th>Term</th><th>Shapes</th></tr>{"".join(rows)}</table></div>'
    )


def ontology_html(layout: Layout) -> str:
    """The HTML documentation of a root's ontology and concept schemes, with their shapes.

    Args:
        layout: The root (its ``ontology/*.ttl`` and ``ontology/shapes/*.ttl``).

    Returns:
        A complete HTML document (UTF-8 text).

    Raises:
        DocsUnavailable: pyLODE is not installed (exit code 2, with the command that installs it).
    """
    try:
        # imported here: an optional extra, and python -X importtime shows 78 ms with rdflib
        from pylode import OntPub  # noqa: PLC0415
    except ImportError:
        raise DocsUnavailable("the ontology documentation needs pyLODE: pip install 'relgraph[docs]'") from None
    logging.getLogger("root").setLevel(logging.WARNING)  # pyLODE logs its progress at INFO on the root logger
    ontology = _graph(layout.ontology_files())
    documented = rdflib.Graph()
    for triple in ontology:
        if not (triple[1] == rdflib.RDF.type and triple[2] == rdflib.SKOS.ConceptScheme):
            documented.add(triple)
    page = OntPub(ontology=documented, sort_subjects=True).make_html()
    terms = sorted(
        str(s)
        for kind in (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty, rdflib.OWL.AnnotationProperty, rdflib.RDF.Property)
        for s in ontology.subjects(rdflib.RDF.type, kind)
        if isinstance(s, rdflib.URIRef)
    )
    sections = _schemes_section(ontology) + _shapes_section(dict.fromkeys(terms), shapes_by_term(layout))
    at = page.rfind("</body>")
    return page[:at] + sections + page[at:] if at >= 0 else page + sections


def _english(graph, node, predicate) -> str:
    values = sorted(graph.objects(node, predicate), key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))
    return str(values[0]) if values else ""


def _schemes_section(graph: rdflib.Graph) -> str:
    skos = rdflib.SKOS
    parts = []
    for scheme in sorted(graph.subjects(rdflib.RDF.type, skos.ConceptScheme), key=str):
        anchor = html.escape("scheme-" + str(scheme).rstrip("/").rsplit("/", 1)[-1])
        rows = []
        for concept in sorted(graph.subjects(skos.inScheme, scheme), key=str):
            notations = ", ".join(sorted(str(n) for n in graph.objects(concept, skos.notation)))
            rows.append(
                f"<tr><td><code>{html.escape(str(concept))}</code></td><td>{html.escape(_english(graph, concept, skos.prefLabel))}</td>"
                f"<td>{html.escape(notations)}</td><td>{html.escape(_english(graph, concept, skos.definition))}</td></tr>"
            )
        parts.append(
            f'<div class="property entity" id="{anchor}"><h3>{html.escape(_english(graph, scheme, skos.prefLabel) or str(scheme))}</h3>'
            f"<p><code>{html.escape(str(scheme))}</code></p><p>{html.escape(_english(graph, scheme, skos.definition))}</p>"
            f'<table><tr><th>Concept</th><th>Label</th><th>Notation</th><th>Definition</th></tr>{"".join(rows)}</table></div>'
        )
    return '<div class="section" id="schemes"><h2>Concept schemes</h2>' + "".join(parts) + "</div>"


_CACHE: dict[str, str] = {}
_CACHE_LOCK = threading.Lock()


def cached_ontology_html(layout: Layout) -> str:
    """:func:`ontology_html`, made once per content of the ontology and shapes files (the server
    answers ``/ontology`` with it; about 1.5 s to make).

    Args:
        layout: The root.

    Returns:
        As :func:`ontology_html`.

    Raises:
        DocsUnavailable: As :func:`ontology_html`.
    """
    digest = hashlib.sha256()
    for path in [*layout.ontology_files(), *layout.shapes_files()]:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    key = digest.hexdigest()
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE.clear()
            _CACHE[key] = ontology_html(layout)
        return _CACHE[key]
