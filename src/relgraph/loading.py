"""Loading the ontology, the facts and the shapes into memory (:mod:`relgraph.store` bulk-loads
large files into on-disk stores).

Files are parsed with pyoxigraph's Turtle parser, which keeps every literal exactly as written
(its ``Store`` canonicalises numbers, so exports read the parsed quads; a store records the
written forms it changes, :func:`lexical_forms`). Each file becomes one named graph:

- ``https://w3id.org/relgraph/graph/ontology/<stem>`` for ``ontology/*.ttl``;
- ``https://w3id.org/relgraph/graph/facts/<stem>`` for ``graph/*.ttl`` of the root;
- the file's own ``file:`` IRI for any other facts file (``relgraph validate PATH``);
- ``https://w3id.org/relgraph/graph/derived`` for what relgraph derives at load time.

Derived at load time, never written in ``graph/``:

- the earliest and latest days (``xsd:date``) of every date value, for each temporal property
  that the ontology annotates with ``rg:earliestBoundOf`` / ``rg:latestBoundOf``
  (:mod:`relgraph.temporal` gives the rule);
- the results of the CONSTRUCT queries in ``queries/derive/`` (for example which claims have the
  best rank), run in file-name order;
- the written forms of literals the store holds in canonical form (:func:`lexical_forms`).

Queries see the union of all graphs as their default graph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import InputError
from relgraph.namespaces import GRAPH_BASE, RDF_TYPE, RG, XSD
from relgraph.paths import Layout
from relgraph.temporal import DATE_DATATYPES, bounds

__all__ = [
    "ONTOLOGY_GRAPH_BASE",
    "FACTS_GRAPH_BASE",
    "DERIVED_GRAPH",
    "INFERRED_GRAPH",
    "lexical_forms",
    "written_forms",
    "as_written",
    "is_derivation_only",
    "ParsedFile",
    "Location",
    "LoadedGraph",
    "locate_node",
    "parse_turtle",
    "RDF_FILE_FORMATS",
    "rdf_file_format",
    "read_rdf_file",
    "parse_rdf_file",
    "RdfFile",
    "load_rdf_files",
    "load",
    "load_shapes",
    "derive",
    "resolved",
]

ONTOLOGY_GRAPH_BASE = GRAPH_BASE + "ontology/"
FACTS_GRAPH_BASE = GRAPH_BASE + "facts/"
DERIVED_GRAPH = GRAPH_BASE + "derived"
INFERRED_GRAPH = GRAPH_BASE + "inferred"

_XSD_DATE = ox.NamedNode(XSD + "date")


@dataclass(frozen=True)
class ParsedFile:
    """One parsed Turtle file.

    Attributes:
        path: The file.
        graph: The named graph its triples were loaded into.
        triples: Its triples, with literals exactly as written.
        prefixes: The prefixes it declares, prefix → namespace IRI.
        language_tags: The language tags it writes with capital letters, lower case → as
            written (pyoxigraph lower-cases them; :mod:`relgraph.langtags` writes them back).
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
        triples = _stable_blank_nodes((q.triple for q in parser), path.stem)
        prefixes = dict(parser.prefixes)
    except SyntaxError as exc:
        raise InputError(shown, f"Turtle syntax error (column {exc.offset}): {_clean_message(str(exc))}; fix the Turtle at this line", line=exc.lineno) from exc
    except (MemoryError, ValueError) as exc:
        raise InputError(shown, f"cannot parse: {_clean_message(str(exc))} (a single token, such as a literal, is too large)") from exc
    from relgraph.langtags import scan_written_tags

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
    import gzip

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
        message = _clean_message(str(exc))
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
        raise InputError(shown, f"cannot parse: {_clean_message(str(exc))}") from None
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


