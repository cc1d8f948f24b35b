"""Language tags as the files wrote them (``"colour"@en-GB``), in every RDF relgraph writes.

pyoxigraph, which parses, stores and serializes everything, lower-cases language tags (RDF 1.1
Concepts §3.3 allows it: tags are case-insensitive), so a file's ``@en-GB`` would come out as
``@en-gb``. relgraph keeps each tag as written instead:

- :func:`scan_written_tags` finds, in the text of a file, the tags written with capital letters
  (a lexical scan: pyoxigraph's parse no longer knows them), as lower case → written;
- a loaded graph records them in its derived graph (:func:`tag_quads`, read back by
  :func:`store_tags`), so stores and their caches keep them;
- :func:`serialize` writes triples or quads with pyoxigraph's serializers, each literal whose
  tag was written otherwise given as a placeholder datatype that the serializer writes like
  any other, and then turned back into that tag (:func:`restore`).

When one tag is written in several casings, the first met (in the order files are loaded) is
used for all: RDF 1.2 Concepts asks for tags "case normalized consistently".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

import pyoxigraph as ox

from relgraph.namespaces import RG

__all__ = ["PLACEHOLDER", "TAGS_NODE", "scan_written_tags", "TagScanner", "tag_quads", "store_tags", "disguise", "iter_disguised", "restore", "serialize", "RestoringWriter"]

PLACEHOLDER = "urn:relgraph:language-tag:"
"""The datatype IRI prefix that stands for a language tag during serialization."""

TAGS_NODE = "urn:relgraph:language-tags"
"""The node whose ``rg:writtenForm`` values in the derived graph are the tags written with capitals."""

# a tag after the closing quote of a string, with at least one capital letter
_WRITTEN_TAG = re.compile(rb"[\"']@(?=[A-Za-z])([a-z0-9-]*[A-Z][A-Za-z0-9-]*)")
_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_LONGEST = 128  # bytes kept between chunks, so a tag cut by a chunk boundary is still found


def scan_written_tags(data: bytes, languages: Iterable[str] | None = None) -> dict[str, str]:
    """The language tags that a Turtle, TriG, N-Triples or N-Quads text writes with capitals.

    Args:
        data: The text, UTF-8.
        languages: The (lower-case) tags of the literals parsed from *data*; a candidate the
            scan finds inside a string rather than after one is dropped unless a literal has it.

    Returns:
        Lower-case tag → the tag as first written (only tags that differ from lower case).
    """
    found: dict[str, str] = {}
    for match in _WRITTEN_TAG.finditer(data):
        tag = match.group(1).decode("ascii")
        if _TAG.fullmatch(tag):
            found.setdefault(tag.lower(), tag)
    if languages is not None and found:
        known = set(languages)
        found = {lower: tag for lower, tag in found.items() if lower in known}
    return found


class TagScanner:
    """:func:`scan_written_tags` over a text that arrives in chunks (a file being bulk-loaded)."""

    def __init__(self) -> None:
        self.tags: dict[str, str] = {}
        self._tail = b""

    def feed(self, chunk: bytes) -> None:
        """Scan the next chunk of the text.

        Args:
            chunk: The bytes that follow those fed before.
        """
        data = self._tail + chunk
        for lower, tag in scan_written_tags(data).items():
            self.tags.setdefault(lower, tag)
        self._tail = data[-_LONGEST:]


def tag_quads(tags: Mapping[str, str], graph: str) -> list[ox.Quad]:
    """The quads that record written tags in a store's derived graph.

    Args:
        tags: Lower case → written, as :func:`scan_written_tags` gives.
        graph: The derived graph's IRI.

    Returns:
        One quad ``<urn:relgraph:language-tags> rg:writtenForm "en-GB"`` per tag, in the graph.
    """

    node, predicate, name = ox.NamedNode(TAGS_NODE), ox.NamedNode(RG.writtenForm), ox.NamedNode(graph)
    return [ox.Quad(node, predicate, ox.Literal(tag), name) for tag in sorted(set(tags.values()))]


def store_tags(store) -> dict[str, str]:
    """The written tags recorded in a store (:func:`tag_quads`).

    Args:
        store: A pyoxigraph store, or anything else (a remote endpoint: no tags).

    Returns:
        Lower case → written; empty when every tag was written in lower case.
    """
    if not isinstance(store, ox.Store):
        return {}

    found: dict[str, str] = {}
    for quad in store.quads_for_pattern(ox.NamedNode(TAGS_NODE), ox.NamedNode(RG.writtenForm), None, None):
        if isinstance(quad.object, ox.Literal) and _TAG.fullmatch(quad.object.value):
            found.setdefault(quad.object.value.lower(), quad.object.value)
    return found


def disguise(item, tags: Mapping[str, str]):
    """A triple or quad with its literal's tag, when written otherwise, as a placeholder datatype.

    Args:
        item: A pyoxigraph triple or quad.
        tags: Lower case → written.

    Returns:
        The item, or a copy whose object is ``"text"^^<urn:relgraph:language-tag:en-GB>``.
    """
    term = item.object
    if not isinstance(term, ox.Literal) or not term.language or term.language not in tags:
        return item
    literal = ox.Literal(term.value, datatype=ox.NamedNode(PLACEHOLDER + tags[term.language]))
    if isinstance(item, ox.Quad):
        return ox.Quad(item.subject, item.predicate, literal, item.graph_name)
    return ox.Triple(item.subject, item.predicate, literal)


_ESCAPED = rb"(?<!\\)((?:\\\\)*)"  # an even number of backslashes: the quote after them is not escaped
_RESTORE = {
    "text": (_ESCAPED + rb'"\^\^<' + re.escape(PLACEHOLDER.encode()) + rb"([A-Za-z0-9-]+)>", rb'\1"@\2'),
    "json": (_ESCAPED + rb'"@type"\s*:\s*"' + re.escape(PLACEHOLDER.encode()) + rb'([A-Za-z0-9-]+)"', rb'\1"@language":"\2"'),
    "xml": (rb'rdf:datatype="' + re.escape(PLACEHOLDER.encode()) + rb'([A-Za-z0-9-]+)"', rb'xml:lang="\1"'),
}
"""Per kind of format: the pattern of a placeholder datatype as the serializer writes it, and
what :func:`restore` writes instead."""


@functools.cache
def _restoring(kind: str) -> tuple[re.Pattern[bytes], bytes]:
    """The pattern of *kind* in :data:`_RESTORE`, compiled on first use (only writers need it),
    and its replacement."""
    pattern, replacement = _RESTORE[kind]
    return re.compile(pattern), replacement


def _kind(fmt: ox.RdfFormat) -> str:
    return "json" if fmt == ox.RdfFormat.JSON_LD else "xml" if fmt == ox.RdfFormat.RDF_XML else "text"


def restore(data: bytes, fmt: ox.RdfFormat) -> bytes:
    """Turn the placeholders of :func:`disguise` in serialized RDF back into language tags.

    Args:
        data: What pyoxigraph's serializer wrote.
        fmt: Its format: Turtle, TriG, N-Triples, N-Quads (``"…"@en-GB``), JSON-LD
            (``"@language"``) or RDF/XML (``xml:lang``).

    Returns:
        The same document with each placeholder datatype replaced by the tag it stands for.
    """
    pattern, replacement = _restoring(_kind(fmt))
    return pattern.sub(replacement, data)


def serialize(items: Iterable, fmt: ox.RdfFormat, tags: Mapping[str, str], **options) -> bytes:
    """``pyoxigraph.serialize`` that writes language tags as written.

    Args:
        items: Triples or quads.
        fmt: The RDF format.
        tags: Lower case → written (empty: exactly ``pyoxigraph.serialize``).
        **options: Passed on (``prefixes``, ``base_iri``).

    Returns:
        The serialization.
    """
    if not tags:
        return ox.serialize(items, format=fmt, **options) or b""
    return restore(ox.serialize((disguise(item, tags) for item in items), format=fmt, **options) or b"", fmt)


class RestoringWriter:
    """A binary stream for ``pyoxigraph.serialize(…, output)`` that restores tags on the way
    out (:func:`restore`), for exports too large to hold in memory."""

    def __init__(self, out: BinaryIO, fmt: ox.RdfFormat) -> None:
        self.out = out
        self.fmt = fmt
        self._pending = b""

    def write(self, data: bytes) -> int:
        """Write serialized bytes; the last few wait, in case a placeholder goes on in the next write."""
        text = restore(self._pending + bytes(data), self.fmt)
        cut = len(text) - _LONGEST
        while cut > 0 and text[cut - 1 : cut] == b"\\":  # never split a run of backslashes
            cut -= 1
        if cut <= 0:
            self._pending = text
            return len(data)
        self.out.write(text[:cut])
        self._pending = text[cut:]
        return len(data)

    def flush(self) -> None:
        """Flush the stream (what waits stays: it may be the start of a placeholder)."""
        self.out.flush()

    def finish(self) -> None:
        """Write what waits, once the serializer is done."""
        if self._pending:
            self.out.write(restore(self._pending, self.fmt))
            self._pending = b""
        self.out.flush()


def iter_disguised(items: Iterable, tags: Mapping[str, str]) -> Iterator:
    """Each item through :func:`disguise` (for streamed serializations)."""
    for item in items:
        yield disguise(item, tags)
