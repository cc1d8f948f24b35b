"""JSON-LD: graphs compacted with the committed context, or framed per type (pyld).

Used by ``relgraph export --format json-ld``, ``relgraph describe``, CONSTRUCT answers and the
server's documents. The context is ``ontology/context.jsonld`` and the frames are
``ontology/frames/<name>.jsonld`` of the root (JSON-LD 1.1 Framing); both must hold their
contexts inline, since no JSON-LD document is ever loaded from the file system or the network
(:func:`check_local_contexts`; pyld gets a document loader that loads nothing). Output is
deterministic: keys sorted, the nodes of ``@graph`` ordered by ``@id``, language tags as the
files wrote them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from pyld import jsonld

from relgraph.errors import ExportError
from relgraph.namespaces import RDFS_SUBCLASSOF, RG
from relgraph.paths import Layout
from relgraph.publish.canonical import canonical_triples

__all__ = ["FRAME_OF", "frame_for", "frame_names", "check_local_contexts", "to_json_ld"]


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

    for frame, classes in FRAME_OF.items():
        values = " ".join(f"<{RG[c]}>" for c in classes)
        query = f"ASK {{ VALUES ?top {{ {values} }} <{iri}> a/<{RDFS_SUBCLASSOF}>* ?top }}"
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
            (:mod:`relgraph.graph.langtags`).

    Returns:
        UTF-8 JSON, keys sorted, nodes of ``@graph`` ordered by ``@id``.

    Raises:
        ExportError: The frame is unknown, a context or frame file is not JSON, or pyld fails.
    """

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
