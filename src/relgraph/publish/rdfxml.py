"""What RDF/XML can hold, checked before pyoxigraph writes it (``--format rdfxml``).

RDF/XML (W3C RDF 1.1 XML Syntax) writes each predicate as an XML element name, so a predicate
IRI must end in an XML name (an NCName, §2.2 of Namespaces in XML 1.0): ``…/p/1`` or ``…#`` has
none, and pyoxigraph would then write an element that is not XML. XML 1.0 cannot hold most
control characters either, not even escaped (§2.2). relgraph refuses such graphs with a clear
error instead, and checks that what pyoxigraph wrote reads back as the same graph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import pyoxigraph as ox

from relgraph.errors import ExportError

__all__ = ["refusal", "check_writable", "check_round_trip"]

_START = "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_NAME_END = f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$"
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]"


@functools.cache
def _name_end() -> re.Pattern[str]:
    """The pattern of an IRI that ends in an XML name, compiled on first use: 7 ms to compile (the
    whole of Unicode's name characters), which every writer of RDF would otherwise pay at import."""
    return re.compile(_NAME_END)


@functools.cache
def _not_xml() -> re.Pattern[str]:
    """The pattern of a character XML 1.0 cannot hold, compiled on first use (0.8 ms: the
    surrogate range), which every command that imports the serializers would otherwise pay."""
    return re.compile(_NOT_XML)


def refusal(triple: ox.Triple) -> str | None:
    """Why RDF/XML cannot hold *triple*, or ``None`` when it can.

    Args:
        triple: A triple (RDF 1.2 triple terms are checked inside).

    Returns:
        One phrase naming the predicate or the literal and the rule it breaks.
    """
    if not _name_end().search(triple.predicate.value):
        return f"the predicate <{triple.predicate.value}> does not end in an XML name, so RDF/XML cannot write it as an element"
    for term in (triple.subject, triple.object):
        if isinstance(term, ox.Triple):
            inner = refusal(term)
            if inner:
                return inner
        elif isinstance(term, ox.Literal) and (bad := _not_xml().search(term.value)):
            character = bad.group(0)
            return f"a literal of <{triple.subject.value if not isinstance(triple.subject, ox.Triple) else 'a triple term'}> holds the character U+{ord(character):04X}, which XML 1.0 cannot hold"
    return None


def check_writable(triples: Iterable[ox.Triple]) -> None:
    """Raise on the first triple RDF/XML cannot hold.

    Args:
        triples: The triples to write.

    Raises:
        ExportError: One line: what cannot be written, and the formats that can.
    """
    for triple in triples:
        problem = refusal(triple)
        if problem:
            raise ExportError(f"RDF/XML cannot hold this graph: {problem}; use --format turtle, nt or json-ld")


def check_round_trip(data: bytes, triples: list[ox.Triple]) -> None:
    """Check that RDF/XML written by pyoxigraph reads back as the same graph.

    Args:
        data: The RDF/XML document.
        triples: The triples it was written from.

    Raises:
        ExportError: It does not parse, or parses to another graph (nothing is written then).
    """
    try:
        back = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.RDF_XML)]
    except (SyntaxError, ValueError) as exc:
        raise ExportError(f"the RDF/XML written for this graph does not read back ({' '.join(str(exc).split())}); use --format turtle, nt or json-ld, and please report this") from None
    if _canonical(back) != _canonical(triples):
        raise ExportError("the RDF/XML written for this graph reads back as another graph; use --format turtle, nt or json-ld, and please report this")


def _canonical(triples: Iterable[ox.Triple]) -> set[ox.Quad]:
    """The triples with blank nodes named by RDFC-1.0 (pyoxigraph), as a set: two graphs are
    isomorphic when these are equal. (The canonical order of :mod:`relgraph.publish.canonical`
    is not needed to compare, and that module writes through this one.)"""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)