def _stable_blank_quads(quads: list[ox.Quad], stem: str) -> list[ox.Quad]:
    """:func:`_stable_blank_nodes` for quads (graph names included)."""
    prefix = re.sub(r"[^A-Za-z0-9]", "", stem) or "file"
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.BlankNode(f"{prefix}{len(names) + 1}")
            return names[term]
        return term

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
    from xml.parsers import expat

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
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.BlankNode(f"{prefix}_{len(names) + 1}")
            return names[term]
        return term

    return tuple(
        ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph if isinstance(q.graph_name, ox.DefaultGraph) else rename(q.graph_name))
        for q in quads
    )


def _stable_blank_nodes(triples, stem: str) -> tuple[ox.Triple, ...]:
    """Name blank nodes after their file and order of appearance, so that results and reports
    about them are the same on every run (the parser's own names are random)."""
    prefix = re.sub(r"[^A-Za-z0-9]", "", stem) or "file"
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term):
        if isinstance(term, ox.BlankNode):
            if term not in names:
                names[term] = ox.BlankNode(f"{prefix}{len(names) + 1}")
            return names[term]
        return term

    return tuple(ox.Triple(rename(t.subject), t.predicate, rename(t.object)) for t in triples)


def resolved(path: Path) -> Path:
    """The absolute, symlink-free form of *path*; the absolute path if it cannot be resolved
    (a symbolic link loop), so that reading it later reports the problem clearly."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _clean_message(message: str) -> str:
    """A parser message on one line: without the position the caller shows, control characters escaped."""
    message = re.sub(r"^Parser error at line \d+ (between columns \d+ and \d+|column \d+): ", "", message)
    message = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", message)
    if "No scheme found in an absolute IRI" in message:
        message = "a relative IRI (<…> without a scheme); write full IRIs or prefixed names"
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in " ".join(message.split()))


@dataclass
class LoadedGraph:
    """The ontology and facts of a root, parsed and indexed for queries.

    Attributes:
        layout: The root they come from.
        ontology: The parsed ontology files.
        facts: The parsed facts files (the root's ``graph/`` and any others given).
        store: A pyoxigraph store with all of them plus the derived graph; query it with
            ``use_default_graph_as_union=True``.
    """

    layout: Layout
    ontology: list[ParsedFile]
    facts: list[ParsedFile]
    store: ox.Store
    _types: dict[str, ParsedFile] = field(default_factory=dict, repr=False)

    def triples(self, *, facts_only: bool = False) -> list[ox.Triple]:
        """All triples of the ontology and the facts (or the facts only), as written, without
        duplicates and without the derived graph.

        Args:
            facts_only: Leave out the ontology.

        Returns:
            The triples in file order.
        """
        files = self.facts if facts_only else [*self.ontology, *self.facts]
        seen: set[ox.Triple] = set()
        out: list[ox.Triple] = []
        for parsed in files:
            for t in parsed.triples:
                if t not in seen:
                    seen.add(t)
                    out.append(t)
        return out

    def language_tags(self, *, facts_only: bool = False) -> dict[str, str]:
        """The language tags the files write with capitals, lower case → as first written.

        Args:
            facts_only: Only those of the facts files.

        Returns:
            The tags, for :func:`relgraph.langtags.serialize`.
        """
        found: dict[str, str] = {}
        for parsed in self.facts if facts_only else [*self.ontology, *self.facts]:
            for lower, written in parsed.language_tags.items():
                found.setdefault(lower, written)
        return found

    def locate(self, iri: str, within: Sequence[ParsedFile] | None = None) -> Location | None:
        """Find where a node is defined.

        The defining file is the one holding the node's ``rdf:type`` triple (else the first file
        where it is a subject); the line is that of the first occurrence there of its IRI, written
        ``<…>`` or as a prefixed name of the file's prefixes.

        Args:
            iri: The node's IRI.
            within: Search only these files (default: the facts, then the ontology).

        Returns:
            The location, or ``None`` if no file defines the node.
        """
        return locate_node(iri, list(within) if within is not None else [*self.facts, *self.ontology])


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
    return Location(chosen.path, _first_line(chosen, iri))


def _first_line(parsed: ParsedFile, iri: str) -> int | None:
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


def _parse_many(paths: Iterable[tuple[Path, str]], layout: Layout) -> list[ParsedFile]:
    return [parse_turtle(p, g, layout.display(p)) for p, g in paths]


def load(layout: Layout, extra_files: Sequence[Path] = (), *, include_root_facts: bool = True, infer: str = "none") -> LoadedGraph:
    """Load the ontology and facts of a root into a query store, with derived triples.

    Args:
        layout: The root.
        extra_files: Further facts files to load with them (for ``relgraph validate PATH``).
            A file that is one of the root's own ``graph/`` files is loaded once.
        include_root_facts: Load the root's ``graph/*.ttl`` (``False`` for ``--standalone``).
        infer: ``rdfs`` or ``owl-rl`` to add what they entail (:mod:`relgraph.inference`) to the
            named graph ``https://w3id.org/relgraph/graph/inferred``; ``none`` by default.

    Returns:
        The loaded graph.

    Raises:
        InputError: A file cannot be read or is not valid Turtle.
    """
    ontology = _parse_many(((p, ONTOLOGY_GRAPH_BASE + p.stem) for p in layout.ontology_files()), layout)
    root_files = layout.graph_files() if include_root_facts else []
    root_resolved = {resolved(p) for p in root_files}
    pairs = [(p, FACTS_GRAPH_BASE + p.stem) for p in root_files]
    for p in extra_files:
        if resolved(p) not in root_resolved:
            pairs.append((p, resolved(p).as_uri()))
            root_resolved.add(resolved(p))
    facts = _parse_many(pairs, layout)
    store = ox.Store()
    for parsed in (*ontology, *facts):
        store.extend(parsed.quads())
    loaded = LoadedGraph(layout=layout, ontology=ontology, facts=facts, store=store)
    derive(store, layout)
    store.extend(lexical_forms(t for parsed in facts for t in parsed.triples))
    from relgraph.langtags import tag_quads

    store.extend(tag_quads(loaded.language_tags(), DERIVED_GRAPH))
    if infer != "none":
        from relgraph.inference import infer as entail

        inferred = ox.NamedNode(INFERRED_GRAPH)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entail(loaded.triples(), infer))
    return loaded


_RDF_REIFIES = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#reifies")
_WRITTEN_FORM = ox.NamedNode(RG.writtenForm)
_PLAIN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString", XSD + "anyURI"}
_NO_TIMEZONE = re.compile(r"-?\d{4,}(-\d{2}){0,2}")


def _may_change(term: ox.Literal) -> bool:
    """Whether a store might hold this literal in another form (cheap test before the exact one)."""
    datatype = term.datatype.value
    if datatype in _PLAIN:  # language tags: pyoxigraph's parser already writes them in lower case
        return False
        return False
    if datatype in DATE_DATATYPES:
        return not _NO_TIMEZONE.fullmatch(term.value)
    return True


def lexical_forms(triples: Iterable[ox.Triple], batch: int = 100_000) -> Iterator[ox.Quad]:
    """Reify the triples whose literal a pyoxigraph store would hold in another form.

    Oxigraph stores numbers, booleans and dates with time zones in canonical form
