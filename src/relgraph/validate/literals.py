"""Checking literals as written: lexical forms against their XSD datatype, and Unicode normal form C.

Two checks that no SHACL shape has to name, run on every literal of the files a root's
validation covers (ontology and facts), wherever it appears:

- **Ill-typed literals.** A literal whose datatype is one of the XSD 1.1 datatypes that RDF 1.1
  Concepts §5.1 lists (``xsd:decimal``, ``xsd:date``, ``xsd:nonNegativeInteger``…) must have a
  lexical form in that datatype's lexical space (XSD 1.1 Part 2: the grammar and the value
  constraints, so ``"2022-02-30"^^xsd:date`` is ill-typed). The check is xmlschema's built-in
  XSD 1.1 type validators, applied to the lexical form exactly as written: RDF does no
  whitespace processing (RDF 1.1 Concepts §5.1), so ``" 12 "^^xsd:decimal`` is ill-typed even
  though an XML validator would collapse the spaces first. rdflib's ``Literal.ill_typed`` is not
  used: rdflib 7.6 accepts ``"1e3"^^xsd:decimal`` and ``" 12 "^^xsd:decimal``. An IRI in the XSD
  namespace that names no XSD datatype (``xsd:dateTim``) is also reported. An ill-typed literal is
  a violation with the constraint component :data:`LEXICAL_FORM_COMPONENT`.
- **Normal form C.** RDF 1.1 Concepts §3.3 recommends that lexical forms be in Unicode
  Normalization Form C; a literal that is not (``И`` followed by a combining breve instead of
  ``Й``) looks the same but matches no lookup or comparison by its NFC spelling. Such a literal
  is a warning with the constraint component :data:`NFC_COMPONENT`.

Each result names the file and line of the literal, its subject (focus node), its predicate
(result path) and the literal as written (value, in N-Triples syntax).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import xmlschema
from xmlschema.validators.validation import ValidationContext

from relgraph.graph.parsing import Location, ParsedFile, first_line
from relgraph.namespaces import RGSH, XSD
from relgraph.validate.report import Raw, Severity

__all__ = [
    "LEXICAL_FORM_COMPONENT",
    "NFC_COMPONENT",
    "CHECKED_DATATYPES",
    "LiteralProblem",
    "lexical_problem",
    "literal_problems",
    "literal_line",
]

LEXICAL_FORM_COMPONENT = RGSH + "LexicalFormConstraintComponent"
"""The constraint component of an ill-typed literal's result (relgraph's own, not SHACL's)."""

NFC_COMPONENT = RGSH + "NormalFormCConstraintComponent"
"""The constraint component of a literal not in Unicode Normalization Form C."""

CHECKED_DATATYPES = frozenset(
    """
    string boolean decimal integer double float date time dateTime dateTimeStamp gYear gMonth gDay
    gYearMonth gMonthDay duration yearMonthDuration dayTimeDuration byte short int long
    unsignedByte unsignedShort unsignedInt unsignedLong positiveInteger nonNegativeInteger
    negativeInteger nonPositiveInteger hexBinary base64Binary anyURI language normalizedString
    token NMTOKEN Name NCName
    """.split()
)
"""The XSD datatypes whose lexical space is checked: those RDF 1.1 Concepts §5.1 lists as usable
in RDF (the others, such as ``xsd:QName`` and ``xsd:ENTITY``, need an XML context)."""

_NOT_CHECKED = frozenset("QName NOTATION ENTITY ENTITIES ID IDREF IDREFS NMTOKENS anySimpleType anyAtomicType".split())


@dataclass(frozen=True)
class LiteralProblem:
    """A literal that fails one of the checks.

    Attributes:
        triple: The triple that holds it, literal as written.
        warning: ``False`` for an ill-typed literal (a violation), ``True`` for one not in NFC.
        message: What is wrong and what to write instead, one line.
    """

    triple: ox.Triple
    warning: bool
    message: str

    @property
    def component(self) -> str:
        """The constraint component IRI of the result."""
        return NFC_COMPONENT if self.warning else LEXICAL_FORM_COMPONENT


@functools.cache
def _types() -> dict:

    return dict(xmlschema.XMLSchema11.builtin_types())


@functools.cache
def _context():
    """One validation context for every check: ``raw_decode`` with it is xmlschema's type check
    without the per-call set-up of ``validate`` (8 µs instead of 70 µs per literal)."""

    decimal = _types()["decimal"]
    return ValidationContext(source=decimal.maps.settings.get_resource_from_data("0", None))


_WHITESPACE = re.compile(r"[\t\n\r]")


@functools.lru_cache(maxsize=200_000)
def lexical_problem(lexical: str, datatype: str) -> str | None:
    """Whether a lexical form is in the lexical space of an XSD datatype (XSD 1.1 Part 2).

    Args:
        lexical: The lexical form, exactly as written.
        datatype: The datatype IRI.

    Returns:
        ``None`` when the literal is well-typed, or its datatype is not a checked XSD datatype
        (another vocabulary's, ``rdf:langString``, ``xsd:QName``); else the reason, in words.
    """
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD):]
    if name == "string" or name in _NOT_CHECKED:
        return None  # every string of characters is an xsd:string
    if name not in CHECKED_DATATYPES:
        if name in _types():
            return None
        return f"xsd:{name} is not an XSD datatype"
    xsd_type = _types()[name]
    white_space = getattr(xsd_type, "white_space", None)
    if white_space in ("replace", "collapse") and _WHITESPACE.search(lexical):
        return "it holds a tab or line break, which the lexical space does not allow (RDF does no white space processing)"
    if white_space == "collapse" and (lexical != lexical.strip(" ") or "  " in lexical):
        return "it has leading, trailing or doubled spaces, which the lexical space does not allow (RDF does no white space processing)"
    try:
        xsd_type.raw_decode(lexical, "strict", _context())
    except Exception as exc:  # noqa: BLE001 - xmlschema raises its own validation and decoding errors
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        return " ".join(str(reason).split())
    return None


