"""Reading RDF files safely: the only module that parses RDF files.

Files are parsed with pyoxigraph's parsers, which keep every literal exactly as written (a
pyoxigraph ``Store`` canonicalises numbers; :mod:`relgraph.graph.loading` records the written
forms). Nothing is ever fetched or read besides the file itself: a JSON-LD ``@context`` that
names another document is refused, and an RDF/XML file that declares XML entities is refused
before parsing, so no entity is ever expanded. Blank nodes are named after their file and their
order of appearance, so results and reports about them are the same on every run.

- :func:`parse_turtle`: one Turtle file of a root (``ontology/``, ``graph/``, shapes);
- :func:`read_rdf_file`, :func:`parse_rdf_file`, :func:`load_rdf_files`: any RDF file (Turtle,
  N-Triples, N-Quads, TriG, JSON-LD, RDF/XML, each optionally gzip-compressed), by extension;
- :func:`locate_node`, :func:`first_line`: where a node is defined in the parsed files.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox

from relgraph.errors import InputError
from relgraph.graph.langtags import scan_written_tags
from relgraph.namespaces import RDF_TYPE

__all__ = [
    "ParsedFile",
    "Location",
    "RdfFile",
    "RDF_FILE_FORMATS",
    "parse_turtle",
    "rdf_file_format",
    "read_rdf_file",
    "parse_rdf_file",
    "load_rdf_files",
    "locate_node",
    "first_line",
    "stable_blank_nodes",
    "resolved",
    "parser_message",
]


@dataclass(frozen=True)
class ParsedFile:
    """One parsed Turtle file.

    Attributes:
        path: The file.
        graph: The named graph its triples were loaded into.
        triples: Its triples, with literals exactly as written.
        prefixes: The prefixes it declares, prefix → namespace IRI.
        language_tags: The language tags it writes with capital letters, lower case → as
            written (pyoxigraph lower-cases them; :mod:`relgraph.graph.langtags` writes them back).
    """

    path: Path
    graph: ox.NamedNode
    triples: tuple[ox.Triple, ...]
    prefixes: dict[str, str]
    language_tags: dict[str, str] = field(default_factory=dict)

    def quads(self) -> Iterator[ox.Quad]:
        """The file's triples as quads in its named graph."""
        for t in self.triples:
            yield ox.Quad(t.subject, t.predicate, t.object, self.graph)


@dataclass(frozen=True)
class Location:
    """Where a node is defined: a file and a 1-based line (``None`` if not found in the text)."""

    path: Path
    line: int | None


def parse_turtle(path: Path, graph: str, display: str | None = None) -> ParsedFile:
    """Parse one Turtle file.

    Args:
        path: The file to read.
        graph: The IRI of the named graph its triples belong to.
        display: How to name the file in error messages (defaults to *path*).

    Returns:
        The parsed file.

    Raises:
        InputError: The file cannot be read, or is not valid Turtle (the message names the line).
    """
    shown = display or str(path)
    try:
        if not path.exists():
            if path.is_symlink():
                raise InputError(shown, "a symbolic link that leads to no file (or a loop of links)")
            raise InputError(shown, "no such file")
        if not path.is_file():
            raise InputError(shown, "not a file; give Turtle files (.ttl)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from exc
    except RuntimeError as exc:  # a symbolic link loop
        raise InputError(shown, f"cannot read: {exc}") from exc
    try:
        # no base IRI: a relative IRI is an error, never silently turned into a file: IRI
        parser = ox.parse(data, format=ox.RdfFormat.TURTLE)
        triples = stable_blank_nodes((q.triple for q in parser), path.stem)
        prefixes = dict(parser.prefixes)
    except SyntaxError as exc:
        raise InputError(shown, f"Turtle syntax error (column {exc.offset}): {parser_message(str(exc))}; fix the Turtle at this line", line=exc.lineno) from exc
    except (MemoryError, ValueError) as exc:
        raise InputError(shown, f"cannot parse: {parser_message(str(exc))} (a single token, such as a literal, is too large)") from exc
    tags = scan_written_tags(data)
    if tags:  # keep only tags that literals have (not text inside a string that looks like one)
        tags = scan_written_tags(data, {t.object.language for t in triples if isinstance(t.object, ox.Literal) and t.object.language})
    return ParsedFile(path=path, graph=ox.NamedNode(graph), triples=triples, prefixes=prefixes, language_tags=tags)


RDF_FILE_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}
"""File name extensions :func:`read_rdf_file` reads (each optionally followed by ``.gz``)."""


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


