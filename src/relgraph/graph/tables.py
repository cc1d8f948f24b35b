"""Claim tables: bulk facts kept as reviewable CSV under ``graph/tables/``, turned into RDF on load.

A claim table is a CSV file (RFC 4180, UTF-8) in the manner of ROBOT templates
(https://robot.obolibrary.org/template): its first row names the columns, its second row is the
*template* that says what each column means, and every further row is one claim (or one entity).
Template strings:

``ID``
    The row's subject: a prefixed name (``rgid:membership-…``).
``TYPE``
    Its classes (``rdf:type``): prefixed names, several separated by ``|``.
``I p``
    IRI values of the predicate *p* (a prefixed name): prefixed names, several separated by ``|``.
    Every value in relgraph's own namespaces (``rgid:`` entities and sources, ``rgv:`` concepts)
    must name something the graph types: a value that names nothing is the "unknown state" kind
    of error.
``D p``
    A date of *p* at the precision the source gives: ``YYYY`` (``xsd:gYear``), ``YYYY-MM``
    (``xsd:gYearMonth``) or ``YYYY-MM-DD`` (``xsd:date``); an impossible date is an error.
``S p``, ``S p@en``, ``S p^^xsd:T``
    A literal of *p*: a plain string, a string in a language, or a typed literal (``xsd:boolean``,
    ``xsd:integer``, ``xsd:nonNegativeInteger``, ``xsd:decimal``), checked. With ``SPLIT=|`` at
    the end (as in ROBOT), a cell holds several values separated by ``|``.
(empty)
    A column for people only (a name, a comment); not turned into RDF.

An empty cell states nothing. Every table has a ``I prov:wasDerivedFrom`` column and every row
fills it: a fact without a source is an error. Errors name the table, the line and the column
(:class:`relgraph.errors.InputError`, exit code 2).

The prefixes are fixed (:data:`PREFIXES`); a table cannot declare its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import InputError
from relgraph.graph.parsing import ParsedFile
from relgraph.namespaces import RDF_TYPE, RGID, RGV, XSD

__all__ = ["PREFIXES", "TableCell", "ParsedTable", "check_references", "parse_table", "date_literal"]

PREFIXES: dict[str, str] = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rg": "https://w3id.org/relgraph/ontology#",
    "rgv": RGV,
    "rgid": RGID,
    "prov": "http://www.w3.org/ns/prov#",
    "wikibase": "http://wikiba.se/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "wd": "http://www.wikidata.org/entity/",
}
"""The prefixes a claim table may use, prefix → namespace IRI."""

_SOURCE = PREFIXES["prov"] + "wasDerivedFrom"
_TYPE = ox.NamedNode(RDF_TYPE)
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_DATE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TYPED = {
    "boolean": re.compile(r"true|false"),
    "integer": re.compile(r"[+-]?\d+"),
    "nonNegativeInteger": re.compile(r"\+?\d+"),
    "decimal": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
    "string": re.compile(r".*", re.S),
}


@dataclass(frozen=True)
class TableCell:
    """Where an IRI value of a table was written: for errors about what it names.

    Attributes:
        iri: The IRI.
        line: The 1-based line of the CSV file.
        column: The column's name (first row).
    """

    iri: str
    line: int
    column: str


@dataclass(frozen=True)
class ParsedTable:
    """A claim table read into triples.

    Attributes:
        parsed: The triples, as a :class:`ParsedFile` (its ``path`` is the CSV file, its
            ``prefixes`` :data:`PREFIXES`), loaded like a Turtle file.
        references: Every IRI value of an ``I`` column (``rdf:type`` excluded), with where it was
            written.
        display: How the table is named in messages.
    """

    parsed: ParsedFile
    references: tuple[TableCell, ...]
    display: str


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # ID, TYPE, I, D, S or "" (ignored)
    predicate: ox.NamedNode | None = None
    language: str | None = None
    datatype: str | None = None
    split: bool = False


def _expand(name: str) -> str | None:
    prefix, colon, local = name.partition(":")
    if not colon or prefix not in PREFIXES or not _LOCAL.fullmatch(local) or local.endswith("."):
        return None
    return PREFIXES[prefix] + local


def date_literal(text: str) -> ox.Literal | None:
    """The date literal of a cell, at the precision written.

    Args:
        text: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a proleptic Gregorian date, as XSD 1.1).

    Returns:
        An ``xsd:gYear``, ``xsd:gYearMonth`` or ``xsd:date`` literal, or ``None`` if *text* is not
        such a date or names a day that does not exist (2014-02-30).
    """
    match = _DATE.fullmatch(text)
    if not match:
        return None
    year, month, day = match.groups()
    if month is None:
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYear"))
    if not 1 <= int(month) <= 12:
        return None
    if day is None:
        return ox.Literal(text, datatype=ox.NamedNode(XSD + "gYearMonth"))
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))


def _template(display: str, names: Sequence[str], template: Sequence[str]) -> list[_Column]:
    def fail(column: str, problem: str) -> InputError:
        return InputError(display, f"column {column!r}: {problem}", line=2)

    if len(template) != len(names):
        raise InputError(display, f"the template row has {len(template)} cells, the header {len(names)}; give one template per column", line=2)
    columns = []
    for name, spec in zip(names, template, strict=True):
        spec = spec.strip()
        if spec in ("ID", "TYPE", ""):
            columns.append(_Column(name, spec))
            continue
        split = spec.endswith(" SPLIT=|")
        spec = spec.removesuffix(" SPLIT=|")
        kind, _, rest = spec.partition(" ")
        if kind not in ("I", "D", "S") or not rest:
            raise fail(name, f"unknown template {spec!r}; use ID, TYPE, 'I prefix:name', 'D prefix:name', 'S prefix:name[@lang|^^xsd:type]' or leave it empty")
        language = datatype = None
        if kind == "S" and "@" in rest:
            rest, _, language = rest.partition("@")
        elif kind == "S" and "^^" in rest:
            rest, _, typed = rest.partition("^^")
            datatype = typed.removeprefix("xsd:")
            if datatype not in _TYPED:
                raise fail(name, f"unsupported datatype {typed!r}; use one of {', '.join('xsd:' + t for t in _TYPED)}")
        predicate = _expand(rest)
        if predicate is None:
            raise fail(name, f"{rest!r} is not a prefixed name of a known prefix ({', '.join(PREFIXES)})")
        columns.append(_Column(name, kind, ox.NamedNode(predicate), language, datatype, split))
    kinds = [c.kind for c in columns]
    if kinds.count("ID") != 1:
        raise InputError(display, "the template names no ID column, or more than one; give exactly one", line=2)
    if not any(c.kind == "I" and c.predicate.value == _SOURCE for c in columns):
        raise InputError(display, "no 'I prov:wasDerivedFrom' column; every claim needs its source", line=2)
    return columns


def parse_table(path: Path, graph: str, display: str | None = None) -> ParsedTable:
    """Read one claim table into triples.

    Args:
        path: The CSV file.
        graph: The IRI of the named graph its triples belong to.
        display: How to name the file in messages (default: *path*).

    Returns:
        The table's triples and the IRI values it names.

    Raises:
        InputError: The file cannot be read; a template is unknown; a cell is not what its column
            needs (a prefixed name, a possible date, a literal of the datatype); a row has no
            source. The message names the table, the line and the column.
    """
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(shown, f"not UTF-8 ({exc.reason} at byte {exc.start}); save the table as UTF-8") from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        names = next(reader, None)
        template = next(reader, None)
        if names is None or template is None:
            raise InputError(shown, "a claim table needs a header row and a template row (ROBOT template style); see relgraph.graph.tables")
        columns = _template(shown, names, template)
        triples: list[ox.Triple] = []
        references: list[TableCell] = []
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                raise InputError(shown, f"{len(row)} cells where the header has {len(columns)}; quote cells that hold commas", line=line)
            triples.extend(_row(shown, line, columns, row, references))
    except csv.Error as exc:
        raise InputError(shown, f"not valid CSV ({exc})", line=reader.line_num) from exc
    parsed = ParsedFile(path=path, graph=ox.NamedNode(graph), triples=tuple(triples), prefixes=dict(PREFIXES))
    return ParsedTable(parsed=parsed, references=tuple(references), display=shown)


def _row(shown: str, line: int, columns: Sequence[_Column], row: Sequence[str], references: list[TableCell]) -> Iterable[ox.Triple]:
    def fail(column: _Column, problem: str) -> InputError:
        return InputError(shown, f"column {column.name!r}: {problem}", line=line)

    by_kind = {c.kind: (c, cell.strip()) for c, cell in zip(columns, row, strict=True) if c.kind == "ID"}
    id_column, id_cell = by_kind["ID"]
    subject_iri = _expand(id_cell)
    if subject_iri is None:
        raise fail(id_column, f"{id_cell!r} is not a prefixed name such as rgid:some-name")
    subject = ox.NamedNode(subject_iri)
    out: list[ox.Triple] = []
    sourced = False
    for column, cell in zip(columns, row, strict=True):
        cell = cell.strip()
        if not cell or column.kind in ("ID", ""):
            continue
        if column.kind in ("TYPE", "I"):
            predicate = _TYPE if column.kind == "TYPE" else column.predicate
            for value in cell.split("|"):
                iri = _expand(value.strip())
                if iri is None:
                    raise fail(column, f"{value.strip()!r} is not a prefixed name of a known prefix ({', '.join(PREFIXES)})")
                out.append(ox.Triple(subject, predicate, ox.NamedNode(iri)))
                if column.kind == "I":
                    references.append(TableCell(iri, line, column.name))
                    sourced = sourced or predicate.value == _SOURCE
        elif column.kind == "D":
            literal = date_literal(cell)
            if literal is None:
                raise fail(column, f"{cell!r} is not a possible date; write YYYY, YYYY-MM or YYYY-MM-DD as the source gives it")
            out.append(ox.Triple(subject, column.predicate, literal))
        else:
            for value in (v.strip() for v in cell.split("|")) if column.split else (cell,):
                out.append(ox.Triple(subject, column.predicate, _literal(column, value, fail)))
    if not sourced:
        source_column = next(c for c in columns if c.kind == "I" and c.predicate.value == _SOURCE)
        raise fail(source_column, "no source; every claim names the source it was read from")
    return out


def _literal(column: _Column, value: str, fail) -> ox.Literal:
    if column.language:
        return ox.Literal(value, language=column.language)
    if column.datatype:
        if not _TYPED[column.datatype].fullmatch(value):
            raise fail(column, f"{value!r} is not an xsd:{column.datatype}")
        return ox.Literal(value, datatype=ox.NamedNode(XSD + column.datatype))
    return ox.Literal(value)


def check_references(tables: Sequence[ParsedTable], store: ox.Store) -> None:
    """Check that every IRI value of every table names something the graph types.

    Args:
        tables: The parsed tables.
        store: The loaded store (ontology, schemes and facts), any named graph.

    Raises:
        InputError: The first value that names nothing: its table, line and column, and what to
            fix (an unknown state, organisation, concept or source).
    """
    known: dict[str, bool] = {}
    for table in tables:
        for cell in table.references:
            if not cell.iri.startswith((RGID, RGV)):
                continue
            found = known.get(cell.iri)
            if found is None:
                found = known[cell.iri] = next(iter(store.quads_for_pattern(ox.NamedNode(cell.iri), _TYPE, None)), None) is not None
            if not found:
                shown = "rgid:" + cell.iri[len(RGID):] if cell.iri.startswith(RGID) else cell.iri
                raise InputError(table.display, f"column {cell.column!r}: {shown} names nothing in the graph (no rdf:type); add it, or correct the name", line=cell.line)
