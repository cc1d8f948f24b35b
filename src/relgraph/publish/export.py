"""Serializations of the graph for linked-data consumers: ``relgraph export``.

What an export holds: the ontology (unless ``facts_only``), the facts as written in the files,
and a generated description of the data set (VoID and DCAT: version and release date from the
ontology header, triple and entity counts of the facts, the shapes and ontology it conforms to,
its sources). Derived triples (date bounds, best ranks) are never exported.

Every format is deterministic: the same graph gives the same bytes (:mod:`relgraph.publish.canonical`),
and literals keep their lexical form exactly (pyoxigraph parses and writes them; the query
store and rdflib's parser would normalise some).

- ``turtle`` (``text/turtle``) and ``nt`` (``application/n-triples``): one merged graph.
- ``rdfxml`` (``application/rdf+xml``): the merged graph in RDF/XML, for tools that read only
  that (Protégé's older versions, XSLT pipelines); refused when RDF/XML cannot hold a predicate
  or a literal (:mod:`relgraph.publish.rdfxml`).
- ``trig`` (``application/trig``) and ``nquads`` (``application/n-quads``): a data set with one
  named graph per source, named by the source's IRI, holding the triples of every claim and
  entity derived from it (a triple sourced three times is in three graphs), so that a consumer
  can select by provenance; the ontology is in the graph ``https://w3id.org/relgraph/ontology``
  and what has no source (sources themselves, publishers, the data set description) in the
  default graph. relgraph checks that the graphs together hold exactly the merged triples.
- ``json-ld`` (``application/ld+json``): compacted with the committed context
  ``ontology/context.jsonld``, embedded in the document (never fetched; ``context_url`` puts a
  URL there instead, when the consumer can reach it); or framed, nested documents per type with
  a committed frame ``ontology/frames/<name>.jsonld``, using pyld. No document is ever loaded
  from the network.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from relgraph.errors import ExportError
from relgraph.graph import langtags
from relgraph.graph.langtags import RestoringWriter, iter_disguised, store_tags
from relgraph.graph.loading import DERIVED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH_BASE, LoadedGraph, written_forms
from relgraph.namespaces import PREFIXES, RDF_TYPE, XSD
from relgraph.publish.canonical import canonical_quads, canonical_triples, canonical_turtle
from relgraph.publish.jsonld import to_json_ld
from relgraph.publish.rdfxml import refusal
from relgraph.publish.serialize import serialize_triples, used_prefixes

__all__ = [
    "EXPORT_FORMATS",
    "ONTOLOGY_IRI",
    "SHAPES_IRI",
    "dataset_description",
    "export_triples",
    "export_quads",
    "serialize_graph",
    "export_store",
]

EXPORT_FORMATS = ("turtle", "nt", "json-ld", "rdfxml", "trig", "nquads")
"""The ``--format`` names of export."""

ONTOLOGY_IRI = "https://w3id.org/relgraph/ontology"
SHAPES_IRI = "https://w3id.org/relgraph/shapes"

_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS = "http://purl.org/dc/terms/"
_VOID = "http://rdfs.org/ns/void#"
_DCAT = "http://www.w3.org/ns/dcat#"
_OWL = "http://www.w3.org/2002/07/owl#"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _release(loaded: LoadedGraph) -> tuple[str | None, ox.Literal | None]:
    """The version and release date stated in the ontology header (one source of truth)."""
    version = issued = None
    for parsed in loaded.ontology:
        for t in parsed.triples:
            if t.subject == _n(ONTOLOGY_IRI) and t.predicate == _n(_OWL + "versionInfo"):
                version = t.object.value
            if t.subject == _n(ONTOLOGY_IRI) and t.predicate == _n(_DCTERMS + "issued"):
                issued = t.object
    return version, issued


def dataset_description(loaded: LoadedGraph) -> list[ox.Triple]:
    """Generate the VoID/DCAT description of the facts, added to the data set node.

    The data set node is the facts' ``dcat:Dataset`` (``rgid:relgraph-dataset``); its hand-kept
    statements (title, licence, attribution) stay in ``graph/dataset.ttl``. Generated here,
    never typed in: ``dcterms:hasVersion`` and ``dcterms:issued`` (from the ontology header, so
    the same release gives the same bytes), ``void:triples`` and ``void:entities`` (counts of
    the facts, ``xsd:integer``), ``dcterms:conformsTo`` the ontology and the shapes, and
    ``dcterms:source`` each source document a claim or entity is derived from.

    Args:
        loaded: The loaded graph.

    Returns:
        The generated triples (none if the facts have no ``dcat:Dataset``).
    """
    facts = loaded.triples(facts_only=True)
    datasets = sorted({t.subject.value for t in facts if t.predicate.value == RDF_TYPE and t.object == _n(_DCAT + "Dataset")})
    if not datasets:
        return []
    node = _n(datasets[0])
    version, issued = _release(loaded)
    part_of = {t.subject: t.object for t in facts if t.predicate == _n(_DCTERMS + "isPartOf")}
    documents = {part_of.get(t.object, t.object) for t in facts if t.predicate == _n(_PROV + "wasDerivedFrom")}
    integer = _n(XSD + "integer")
    out = [
        ox.Triple(node, _n(_VOID + "triples"), ox.Literal(str(len(facts)), datatype=integer)),
        ox.Triple(node, _n(_VOID + "entities"), ox.Literal(str(len({t.subject for t in facts if isinstance(t.subject, ox.NamedNode)})), datatype=integer)),
        ox.Triple(node, _n(_DCTERMS + "conformsTo"), _n(ONTOLOGY_IRI)),
        ox.Triple(node, _n(_DCTERMS + "conformsTo"), _n(SHAPES_IRI)),
    ]
    if version:
        out.append(ox.Triple(node, _n(_DCTERMS + "hasVersion"), ox.Literal(version)))
    if issued is not None:
        out.append(ox.Triple(node, _n(_DCTERMS + "issued"), issued))
    out += [ox.Triple(node, _n(_DCTERMS + "source"), d) for d in sorted(documents, key=lambda d: d.value) if isinstance(d, ox.NamedNode)]
    return out


def export_triples(loaded: LoadedGraph, *, facts_only: bool = False) -> list[ox.Triple]:
    """The merged graph of an export, in canonical order.

    Args:
        loaded: The loaded graph.
        facts_only: Leave out the ontology.

    Returns:
        The ontology (unless *facts_only*), the facts and the data set description.
    """
    return canonical_triples([*loaded.triples(facts_only=facts_only), *dataset_description(loaded)])


def export_quads(loaded: LoadedGraph, *, facts_only: bool = False) -> list[ox.Quad]:
    """The export as a data set with one named graph per source, in canonical order.

    Args:
        loaded: The loaded graph.
        facts_only: Leave out the ontology.

    Returns:
        Quads: each triple of a node derived from sources in the graph of each source; the
        ontology in ``https://w3id.org/relgraph/ontology``; the rest in the default graph.

    Raises:
        ExportError: The graphs together do not hold exactly the merged triples.
    """
    facts = loaded.triples(facts_only=True)
    sources: dict[object, list[ox.NamedNode]] = defaultdict(list)
    for t in facts:
        if t.predicate == _n(_PROV + "wasDerivedFrom") and isinstance(t.object, ox.NamedNode):
            sources[t.subject].append(t.object)
    quads: list[ox.Quad] = []
    if not facts_only:
        ontology = _n(ONTOLOGY_IRI)
        quads += [ox.Quad(t.subject, t.predicate, t.object, ontology) for parsed in loaded.ontology for t in parsed.triples]
    for t in facts:
        graphs = sources.get(t.subject) or [ox.DefaultGraph()]
        quads += [ox.Quad(t.subject, t.predicate, t.object, g) for g in graphs]
    quads += [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in dataset_description(loaded)]
    ordered = canonical_quads(quads)
    merged = export_triples(loaded, facts_only=facts_only)
    held = canonical_triples(q.triple for q in ordered)
    if held != merged:
        raise ExportError(f"the named graphs hold {len(held)} distinct triples but the graph has {len(merged)}; nothing was written")
    return ordered


def serialize_graph(
    loaded: LoadedGraph,
    fmt: str,
    *,
    facts_only: bool = False,
    frame: str | None = None,
    context_url: str | None = None,
) -> bytes:
    """Serialize an export.

    Args:
        loaded: The loaded graph.
        fmt: One of :data:`EXPORT_FORMATS`.
        facts_only: Leave out the ontology.
        frame: For ``json-ld``, the frame to apply.
        context_url: For ``json-ld``, a context URL to reference instead of embedding.

    Returns:
        The serialization, UTF-8, byte-identical for the same graph.

    Raises:
        ExportError: Unknown format, a frame with another format, or a failed consistency check.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if (frame or context_url) and fmt != "json-ld":
        raise ExportError("--frame and --context-url go with --format json-ld")

    tags = loaded.language_tags(facts_only=facts_only)
    if fmt in ("trig", "nquads"):
        quads = export_quads(loaded, facts_only=facts_only)
        if fmt == "nquads":
            return langtags.serialize(quads, ox.RdfFormat.N_QUADS, tags)
        return langtags.serialize(quads, ox.RdfFormat.TRIG, tags, prefixes=used_prefixes([q.triple for q in quads]))
    triples = export_triples(loaded, facts_only=facts_only)
    if fmt == "turtle":
        return canonical_turtle(triples, tags)
    if fmt == "json-ld":
        return to_json_ld(triples, loaded.layout, frame=frame, context_url=context_url, language_tags=tags)
    return serialize_triples(triples, fmt, tags)


