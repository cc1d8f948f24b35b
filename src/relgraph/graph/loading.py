"""Loading the ontology, the facts and the shapes into memory (:mod:`relgraph.graph.store` bulk-loads
large files into on-disk stores).

Files are parsed by :mod:`relgraph.graph.parsing`, which keeps every literal exactly as written
(a pyoxigraph ``Store`` canonicalises numbers, so exports read the parsed quads; a store records
the written forms it changes, :func:`lexical_forms`). Each file becomes one named graph:

- ``https://w3id.org/relgraph/graph/ontology/<stem>`` for ``ontology/*.ttl``;
- ``https://w3id.org/relgraph/graph/facts/<stem>`` for ``graph/*.ttl`` of the root;
- the file's own ``file:`` IRI for any other facts file (``relgraph validate PATH``);
- ``https://w3id.org/relgraph/graph/derived`` for what relgraph derives at load time.

Derived at load time, never written in ``graph/``:

- the earliest and latest days (``xsd:date``) of every date value, for each temporal property
  that the ontology annotates with ``rg:earliestBoundOf`` / ``rg:latestBoundOf``
  (:mod:`relgraph.graph.dates` gives the rule);
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
from relgraph.graph.dates import DATE_DATATYPES, bounds
from relgraph.graph.inference import infer as entail
from relgraph.graph.langtags import tag_quads
from relgraph.graph.parsing import Location, ParsedFile, locate_node, parse_turtle, parser_message, resolved
from relgraph.graph.tables import check_references, parse_table
from relgraph.namespaces import GRAPH_BASE, RDF, RDF_REIFIES, RG, XSD
from relgraph.paths import Layout
from relgraph.sparqltext import checked_text

__all__ = [
    "ONTOLOGY_GRAPH_BASE",
    "FACTS_GRAPH_BASE",
    "DERIVED_GRAPH",
    "INFERRED_GRAPH",
    "lexical_forms",
    "written_forms",
    "as_written",
    "is_derivation_only",
    "LoadedGraph",
    "load",
    "load_shapes",
    "bound_properties",
    "derive",
]

ONTOLOGY_GRAPH_BASE = GRAPH_BASE + "ontology/"
FACTS_GRAPH_BASE = GRAPH_BASE + "facts/"
DERIVED_GRAPH = GRAPH_BASE + "derived"
INFERRED_GRAPH = GRAPH_BASE + "inferred"

_XSD_DATE = ox.NamedNode(XSD + "date")


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
            The tags, for :func:`relgraph.graph.langtags.serialize`.
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


def _parse_many(paths: Iterable[tuple[Path, str]], layout: Layout) -> list[ParsedFile]:
    return [parse_turtle(p, g, layout.display(p)) for p, g in paths]


def load(layout: Layout, extra_files: Sequence[Path] = (), *, include_root_facts: bool = True, infer: str = "none") -> LoadedGraph:
    """Load the ontology and facts of a root into a query store, with derived triples.

    Args:
        layout: The root.
        extra_files: Further facts files to load with them (for ``relgraph validate PATH``).
            A file that is one of the root's own ``graph/`` files is loaded once.
        include_root_facts: Load the root's ``graph/*.ttl`` and claim tables ``graph/tables/*.csv``
            (:mod:`relgraph.graph.tables`; ``False`` for ``--standalone``).
        infer: ``rdfs`` or ``owl-rl`` to add what they entail (:mod:`relgraph.graph.inference`) to the
            named graph ``https://w3id.org/relgraph/graph/inferred``; ``none`` by default.

    Returns:
        The loaded graph.

    Raises:
        InputError: A file cannot be read or is not valid Turtle; a claim table has a bad row
            or names something the graph does not hold (table, line and column).
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
    tables = [parse_table(p, FACTS_GRAPH_BASE + "tables/" + p.stem, layout.display(p)) for p in (layout.table_files() if include_root_facts else [])]
    facts += [t.parsed for t in tables]
    store = ox.Store()
    for parsed in (*ontology, *facts):
        store.extend(parsed.quads())
    check_references(tables, store)
    loaded = LoadedGraph(layout=layout, ontology=ontology, facts=facts, store=store)
    derive(store, layout)
    store.extend(lexical_forms(t for parsed in facts for t in parsed.triples))
    store.extend(tag_quads(loaded.language_tags(), DERIVED_GRAPH))
    if infer != "none":
        inferred = ox.NamedNode(INFERRED_GRAPH)
        store.extend(ox.Quad(t.subject, t.predicate, t.object, inferred) for t in entail(loaded.triples(), infer))
    return loaded


_RDF_REIFIES = ox.NamedNode(RDF_REIFIES)
_WRITTEN_FORM = ox.NamedNode(RG.writtenForm)
_PLAIN = {XSD + "string", RDF + "langString", XSD + "anyURI"}
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


def bound_properties(store: ox.Store) -> dict[str, tuple[str | None, str | None]]:
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
    (:func:`relgraph.graph.dates.bounds`); then the triples of each CONSTRUCT query in
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

    for base, (earliest, latest) in bound_properties(store).items():
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
            raise InputError(shown, f"SPARQL error in this derivation: {parser_message(str(exc))}") from exc
        if bulk:
            store.bulk_load(input=triples, format=ox.RdfFormat.N_TRIPLES, to_graph=derived_graph)
        else:
            write([ox.Quad(t.subject, t.predicate, t.object, derived_graph) for t in triples])
