"""Readable HTML pages for dereferenced IRIs (``relgraph serve``), written with Jinja2.

A page shows what the RDF document about the same IRI holds (the stored ``describe`` query),
arranged for people: the entity's own statements; each claim that names it (a membership, a
treaty action, a posting, an event…) with its rank, its dates and its sources; and the
description of every cited source. IRIs are shown by their labels in the chosen language
(English where none is recorded) and link to their own pages when the server answers for
them, else to the IRI itself. Literals keep their datatype or language tag beside them.
All HTML is written by the templates of ``templates/`` (a term by the macro of ``term.html``);
everything is escaped by Jinja2's autoescaping (HTML5 §13.1).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import jinja2
import pyoxigraph as ox

from relgraph.namespaces import DCTERMS_IS_PART_OF, PROV_HAD_PRIMARY_SOURCE, PROV_WAS_DERIVED_FROM, RDF_TYPE, WIKIBASE, WIKIBASE_RANK, compact
from relgraph.query.results import iris_in, labels_for

__all__ = ["LANGUAGES", "DOCUMENT_PREFIX", "entity_page", "results_page", "page"]

DOCUMENT_PREFIX = "/data/"
"""The server path under which the document about each thing is served (``/id/x`` → ``/data/id/x``)."""

LANGUAGES = (("en", "English"), ("ru", "Русский"))
"""Label languages a page can be shown in (code, name)."""

_CITES = {PROV_WAS_DERIVED_FROM, PROV_HAD_PRIMARY_SOURCE, DCTERMS_IS_PART_OF}
_HEADINGS = {"entity": "Statements", "graph": "Triples of this named graph", "ontology": "Statements about the ontology"}


@dataclass
class _Row:
    property: ox.NamedNode
    values: list = field(default_factory=list)


@dataclass
class _Group:
    node: object
    rows: list[_Row]
    rank: str | None = None
    types: list = field(default_factory=list)
    anchor: str = ""


def _rows(triples: Sequence[ox.Triple]) -> list[_Row]:
    by_property: dict[str, _Row] = {}
    for t in triples:
        if t.predicate.value == RDF_TYPE:
            continue
        by_property.setdefault(t.predicate.value, _Row(t.predicate)).values.append(t.object)
    return list(by_property.values())


def entity_page(store, iri: str, triples: Sequence[ox.Triple], *, kind: str = "entity", lang: str = "en", base: str = "", prefix: str = "/", picture: str | None = None) -> bytes:
    """Write the HTML page about one IRI.

    Args:
        store: The query store (for labels).
        iri: The IRI the page is about.
        triples: Its RDF description (what the Turtle and JSON-LD documents hold).
        kind: ``entity``, ``graph`` (a named graph's triples) or ``ontology``.
        lang: ``en`` or ``ru``: the language of labels.
        base: The base IRI the server answers for; IRIs under it link to the server.
        prefix: The server path that *base* maps to, ending in ``/``.
        picture: The server path of the entity's picture (:mod:`relgraph.serve.pictures`), shown
            under its statements; ``None`` for none.

    Returns:
        UTF-8 HTML.
    """

    node = ox.NamedNode(iri)
    iris = {iri}
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
    labels = labels_for(store, iris, lang)
    href, view = _renderers(labels, base, prefix)

    own = [t for t in triples if t.subject == node]
    types = [t.object for t in own if t.predicate.value == RDF_TYPE]
    cited = {t.object for t in triples if t.predicate.value in _CITES and isinstance(t.object, ox.NamedNode) and t.subject != t.object}
    by_subject: dict[object, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        if t.subject != node:
            by_subject[t.subject].append(t)
    claims, sources = [], []
    for subject in sorted(by_subject, key=lambda s: (labels.get(getattr(s, "value", ""), ""), str(s))):
        group_triples = by_subject[subject]
        rank = next((t.object.value.rsplit("#", 1)[-1].removesuffix("Rank").lower() for t in group_triples if t.predicate.value == WIKIBASE_RANK), None)
        classes = [t.object for t in group_triples if t.predicate.value == RDF_TYPE and not t.object.value.startswith(WIKIBASE.removesuffix("ontology#"))]
        # a hash IRI of this document (the ontology's rg:State) gets its fragment as the anchor
        anchor = subject.value[len(iri) + 1 :] if isinstance(subject, ox.NamedNode) and subject.value.startswith(iri + "#") else ""
        group = _Group(subject, _rows([t for t in group_triples if t.predicate.value != WIKIBASE_RANK]), rank, classes, anchor)
        (sources if subject in cited and subject != node else claims).append(group)
    title = labels.get(iri) or compact(iri)
    stem = href(iri)
    if not stem.startswith("/"):
        stem = ""
    alternates = []
    if stem:
        document = _document_path(stem)
        alternates = [
            {"name": "Turtle", "media": "text/turtle", "href": document + ".ttl"},
            {"name": "JSON-LD", "media": "application/ld+json", "href": document + ".jsonld"},
            {"name": "N-Triples", "media": "application/n-triples", "href": document + ".nt"},
        ]
    html = _environment().get_template("entity.html").render(
        lang=lang,
        languages=LANGUAGES,
        title=title,
        iri=iri,
        types=types,
        own=_rows(own),
        claims=claims,
        sources=sources,
        view=view,
        alternates=alternates,
        kind_heading=_HEADINGS.get(kind, "Statements"),
        count=len(triples),
        here="",
        picture=picture,
    )
    return html.encode("utf-8")


@functools.lru_cache(maxsize=1)
def _environment():
    """The Jinja2 environment, made once per process (templates are compiled once, not per page)."""

    return jinja2.Environment(loader=jinja2.PackageLoader("relgraph.serve", "templates"), autoescape=True, undefined=jinja2.StrictUndefined)


def _renderers(labels: dict[str, str], base: str, prefix: str):
    """``href(iri)``: the server path of an IRI under *base*, else the IRI; ``view(term)``: what
    the macro of ``templates/term.html`` shows of a term (no HTML here: the template writes it).

    ``view`` takes a pyoxigraph term or ``None`` (an unbound variable) and returns ``None`` or a
    dict with ``kind`` and the texts the template escapes: ``iri`` (``href``, ``iri``, ``text``:
    the label, else the compact IRI), ``bnode``, ``triple`` (``subject``, ``predicate``,
    ``object``: views), ``language`` (``text``, ``language``), ``link`` (an ``xsd:string`` that
    is a web address: ``text``), ``typed`` (``text``, ``datatype``: compact) or ``text``."""

    def href(target: str) -> str:
        if base and target.startswith(base):
            return prefix + target[len(base):]
        return target

    def view(term) -> dict | None:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return {"kind": "iri", "href": href(term.value), "iri": term.value, "text": labels.get(term.value) or compact(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"kind": "bnode"}
        if isinstance(term, ox.Triple):
            return {"kind": "triple", "subject": view(term.subject), "predicate": view(term.predicate), "object": view(term.object)}
        if isinstance(term, ox.Literal):
            if term.language:
                return {"kind": "language", "text": term.value, "language": term.language}
            datatype = term.datatype.value
            if datatype.endswith("#string"):
                if term.value.startswith(("http://", "https://")):
                    return {"kind": "link", "text": term.value}
                return {"kind": "text", "text": term.value}
            return {"kind": "typed", "text": term.value, "datatype": compact(datatype)}
        return {"kind": "text", "text": str(term)}

    return href, view


def results_page(
    store,
    title: str,
    variables: Sequence[str],
    rows: Sequence[dict],
    *,
    offset: int = 0,
    next_href: str = "",
    lang: str = "en",
    base: str = "",
    prefix: str = "/",
    list_columns: Sequence[str] = (),
    here: str = "",
) -> bytes:
    """Write one page of query results as an HTML table, for a browser.

    Args:
        store: The query store (for labels).
        title: The heading (a stored query's title).
        variables: The columns.
        rows: Variable → term (``None`` for unbound), one dict per row.
        offset: The number of the first row, less one.
        next_href: The link to the next page, or ``""`` for the last page.
        lang: ``en`` or ``ru``: the language of labels.
        base: As :func:`entity_page`.
        prefix: As :func:`entity_page`.
        list_columns: Columns of kind ``iri-list`` (IRIs joined by spaces), shown as links.
        here: This page's query string without ``lang``, kept by the language links.

    Returns:
        UTF-8 HTML.
    """

    labels = labels_for(store, iris_in(rows, set(list_columns)), lang)
    _, view = _renderers(labels, base, prefix)

    def cell(term, column: str) -> list[dict | None]:
        """The views of one cell: one per IRI of an ``iri-list`` column, else one."""
        if column in list_columns and isinstance(term, ox.Literal):
            return [view(ox.NamedNode(i)) for i in term.value.split()]
        return [view(term)]

    html = _environment().get_template("results.html").render(
        lang=lang, languages=LANGUAGES, title=title, variables=list(variables), rows=rows, cell=cell, first=offset + 1, next_href=next_href, here=here + "&" if here else ""
    )
    return html.encode("utf-8")


def _document_path(thing_path: str) -> str:
    """The server path of the document about a thing's path (``/id/x`` → ``/data/id/x``)."""
    return DOCUMENT_PREFIX + thing_path.lstrip("/")


def page(template: str, **context) -> str:
    """Render one of the server's plain pages (``home.html``, ``sparql.html``: the query form,
    ``catalogue.html``: the stored queries), each a template of ``templates/`` that extends
    ``page.html``.

    Args:
        template: The template's file name.
        context: Its variables (``title`` and what the template shows), escaped by Jinja2.

    Returns:
        The HTML text.
    """
    return _environment().get_template(template).render(**context)