def literal_problems(triples: Iterable[ox.Triple]) -> Iterator[LiteralProblem]:
    """Check the literals of some triples.

    Args:
        triples: Triples with literals exactly as written (from a parsed file, or restored with
            :func:`relgraph.graph.loading.written_forms`).

    Yields:
        One problem per ill-typed literal and per literal not in NFC (both, for a literal that
        is both), in the order of the triples.
    """
    for triple in triples:
        literal = triple.object
        if not isinstance(literal, ox.Literal):
            continue
        datatype = literal.datatype.value
        reason = lexical_problem(literal.value, datatype)
        if reason is not None:
            name = "xsd:" + datatype[len(XSD):]
            why = "" if reason.startswith("invalid value") else f" ({reason})"
            yield LiteralProblem(
                triple,
                False,
                f"Ill-typed literal: {literal.value!r} is not in the lexical space of {name} (XSD 1.1 Part 2){why}; "
                f"write a valid {name} or give the literal the datatype it has",
            )
        if not unicodedata.is_normalized("NFC", literal.value):
            yield LiteralProblem(
                triple,
                True,
                f"Text not in Unicode Normalization Form C (RDF 1.1 Concepts recommends NFC): it is written with "
                f"combining characters where composed ones exist ({unicodedata.normalize('NFC', literal.value)!r} in NFC); write it in NFC",
            )


@functools.lru_cache(maxsize=64)
def _lines(path: Path, size: int, mtime: float) -> tuple[str, ...]:
    try:
        return tuple(path.read_text(encoding="utf-8", errors="replace").splitlines())
    except OSError:
        return ()


def literal_line(path: Path, literal: ox.Literal, after: int | None = None) -> int | None:
    """The line of a file where a literal is written.

    The line is the first at or after *after* (the line where its subject is defined) that holds
    the literal as Turtle, TriG, N-Triples or N-Quads write it: its lexical form in quotes with
    its language tag, or with its datatype as an IRI or a prefixed name; else the first such line
    of the file; else the first line with the lexical form in quotes.

    Args:
        path: The file (not compressed).
        literal: The literal as written.
        after: A 1-based line to search from first, or ``None``.

    Returns:
        The 1-based line, or ``None`` when the file cannot be read or the literal is not found
        (a lexical form written with escapes).
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    if path.name.endswith(".gz") or stat.st_size > 256 << 20:
        return None
    lines = _lines(path, stat.st_size, stat.st_mtime)
    value = literal.value.split("\n", 1)[0]
    quoted = "[\"']" + re.escape(value) + ("[\"']" if "\n" not in literal.value else "")
    if literal.language:
        suffix = "@" + re.escape(literal.language) + "(?![\\w-])"
    elif literal.datatype.value == XSD + "string":
        suffix = "(?!\\s*(?:\\^\\^|@))"
    else:
        iri = literal.datatype.value
        local = re.split(r"[#/]", iri)[-1]
        suffix = "\\s*\\^\\^\\s*(?:<" + re.escape(iri) + ">|[\\w.-]*:" + re.escape(local) + "(?![\\w.-]))"
    exact = re.compile(quoted + suffix, re.IGNORECASE if literal.language else 0)
    loose = re.compile(quoted)
    start = (after or 1) - 1
    order = (*range(start, len(lines)), *range(0, start))
    for pattern in (exact, loose):
        for number in order:
            if pattern.search(lines[number]):
                return number + 1
    return None


def literal_results(triples: Iterable[tuple[ox.Triple, Path | None, dict[str, str]]]) -> list[Raw]:
    """Check literals as written (:mod:`relgraph.validate.literals`) and turn each problem into a result.

    Args:
        triples: Each triple with the file it is written in (``None`` if unknown) and that
            file's prefixes (to find the line of its subject first).

    Returns:
        A violation per ill-typed literal and a warning per literal not in Unicode NFC, each
        with the subject as focus node, the predicate as path, the literal as written as value,
        and the file and line of the literal as location.
    """

    found: list[Raw] = []
    for triple, path, prefixes in triples:
        for problem in literal_problems((triple,)):
            location = None
            if path is not None:
                after = None
                if isinstance(triple.subject, ox.NamedNode):
                    after = first_line(ParsedFile(path=path, graph=triple.predicate, triples=(), prefixes=prefixes), triple.subject.value)
                location = Location(path, literal_line(path, triple.object, after))
            subject = triple.subject
            found.append(
                Raw(
                    subject.value if isinstance(subject, ox.NamedNode) else "_:" + subject.value,
                    triple.predicate.value,
                    str(triple.object),
                    problem.component,
                    Severity.WARNING if problem.warning else Severity.VIOLATION,
                    problem.message,
                    None,
                    location=location,
                )
            )
    return found


def file_literal_results(files: Sequence[ParsedFile]) -> list[Raw]:
    """:func:`literal_results` for the literals of parsed files (as written)."""

    def triples():
        for parsed in files:
            for t in parsed.triples:
                if isinstance(t.object, ox.Literal):
                    yield t, parsed.path, parsed.prefixes

    return literal_results(triples())
