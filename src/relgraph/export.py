"""Serializations of the graph for linked-data consumers: ``relgraph export``.

What an export holds: the ontology (unless ``facts_only``), the facts as written in the files,
and a generated description of the data set (VoID and DCAT: version and release date from the
ontology header, triple and entity counts of the facts, the shapes and ontology it conforms to,
its sources). Derived triples (date bounds, best ranks) are never exported.

Every format is deterministic: the same graph gives the same bytes (:mod:`relgraph.canonical`),
and literals keep their lexical form exactly (pyoxigraph parses and writes them; the query
store and rdflib's parser would normalise some).

- ``turtle`` (``text/turtle``) and ``nt`` (``application/n-triples``): one merged graph.
- ``rdfxml`` (``application/rdf+xml``): the merged graph in RDF/XML, for tools that read only
  that (Protégé's older versions, XSLT pipelines); refused when RDF/XML cannot hold a predicate
  or a literal (:mod:`relgraph.rdfxml`).
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

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from relgraph.canonical import canonical_quads, canonical_triples, canonical_turtle
from relgraph.errors import ExportError
from relgraph.loading import LoadedGraph
from relgraph.namespaces import RDF_TYPE, XSD
from relgraph.paths import Layout
from relgraph.results import serialize_triples, used_prefixes

__all__ = [
    "EXPORT_FORMATS",
    "ONTOLOGY_IRI",
    "SHAPES_IRI",
    "FRAME_OF",
    "frame_for",
    "frame_names",
    "dataset_description",
    "export_triples",
    "export_quads",
    "to_json_ld",
    "check_local_contexts",
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


FRAME_OF = {
    "state": ("State",),
    "organisation": ("IntergovernmentalBody",),
    "treaty": ("Treaty",),
    "incident": ("Incident",),
}
"""The committed JSON-LD frame (``ontology/frames/NAME.jsonld``) for entities of these ``rg:`` classes."""


def frame_for(store: ox.Store, iri: str) -> str | None:
    """The committed frame that fits an entity's class (subclasses included), if any.

    Args:
        store: The query store.
        iri: The entity's IRI.

    Returns:
        A frame name of :data:`FRAME_OF`, or ``None``.
    """
    from relgraph.namespaces import RG

    for frame, classes in FRAME_OF.items():
        values = " ".join(f"<{RG[c]}>" for c in classes)
        query = f"ASK {{ VALUES ?top {{ {values} }} <{iri}> a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?top }}"
        if bool(store.query(query, use_default_graph_as_union=True)):
            return frame
    return None


def frame_names(layout: Layout) -> list[str]:
    """The names of the committed JSON-LD frames (``ontology/frames/*.jsonld``)."""
    return sorted(p.stem for p in (layout.ontology_dir / "frames").glob("*.jsonld"))


def _read_json(path: Path, layout: Layout) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ExportError(f"{layout.display(path)}: cannot read this JSON-LD file: {exc}") from exc
    if not isinstance(document, dict):
        raise ExportError(f"{layout.display(path)}: a JSON-LD context or frame file must hold one JSON object, not {_json_kind(document)}; correct it")
    return document


_NEVER_LOADED = "relgraph never loads JSON-LD documents from the file system or the network"


def _json_kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


def check_local_contexts(document: object, shown: str) -> None:
    """Refuse a JSON-LD document whose contexts would have to be loaded from elsewhere.

    Walks every ``@context`` in *document* (top level, embedded in node objects, scoped in term
    definitions) and every ``@import`` in them (JSON-LD 1.1 §4.1 and §9.15): each must be an
    object, ``null``, or an array of these, never a string, which would be an IRI of a remote
    or relative context document that a processor would load.

    Args:
        document: Parsed JSON (a context file, a frame).
        shown: How to name the file in messages.

    Raises:
        ExportError: A context is a reference to another document, or not a context at all;
            the message names the file, the reference and what to write instead.
    """

    def refuse(reference: str, key: str) -> None:
        scheme = reference.split(":", 1)[0].lower() if ":" in reference.split("/", 1)[0] else ""
        kind = "a relative IRI" if not scheme else "a file on this machine" if scheme == "file" else "a document on the network" if scheme in ("http", "https") else f"a {scheme}: IRI"
        raise ExportError(
            f'{shown}: {key} refers to the context document "{reference}" ({kind}), which would have to be loaded; '
            f'{_NEVER_LOADED}: copy its term definitions into an object under "@context" in {shown}'
        )

    def context(value: object) -> None:
        if value is None:
            return
        if isinstance(value, str):
            refuse(value, '"@context"')
        if isinstance(value, list):
            for item in value:
                context(item)
            return
        if not isinstance(value, dict):
            raise ExportError(f'{shown}: "@context" must be an object, null or an array of objects, not {_json_kind(value)}; correct it')
        base = value.get("@base")
        if isinstance(base, str) and base and ":" not in base.split("/", 1)[0]:
            raise ExportError(f'{shown}: "@base" is the relative IRI "{base}", which has nothing to be resolved against (the document is not loaded from anywhere); give an absolute IRI or remove it')
        if "@import" in value:
            if isinstance(value["@import"], str):
                refuse(value["@import"], '"@import"')
            raise ExportError(f'{shown}: "@import" must be the IRI of a context, and {_NEVER_LOADED}; remove it and write the terms under "@context"')
        walk(value)

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    context(value)
                else:
                    walk(value)

    walk(document)


def _jsonld_reason(exc: BaseException) -> str:
    """The innermost reason of a pyld error chain, on one line (pyld wraps the real reason in
    "Could not process context before compaction." and the like)."""
    from pyld import jsonld

    reasons = []
    seen: BaseException | None = exc
    while seen is not None and len(reasons) < 10:
        if isinstance(seen, jsonld.JsonLdError):
            message = str(seen.args[0]) if seen.args else seen.type
            details = seen.details if isinstance(seen.details, dict) else {}
            extra = "; ".join(f"{k}: {v}" for k, v in details.items() if k in ("context", "key", "value", "term", "url") and isinstance(v, (str, int, float)))
            reasons.append(message.rstrip(".") + (f" ({extra})" if extra else ""))
        else:
            reasons.append(f"{seen}")
        seen = seen.__cause__ or seen.__context__
    return reasons[-1] if reasons else str(exc)


def _refuse_remote(url: str, options: dict | None = None) -> dict:
    """pyld's document loader for relgraph: it loads nothing (a last guard behind
    :func:`check_local_contexts`)."""
    from pyld import jsonld

    raise jsonld.JsonLdError(f"{_NEVER_LOADED} ({url})", "jsonld.LoadDocumentError", code="loading document failed")


def _pyld_term(term, tags: Mapping[str, str]) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "IRI", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "blank node", "value": "_:" + term.value}
    literal = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        literal["language"] = tags.get(term.language, term.language)
    return literal


def _pyld_triple(t: ox.Triple, tags: Mapping[str, str]) -> dict:
    return {"subject": _pyld_term(t.subject, tags), "predicate": _pyld_term(t.predicate, tags), "object": _pyld_term(t.object, tags)}


def to_json_ld(
    triples: Sequence[ox.Triple], layout: Layout, *, frame: str | None = None, context_url: str | None = None, language_tags: Mapping[str, str] | None = None
) -> bytes:
    """Write triples as compacted (or framed) JSON-LD with the committed context.

    Args:
        triples: The triples, with literals as written.
        layout: The root whose ``ontology/context.jsonld`` and ``ontology/frames/`` are used.
        frame: The name of a frame (``state``, ``organisation``, ``treaty``, ``incident``), or
            ``None`` for a compacted graph.
        context_url: Put this URL in ``@context`` instead of embedding the context (only when a
            consumer can reach it).
        language_tags: Language tags as the files wrote them, lower case → written
            (:mod:`relgraph.langtags`).

    Returns:
        UTF-8 JSON, keys sorted, nodes of ``@graph`` ordered by ``@id``.

    Raises:
        ExportError: The frame is unknown, a context or frame file is not JSON, or pyld fails.
    """
    from pyld import jsonld

    context_path = layout.ontology_dir / "context.jsonld"
    context_file = _read_json(context_path, layout)
    if "@context" not in context_file:
        raise ExportError(f'{layout.display(context_path)}: holds no "@context"; write {{"@context": {{"prefix": "namespace IRI", …}}}}')
    check_local_contexts(context_file, layout.display(context_path))
    context = context_file["@context"]
    # pyld's RDF dataset form, built from parsed terms (pyld's own N-Quads parser does not
    # unescape \uXXXX, so text is never handed to it)
    tags = language_tags or {}
    expanded = jsonld.from_rdf({"@default": [_pyld_triple(t, tags) for t in canonical_triples(triples)]}, {"documentLoader": _refuse_remote})
    options = {"documentLoader": _refuse_remote, "base": None}
    shown = layout.display(context_path)
    if frame is not None:
        if frame not in frame_names(layout):
            raise ExportError(f"no frame is called {frame!r}; choose one of: {', '.join(frame_names(layout))}")
        frame_path = layout.ontology_dir / "frames" / f"{frame}.jsonld"
        body = _read_json(frame_path, layout)
        check_local_contexts(body, layout.display(frame_path))
        body["@context"] = [context, body.get("@context", {})]
        shown = f"{layout.display(context_path)} with {layout.display(frame_path)}"
    try:
        if frame is None:
            document = jsonld.compact(expanded, {"@context": context}, options)
        else:
            document = jsonld.frame(expanded, body, {**options, "omitGraph": False})
    except (jsonld.JsonLdError, ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        # pyld reports a malformed context or frame in these (a relative IRI is a ValueError)
        raise ExportError(f"{shown}: not a usable JSON-LD context or frame: {_jsonld_reason(exc)}; correct it (JSON-LD 1.1), keeping every context inline: {_NEVER_LOADED}") from exc
    if tags:  # pyld lower-cases every "@language" when it expands (JSON-LD 1.0's rule)
        document = _written_languages(document, tags)
    if "@graph" in document:
        document["@graph"] = sorted(document["@graph"], key=lambda node: str(node.get("@id", "")))
    if context_url:
        document["@context"] = context_url if frame is None else [context_url, document["@context"][1]]
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _written_languages(node, tags: Mapping[str, str]):
    """A JSON-LD document with each ``"@language"`` value as the files wrote the tag."""
    if isinstance(node, list):
        return [_written_languages(item, tags) for item in node]
    if isinstance(node, dict):
        return {key: (tags.get(value.lower(), value) if key == "@language" and isinstance(value, str) else _written_languages(value, tags)) for key, value in node.items()}
    return node


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
    from relgraph import langtags

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
    the files wrote them (:func:`relgraph.loading.written_forms`). What differs from the
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
    from relgraph.loading import DERIVED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH_BASE, written_forms
    from relgraph.namespaces import PREFIXES

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
    from relgraph.rdfxml import refusal

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

    from relgraph.langtags import RestoringWriter, iter_disguised, store_tags

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