_STORE_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def export_store(store: ox.Store, fmt: str, out, *, facts_only: bool = False) -> int:
    """Stream an export of an on-disk store (``relgraph export --store PATH``).

    For stores too large for the canonical export of :func:`serialize_graph`, which sorts the
    whole graph in memory: the quads stream from the store in its index order, which is the
    same for the same store, through pyoxigraph's serializers, in constant memory; literals as
    the files wrote them (:func:`relgraph.graph.loading.written_forms`). What differs from the
    canonical export: statements are not sorted; ``trig`` and ``nquads`` keep the
    store's named graphs (one per loaded file) instead of one per source; ``json-ld`` is
    expanded JSON-LD (no context, so nothing to fetch; not framed); no data set description is
    added; a triple loaded from two files is written twice in the merged formats. Derived and
    inferred triples are never exported.

    Args:
        store: The store.
        fmt: One of :data:`EXPORT_FORMATS`.
        out: A binary stream to write to.
        facts_only: Leave out the ontology's graphs.

    Returns:
        The number of triples (or quads) written.

    Raises:
        ExportError: Unknown format.
    """

    if fmt not in _STORE_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    graphs = [ox.DefaultGraph()]
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        name = graph.value
        if name in (DERIVED_GRAPH, INFERRED_GRAPH) or (facts_only and name.startswith(ONTOLOGY_GRAPH_BASE)):
            continue
        graphs.append(graph)
    count = 0
    written = written_forms(store)

    checked = refusal if fmt == "rdfxml" else None

    def quads():
        nonlocal count
        for graph in graphs:
            for quad in store.quads_for_pattern(None, None, None, graph):
                forms = written.get(quad.triple) if written and isinstance(quad.object, ox.Literal) else None
                for literal in forms or (quad.object,):
                    count += 1
                    out_quad = ox.Quad(quad.subject, quad.predicate, literal, quad.graph_name) if forms else quad
                    if checked and checked(out_quad.triple):
                        raise ExportError(f"RDF/XML cannot hold this graph: {checked(out_quad.triple)}; use --format turtle, nt or json-ld")
                    yield out_quad

    rdf_format = _STORE_FORMATS[fmt]
    prefixes = dict(PREFIXES) if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML) else None
    tags = store_tags(store)
    target = RestoringWriter(out, rdf_format) if tags else out
    if rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        ox.serialize(iter_disguised(quads(), tags), target, format=rdf_format, prefixes=prefixes)
    else:
        ox.serialize(iter_disguised((q.triple for q in quads()), tags), target, format=rdf_format, prefixes=prefixes)
    if tags:
        target.finish()
    return count