XX that ``rdf:reifies`` the triple
    (RDF 1.2) and has ``rg:writtenForm`` the literal as written, in N-Triples syntax, so that
    validation and exports of a store can restore it (:func:`written_forms`).

    Args:
        triples: Triples as parsed from files (literals as written).
        batch: How many candidate literals to canonicalise at once.

    Yields:
        Two quads per triple whose literal changes.
    """
    graph = ox.NamedNode(DERIVED_GRAPH)
    pending: list[ox.Triple] = []

    def flush() -> Iterator[ox.Quad]:
        probe = ox.Store()
        probe.extend(ox.Quad(ox.NamedNode(f"urn:relgraph:probe:{i}"), t.predicate, t.object) for i, t in enumerate(pending))
        for quad in probe:
            written = pending[int(quad.subject.value.rsplit(":", 1)[1])]
            stored = quad.object
            if stored.value != written.object.value or stored.datatype != written.object.datatype:
                reifier = ox.BlankNode()
                yield ox.Quad(reifier, _RDF_REIFIES, written, graph)
                yield ox.Quad(reifier, _WRITTEN_FORM, ox.Literal(str(written.object)), graph)
        pending.clear()

    for t in triples:
        if isinstance(t.object, ox.Literal) and _may_change(t.object):
            pending.append(t)
            if len(pending) >= batch:
                yield from flush()
    if pending:
        yield from flush()


def written_forms(store: ox.Store) -> dict[ox.Triple, list[ox.Literal]]:
    """The literals as written of the triples a store holds in another form (see
    :func:`lexical_forms`).

    Args:
        store: The store.

    Returns:
        Each triple as the store holds it → its literals as the files wrote them (several when
        two written forms have one canonical form). Triples held as written are not keys.
    """
    graph = ox.NamedNode(DERIVED_GRAPH)
    texts: dict = {}
    for quad in store.quads_for_pattern(None, _WRITTEN_FORM, None, graph):
        texts[quad.subject] = quad.object.value
    found: dict[ox.Triple, list[ox.Literal]] = {}
    if not texts:
        return found
    lines = []
    reified = []
    for quad in store.quads_for_pattern(None, _RDF_REIFIES, None, graph):
        if quad.subject in texts and isinstance(quad.object, ox.Triple):
            reified.append(quad.object)
            lines.append(f"<urn:s> <urn:p> {texts[quad.subject]} .")
    parsed = ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_TRIPLES)
    for triple, written in zip(reified, parsed):
        found.setdefault(triple, []).append(written.object)
    return found


def is_derivation_only(quad: ox.Quad | ox.Triple) -> bool:
    """Whether a quad of the derived graph only records a literal's written form (an RDF 1.2
    reification, :func:`lexical_forms`), which rdflib and RDF 1.1 stores cannot hold and which
    validation and queries do not read."""
    return isinstance(quad.object, ox.Triple) or quad.predicate == _WRITTEN_FORM


def as_written(triples: Iterable[ox.Triple], store: ox.Store) -> list[ox.Triple]:
    """Triples read from a store, with each literal the store canonicalised as the files wrote it.

    Oxigraph holds ``"149"^^xsd:nonNegativeInteger`` as ``"149"^^xsd:integer``; documents about an
    entity (``relgraph describe``, ``relgraph serve``) must say what the sources and the shapes say.

    Args:
        triples: Triples as a query on *store* gives them.
        store: The store (its derived graph records the written forms, :func:`lexical_forms`).

    Returns:
        The triples, each canonicalised one replaced by its written form(s), in the same order.
    """
    written = written_forms(store)
    if not written:
        return list(triples)
    out: list[ox.Triple] = []
    for triple in triples:
        forms = written.get(triple)
        if forms:
            out.extend(ox.Triple(triple.subject, triple.predicate, form) for form in forms)
        else:
            out.append(triple)
    return out


def load_shapes(layout: Layout) -> list[ParsedFile]:
    """Parse the SHACL shapes files of a root.

    Args:
        layout: The root.

    Returns:
        One parsed file per ``ontology/shapes/*.ttl``.

    Raises:
        InputError: A shapes file cannot be read or is not valid Turtle.
    """
    return _parse_many(((p, GRAPH_BASE + "shapes/" + p.stem) for p in layout.shapes_files()), layout)


def _bound_properties(store: ox.Store) -> dict[str, tuple[str | None, str | None]]:
    """Map each temporal property to its (earliest, latest) derived property, from the ontology."""
    query = f"""
        SELECT ?derived ?kind ?base WHERE {{
            VALUES ?kind {{ <{RG.earliestBoundOf}> <{RG.latestBoundOf}> }}
            ?derived ?kind ?base .
        }}"""
    mapping: dict[str, tuple[str | None, str | None]] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        base = row["base"].value
        earliest, latest = mapping.get(base, (None, None))
        if row["kind"].value == RG.earliestBoundOf:
            earliest = row["derived"].value
        else:
            latest = row["derived"].value
        mapping[base] = (earliest, latest)
    return mapping


def derive(store: ox.Store, layout: Layout, *, bulk: bool = False) -> None:
    """Add the derived graph ``https://w3id.org/relgraph/graph/derived`` to a store.

    Derived: the earliest and latest day (``xsd:date``) of each date value of the facts, for
    every property the ontology annotates with ``rg:earliestBoundOf`` / ``rg:latestBoundOf``
    (:func:`relgraph.temporal.bounds`); then the triples of each CONSTRUCT query in
    ``queries/derive/``, run in file-name order on the union graph (each sees what the
    previous ones derived). Values in the ontology's graphs and in the derived and inferred
    graphs themselves are not bounded.

    Args:
        store: A store holding the ontology and facts.
        layout: The root whose derivation queries to run.
        bulk: Write with pyoxigraph's bulk writer (for large on-disk stores: not transactional,
            constant memory) instead of one transaction.

    Raises:
        InputError: A derivation query cannot be read, is not valid SPARQL or not a CONSTRUCT.
    """
    derived_graph = ox.NamedNode(DERIVED_GRAPH)
    skipped = (ONTOLOGY_GRAPH_BASE, DERIVED_GRAPH, INFERRED_GRAPH)
    write = store.bulk_extend if bulk else store.extend
    days: dict[ox.Literal, tuple[ox.Literal, ox.Literal] | None] = {}  # a date value → its bounds, computed once

    def day_bounds(term: ox.Literal) -> tuple[ox.Literal, ox.Literal] | None:
        if term not in days:
            b = bounds(term.value, term.datatype.value)
            days[term] = None if b is None else (ox.Literal(b[0].isoformat(), datatype=_XSD_DATE), ox.Literal(b[1].isoformat(), datatype=_XSD_DATE))
        return days[term]

    for base, (earliest, latest) in _bound_properties(store).items():
        earliest_node = ox.NamedNode(earliest) if earliest else None
        latest_node = ox.NamedNode(latest) if latest else None

        def bounded(base_node=ox.NamedNode(base), earliest_node=earliest_node, latest_node=latest_node):
            for quad in store.quads_for_pattern(None, base_node, None, None):
                term = quad.object
                if not isinstance(term, ox.Literal) or term.datatype.value not in DATE_DATATYPES:
                    continue
                if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value.startswith(skipped):
                    continue
                b = day_bounds(term)
                if b is None:
                    continue
                if earliest_node is not None:
                    yield ox.Quad(quad.subject, earliest_node, b[0], derived_graph)
                if latest_node is not None:
                    yield ox.Quad(quad.subject, latest_node, b[1], derived_graph)

        write(list(bounded()))
    from relgraph.catalogue import checked_text

    for path in layout.derivation_files():
        shown = layout.display(path)
        try:
            text = checked_text(path.read_text(encoding="utf-8"), shown)
            answer = store.query(text, use_default_graph_as_union=True)
            if not isinstance(answer, ox.QueryTriples):
                raise InputError(shown, "a derivation must be a CONSTRUCT query")
            # read whole before writing: never write while a query reads. In bulk, as N-Triples
            # straight into the bulk loader, with no Python object per triple (a third faster)
            triples = answer.serialize(format=ox.RdfFormat.N_TRIPLES) if bulk else list(answer)
        except (OSError, UnicodeDecodeError, RuntimeError) as exc:
            raise InputError(shown, f"cannot read this derivation: {exc}") from exc
        except SyntaxError as exc:
            raise InputError(shown, f"SPARQL error in this derivation: {_clean_message(str(exc))}") from exc
        if bulk:
            store.bulk_load(input=triples, format=ox.RdfFormat.N_TRIPLES, to_graph=derived_graph)
        else:
            write([ox.Quad(t.subject, t.predicate, t.object, derived_graph) for t in triples])