_ENTITIES_REFUSED = (
    "this RDF/XML file declares XML entities (<!ENTITY …>), which relgraph never expands (they can blow up in memory or "
    "read other files); replace each &name; with its text and remove the declarations"
)


_START_TAG = re.compile(rb"<[A-Za-z_]")


def rdf_file_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of an arbitrary data file, from its name (:data:`RDF_FILE_FORMATS`).

    Args:
        path: The file.

    Returns:
        The format, and whether the file is gzip-compressed (``.gz`` after the extension).

    Raises:
        InputError: An extension relgraph does not read.
    """
    name = path.name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    for suffix, fmt in RDF_FILE_FORMATS.items():
        if name.endswith(suffix):
            return fmt, compressed
    known = ", ".join(RDF_FILE_FORMATS)
    raise InputError(str(path), f"unknown RDF format; name the file with one of the extensions {known} (optionally followed by .gz)")


def read_rdf_file(path: Path, display: str | None = None, *, base_iri: str | None = None) -> tuple[list[ox.Quad], dict[str, str]]:
    """Parse an arbitrary RDF file safely: Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML
    (by extension, :func:`rdf_file_format`), with pyoxigraph's parsers.

    Nothing is ever fetched or read besides the file: a JSON-LD ``@context`` (or ``@import``)
    that names another document, remote or relative, is refused (pyoxigraph has no document
    loader, and relgraph gives it none); an RDF/XML file that declares XML entities
    (``<!ENTITY …>``, the way to a "billion laughs" blow-up or to reading a local file) is
    refused before parsing, so no entity is ever expanded. Blank nodes are named after the file
    and their order (stable across runs); relative IRIs resolve against the file's ``file:`` IRI,
    as rdflib and pySHACL resolve them.

    Args:
        path: The file.
        display: How to name it in errors (default: *path*).
        base_iri: The base IRI (default: the file's ``file:`` IRI).

    Returns:
        Its quads (triples in the default graph; N-Quads, TriG and JSON-LD may name graphs),
        literals exactly as written, and the prefixes it declares.

    Raises:
        InputError: The file cannot be read, has an unknown extension, is not valid in its
            format (with the line where known), or is refused as above. Exit code 2.
    """
    shown = display or str(path)
    fmt, compressed = rdf_file_format(path)
    try:
        if not path.is_file():
            raise InputError(shown, "no such file" if not path.exists() else "not a file")
        data = path.read_bytes()
        if compressed:
            data = gzip.decompress(data)
    except (EOFError, gzip.BadGzipFile) as exc:  # BadGzipFile is an OSError: caught first
        raise InputError(shown, f"not a valid gzip file ({exc}); compress it with gzip or drop the .gz extension") from None
    except OSError as exc:
        raise InputError(shown, f"cannot read: {exc.strerror or exc}") from None
    if fmt == ox.RdfFormat.RDF_XML:
        root = _START_TAG.search(data)  # entities are declared in the prolog, before the root element
        match = _ENTITY_DECLARATION.search(data, 0, root.start() if root else len(data))
        if match:
            raise InputError(shown, _ENTITIES_REFUSED, line=data.count(b"\n", 0, match.start()) + 1)
        _check_xml(data, shown)  # the same in any encoding expat reads, and the line of an XML error
    base = base_iri or resolved(path).as_uri()
    try:
        parser = ox.parse(data, format=fmt, base_iri=base)
        quads = list(parser)
        prefixes = dict(parser.prefixes) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    except SyntaxError as exc:
        message = parser_message(str(exc))
        if fmt == ox.RdfFormat.JSON_LD and ("LoadDocumentCallback" in message or "remote context" in message):
            raise InputError(
                shown,
                "a JSON-LD @context (or @import) names another document, remote or relative; relgraph never loads JSON-LD "
                "documents from the file system or the network: put the context itself in the file",
            ) from None
        if fmt == ox.RdfFormat.RDF_XML and "unrecognized entity" in message:
            message = "it uses an XML entity that the file does not declare (relgraph reads no external DTD); write its text in place"
        column = f" (column {exc.offset})" if exc.lineno and exc.offset else ""
        raise InputError(shown, f"{fmt.name} syntax error{column}: {message}{'; fix the file at this line' if exc.lineno else ''}", line=exc.lineno) from None
    except (MemoryError, ValueError) as exc:
        raise InputError(shown, f"cannot parse: {parser_message(str(exc))}") from None
    return _stable_blank_quads(quads, path.name.split(".")[0]), prefixes


def parse_rdf_file(path: Path, graph: str | None = None, display: str | None = None) -> ParsedFile:
    """Parse an arbitrary RDF file safely (:func:`read_rdf_file`) into one :class:`ParsedFile`.

    Args:
        path: The file.
        graph: The named graph to say it was loaded into (default: its ``file:`` IRI).
        display: How to name it in errors.

    Returns:
        The parsed file: the triples of all its graphs (the union, as one data graph), literals
        exactly as written.

    Raises:
        InputError: As :func:`read_rdf_file`.
    """
    quads, prefixes = read_rdf_file(path, display)
    seen: dict[ox.Triple, None] = {}
    for quad in quads:
        seen.setdefault(quad.triple, None)
    return ParsedFile(path=path, graph=ox.NamedNode(graph or resolved(path).as_uri()), triples=tuple(seen), prefixes=prefixes)


def blank_node_namer(prefix: str) -> Callable[[ox.Term], ox.Term]:
    """A function that renames each blank node to ``PREFIX1``, ``PREFIX2``, … in order of first
    appearance and returns any other term unchanged (the parser's own names are random, so
    reports about blank nodes need names that are the same on every run).

    Args:
        prefix: the start of every new name (letters, digits and ``_`` only).

    Returns:
        The renaming function; it keeps its own mapping, one per file.
    """
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.BlankNode(f"{prefix}{len(names) + 1}")
            return names[term]
        return term

    return rename


def _file_prefix(stem: str) -> str:
    """The start of a file's blank node names: its stem's letters and digits (``file`` if none)."""
    return re.sub(r"[^A-Za-z0-9]", "", stem) or "file"


def _stable_blank_quads(quads: list[ox.Quad], stem: str) -> list[ox.Quad]:
    """:func:`stable_blank_nodes` for quads (graph names included)."""
    rename = blank_node_namer(_file_prefix(stem))

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), rename(q.graph_name)) for q in quads]


@dataclass(frozen=True)
class RdfFile:
    """One RDF file of any format, parsed (:func:`load_rdf_files`).

    Attributes:
        path: The file.
        graph: The named graph of its triples: the file's ``file:`` IRI.
        quads: Its statements: triples in *graph*; the named graphs of N-Quads and TriG kept.
    """

    path: Path
    graph: ox.NamedNode
    quads: tuple[ox.Quad, ...]


def _check_xml(data: bytes, shown: str) -> None:
    """Refuse an RDF/XML document that declares XML entities, and name the line of an XML error.

    Oxigraph's RDF/XML parser expands the entities of an internal DTD subset, so a document of a
    few lines can grow without bound ("billion laughs"); relgraph expands none (as defusedxml
    refuses them). Expat reads the document in any encoding it knows (a byte scan for
    ``<!ENTITY`` sees only ASCII-compatible ones) and loads no external DTD or entity; it stops at
    the first declaration, before any is expanded.

    Args:
        data: The document.
        shown: How to name the file in errors.

    Raises:
        InputError: The document declares an entity, or is not well-formed XML (with its line).
    """
    class Declared(Exception):
        pass

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def declared(*args):
        raise Declared(parser.CurrentLineNumber)

    parser.EntityDeclHandler = declared
    try:
        parser.Parse(data, True)
    except Declared as found:
        raise InputError(shown, _ENTITIES_REFUSED, line=found.args[0]) from None
    except expat.ExpatError as exc:
        if exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNKNOWN_ENCODING]:
            return  # an encoding expat cannot read: pyoxigraph decides, after the byte scan
        raise InputError(shown, f"RDF/XML syntax error (column {exc.offset + 1}): {expat.ErrorString(exc.code)}; fix the XML at this line", line=exc.lineno) from None


def load_rdf_files(paths: Sequence[Path], display: Sequence[str] | None = None) -> list[RdfFile]:
    """Parse RDF files of any format safely, each into a named graph of its own, for queries
    over arbitrary data (``relgraph sparql --data``).

    Each file is read by :func:`read_rdf_file` (the format from its extension; nothing fetched,
    no XML entity expanded; relative IRIs resolved against the file's ``file:`` IRI). Its
    default-graph triples go to the named graph of its ``file:`` IRI; the named graphs of
    N-Quads and TriG files stay as they are. Blank nodes are named after the file and its place
    in *paths*, so two files (even two of the same name in different folders) never share one.

    Args:
        paths: The files, in order; a file given twice is read once.
        display: How to name each file in messages (defaults to the paths as given).

    Returns:
        One parsed file per distinct path, in order.

    Raises:
        InputError: As :func:`read_rdf_file`.
    """
    shown_names = list(display) if display is not None else [str(p) for p in paths]
    found: list[RdfFile] = []
    seen: set[Path] = set()
    for index, (path, shown) in enumerate(zip(paths, shown_names), start=1):
        if resolved(path) in seen:
            continue
        seen.add(resolved(path))
        quads, _ = read_rdf_file(path, shown)
        graph = ox.NamedNode(resolved(path).as_uri())
        found.append(RdfFile(path=path, graph=graph, quads=_stable_quads(quads, graph, f"{re.sub(r'[^A-Za-z0-9]', '', path.name.split('.')[0]) or 'file'}_{index}")))
    return found


def _stable_quads(quads, graph: ox.NamedNode, prefix: str) -> tuple[ox.Quad, ...]:
    """Quads of one file with default-graph triples moved to *graph* and blank nodes named
    ``PREFIX_N`` in order of appearance (the parser's own names are random)."""
    rename = blank_node_namer(f"{prefix}_")

    return tuple(
        ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph if isinstance(q.graph_name, ox.DefaultGraph) else rename(q.graph_name))
        for q in quads
    )


def stable_blank_nodes(triples, stem: str) -> tuple[ox.Triple, ...]:
    """Name blank nodes after their file and order of appearance, so that results and reports
    about them are the same on every run (the parser's own names are random)."""
    rename = blank_node_namer(_file_prefix(stem))

    return tuple(ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples)


def resolved(path: Path) -> Path:
    """The absolute, symlink-free form of *path*; the absolute path if it cannot be resolved
    (a symbolic link loop), so that reading it later reports the problem clearly."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def parser_message(message: str) -> str:
    """A parser message on one line: without the position the caller shows, control characters escaped."""
    message = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ", "", message)
    message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", message)
    if "No scheme found in an absolute IRI" in message:
        message = "a relative IRI (<…> without a scheme); write full IRIs or prefixed names"
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in " ".join(message.split()))


def locate_node(iri: str, files: Sequence[ParsedFile]) -> Location | None:
    """Find where a node is defined among parsed files (:meth:`LoadedGraph.locate`).

    Args:
        iri: The node's IRI, or ``_:id`` for a blank node.
        files: The files, searched in order.

    Returns:
        The file holding the node's ``rdf:type`` triple (else the first where it is a subject)
        and the line of the first occurrence there of its IRI, or ``None``.
    """
    if iri.startswith("_:"):
        blank = ox.BlankNode(iri[2:])
        holder = next((f for f in files if any(t.subject == blank or t.object == blank for t in f.triples)), None)
        return Location(holder.path, None) if holder else None
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return None
    chosen = next((f for f in files if any(t.subject == node and t.predicate.value == RDF_TYPE for t in f.triples)), None)
    if chosen is None:
        chosen = next((f for f in files if any(t.subject == node for t in f.triples)), None)
    if chosen is None:
        return None
    return Location(chosen.path, first_line(chosen, iri))


def first_line(parsed: ParsedFile, iri: str) -> int | None:
    forms = [re.escape(f"<{iri}>")]
    for prefix, namespace in parsed.prefixes.items():
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*", local or "x") and not local.endswith("."):
                forms.append(r"(?<![\w:.\-])" + re.escape(f"{prefix}:{local}") + r"(?![\w\-:]|\.[\w])")
    pattern = re.compile("|".join(forms))
    try:
        text = parsed.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.lstrip().startswith("#") and pattern.search(line):
            return number
    return None
