"""Canonical serializations: the same graph always gives the same bytes.

Used for the committed files in ``graph/`` (so that git diffs show only real changes) and for
every export. The canonical form of a set of triples is:

1. blank nodes renamed by the W3C RDF Dataset Canonicalization algorithm (RDFC-1.0), so their
   labels depend on the graph, not on the order of parsing;
2. statements sorted by subject (IRIs before blank nodes), then with ``rdf:type`` first, then by
   predicate IRI and by object in N-Triples form;
3. written by pyoxigraph's serializer with the prefixes of
   :data:`relgraph.namespaces.PREFIXES` that the triples use; in Turtle, one blank line after
   each subject's statements.

Literals keep their lexical form and language tag exactly. Canonical Turtle keeps no comments: what is worth
saying about a fact is itself a triple (its source, a ``skos:note``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import ExportError
from relgraph.graph.langtags import scan_written_tags
from relgraph.namespaces import RDF_TYPE
from relgraph.publish.serialize import serialize_triples

__all__ = ["canonical_triples", "canonical_quads", "canonical_turtle", "is_canonical"]


def _term_key(term) -> tuple[int, str]:
    if isinstance(term, ox.NamedNode):
        return (0, term.value)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    return (2, str(term))


def _triple_key(t: ox.Triple) -> tuple:
    return (_term_key(t.subject), 0 if t.predicate.value == RDF_TYPE else 1, t.predicate.value, _term_key(t.object))


def canonical_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Canonicalize blank nodes (RDFC-1.0) and sort quads by graph, then as triples.

    Args:
        quads: Quads, with literals as written.

    Returns:
        The distinct quads in canonical order (default graph first, then named graphs by IRI).
    """
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)

    def key(q: ox.Quad) -> tuple:
        graph = (0, "") if isinstance(q.graph_name, ox.DefaultGraph) else (1,) + _term_key(q.graph_name)
        return (graph, _triple_key(q.triple))

    return sorted(dataset, key=key)


def canonical_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """Canonicalize blank nodes (RDFC-1.0) and sort triples.

    Args:
        triples: Triples, with literals as written.

    Returns:
        The distinct triples in canonical order.
    """
    return [q.triple for q in canonical_quads(ox.Quad(t.subject, t.predicate, t.object) for t in triples)]


def canonical_turtle(triples: Iterable[ox.Triple], language_tags: Mapping[str, str] | None = None) -> bytes:
    """Write triples as canonical Turtle.

    Args:
        triples: Triples, with literals as written.
        language_tags: Language tags as written, lower case → written (pyoxigraph holds them in
            lower case; :mod:`relgraph.graph.langtags`).

    Returns:
        UTF-8 Turtle: prefixes, then one block per subject separated by blank lines.

    Raises:
        ExportError: The spaced-out text does not parse back to the same triples (a safety check
            on the blank lines added between statements).
    """
    ordered = canonical_triples(triples)
    plain = serialize_triples(ordered, "turtle", language_tags).decode("utf-8")
    lines = plain.split("\n")  # not splitlines(): a literal may hold U+0085 or U+2028 unescaped
    out: list[str] = []
    for index, line in enumerate(lines):
        out.append(line)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.startswith("@prefix") and not following.startswith("@prefix"):
            out.append("")
        elif not line.startswith("@prefix") and line.endswith(" .") and following:
            out.append("")
    text = "\n".join(out).rstrip("\n") + "\n"
    data = text.encode("utf-8")
    if canonical_triples(q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)) != ordered:
        raise ExportError("canonical Turtle did not parse back to the same triples; please report this bug")
    return data


def is_canonical(path: Path) -> bool:
    """Tell whether a Turtle file is byte-for-byte in canonical form.

    Args:
        path: A Turtle file (it must parse).

    Returns:
        ``True`` if rewriting it with :func:`canonical_turtle` would not change it.
    """

    data = path.read_bytes()
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())]
    tags = scan_written_tags(data, {t.object.language for t in triples if isinstance(t.object, ox.Literal) and t.object.language})
    return canonical_turtle(triples, tags) == data
