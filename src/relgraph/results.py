"""Presenting query results: the W3C SPARQL results formats, and readable tables.

Machine formats are written by pyoxigraph's serializers, so they follow the W3C
recommendations exactly: SPARQL 1.1 Query Results JSON (``application/sparql-results+json``),
XML (``application/sparql-results+xml``), CSV (``text/csv``) and TSV
(``text/tab-separated-values``). The table (rich) shows each IRI with its label in the chosen
language beside its prefixed name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from relgraph.namespaces import PREFIXES, RDFS_LABEL, SKOS_PREFLABEL, compact

__all__ = [
    "RESULT_FORMATS",
    "RDF_FORMATS",
    "EMPTY_NOTICE",
    "ASK_NO_NOTICE",
    "MAX_TABLE_ROWS",
    "printable",
    "serialize_solutions",
    "serialize_triples",
    "solutions_from_rows",
    "used_prefixes",
    "count_solutions",
    "labels_for",
    "iris_in",
    "render_table",
]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""SPARQL results formats by their ``--format`` name."""

RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
"""RDF serializations by their ``--format`` name (``rdfxml`` is RDF/XML; ``xml`` names the
SPARQL XML results format)."""

EMPTY_NOTICE = (
    "No matching facts are recorded in the graph. This is an absence of recorded facts, "
    "not a negative answer."
)
ASK_NO_NOTICE = "Nothing matching is recorded in the graph: an absence of recorded facts, not proof that the answer is no."
MAX_TABLE_ROWS = 5000
"""Tables show at most this many rows; machine formats show all."""


def serialize_solutions(solutions: ox.QuerySolutions | ox.QueryBoolean, fmt: str) -> bytes:
    """Serialize SELECT solutions or an ASK answer in a W3C SPARQL results format.

    Args:
        solutions: What ``Store.query`` returned for a SELECT or ASK query.
        fmt: ``json``, ``xml``, ``csv`` or ``tsv``.

    Returns:
        The serialized results (UTF-8).
    """
    return solutions.serialize(format=RESULT_FORMATS[fmt])


def solutions_from_rows(variables: Sequence[str], rows: Sequence[Sequence[ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple | None]]) -> ox.QuerySolutions:
    """Make pyoxigraph solutions from rows of terms, in their order, so its serializers can write them.

    Used for one page of a larger answer, or for pages fetched from a remote endpoint and joined.
    The rows are stored in a throwaway in-memory store and read back with one SELECT ordered by
    row number, so every term (blank nodes and RDF 1.2 triple terms included) is written by
    pyoxigraph's own serializers.

    Args:
        variables: The variable names, without ``?``, in the order of the results header.
        rows: One sequence of terms per solution, aligned with *variables*; ``None`` for unbound.

    Returns:
        Solutions with exactly these variables and rows.
    """
    if not variables:
        return ox.Store().query("SELECT * WHERE { VALUES () { " + "() " * len(rows) + "} }")
    row_var, index_var = "relgraphRow", "relgraphIndex"
    while row_var in variables or index_var in variables:
        row_var, index_var = row_var + "_", index_var + "_"
    store = ox.Store()
    index = ox.NamedNode("urn:relgraph:row-index")
    predicates = [ox.NamedNode(f"urn:relgraph:column:{i}") for i in range(len(variables))]
    quads = []
    for number, row in enumerate(rows):
        node = ox.NamedNode(f"urn:relgraph:row:{number}")
        quads.append(ox.Quad(node, index, ox.Literal(str(number), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
        quads.extend(ox.Quad(node, predicate, term) for predicate, term in zip(predicates, row) if term is not None)
    store.extend(quads)
    optionals = " ".join(f"OPTIONAL {{ ?{row_var} {p} ?{v} }}" for p, v in zip(predicates, variables))
    projection = " ".join(f"?{v}" for v in variables)
    return store.query(f"SELECT {projection} WHERE {{ ?{row_var} {index} ?{index_var} {optionals} }} ORDER BY ?{index_var}")


def serialize_triples(triples: Sequence[ox.Triple], fmt: str, language_tags: Mapping[str, str] | None = None) -> bytes:
    """Serialize triples, declaring only the prefixes of :data:`PREFIXES` that they use.

    Args:
        triples: The triples, with literals as they should be written.
        fmt: ``turtle``, ``nt``, ``json-ld`` or ``rdfxml``.
        language_tags: Language tags to write as the files wrote them, lower case → written
            (:mod:`relgraph.langtags`); pyoxigraph alone writes them in lower case.

    Returns:
        The serialization, UTF-8 (empty for no triples in N-Triples).

    Raises:
        relgraph.errors.ExportError: RDF/XML cannot hold the triples (:mod:`relgraph.rdfxml`).
    """
    from relgraph.langtags import serialize

    if fmt == "rdfxml":
        from relgraph import rdfxml

        triples = list(triples)
        rdfxml.check_writable(triples)
        data = serialize(triples, RDF_FORMATS[fmt], language_tags or {}, prefixes=used_prefixes(triples))
        rdfxml.check_round_trip(data, triples)
        return data
    if fmt == "nt":  # N-Triples has no prefixes: no pass over the triples to find them
        return serialize(triples, RDF_FORMATS[fmt], language_tags or {})
    return serialize(triples, RDF_FORMATS[fmt], language_tags or {}, prefixes=used_prefixes(triples))


def used_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """The prefixes of :data:`PREFIXES` whose namespaces the triples use.

    Args:
        triples: Triples.

    Returns:
        Prefix → namespace IRI.
    """
    wanted = dict(PREFIXES)
    used: dict[str, str] = {}
    for triple in triples:  # one pass, ending once every prefix is found
        for prefix, namespace in list(wanted.items()):
            if _uses(triple, namespace):
                used[prefix] = wanted.pop(prefix)
        if not wanted:
            break
    return {p: used[p] for p in PREFIXES if p in used}


def _uses(triple: ox.Triple, namespace: str) -> bool:
    terms = (triple.subject, triple.predicate, triple.object)
    if any(isinstance(term, ox.NamedNode) and term.value.startswith(namespace) for term in terms):
        return True
    return isinstance(triple.object, ox.Literal) and triple.object.datatype.value.startswith(namespace)


def count_solutions(data: bytes, fmt: str) -> int:
    """Count the solutions of serialized SELECT results.

    Args:
        data: Results serialized by :func:`serialize_solutions`.
        fmt: Their format name.

    Returns:
        The number of solutions.
    """
    if fmt == "csv":  # the CSV results format is lossy and pyoxigraph does not parse it
        import csv
        import io

        return max(0, sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8")))) - 1)
    parsed = ox.parse_query_results(data, format=RESULT_FORMATS[fmt])
    return sum(1 for _ in parsed)


def labels_for(store: ox.Store, iris: Iterable[str], lang: str = "en") -> dict[str, str]:
    """Look up the labels of IRIs in one language, falling back to English.

    Args:
        store: The loaded query store.
        iris: IRIs to label.
        lang: The preferred language tag (``en`` or ``ru``).

    Returns:
        IRI → label (``rdfs:label`` or ``skos:prefLabel``), for the IRIs that have one.
    """
    wanted = sorted({i for i in iris if i and "<" not in i and ">" not in i and " " not in i})
    if not wanted:
        return {}
    values = " ".join(f"<{i}>" for i in wanted)
    query = f"""SELECT ?x ?label WHERE {{
        VALUES ?x {{ {values} }}
        ?x <{RDFS_LABEL}>|<{SKOS_PREFLABEL}> ?label .
        FILTER (LANGMATCHES(LANG(?label), "{lang}") || LANGMATCHES(LANG(?label), "en"))
    }}"""
    labels: dict[str, str] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        iri = row["x"].value
        label = row["label"]
        if (label.language or "").lower().startswith(lang) or iri not in labels:
            labels[iri] = label.value
    return labels


def iris_in(rows: Iterable[Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]], list_columns: set[str]) -> set[str]:
    """Collect the IRIs that a table of rows shows, including those inside IRI-list columns.

    Args:
        rows: Rows as variable name → term (or ``None``).
        list_columns: Names of columns holding space-separated IRIs in one literal.

    Returns:
        The IRIs.
    """
    found: set[str] = set()
    for row in rows:
        for name, term in row.items():
            if isinstance(term, ox.NamedNode):
                found.add(term.value)
            elif isinstance(term, ox.Literal) and name in list_columns:
                found.update(term.value.split())
    return found


def _cell(term, kind: str, labels: Mapping[str, str], column: str = "") -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        return f"{label} ({compact(term.value)})" if label else compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # an RDF 1.2 triple term
        return "<< " + " ".join(_cell(t, "", labels) if not isinstance(t, ox.Literal) else str(t) for t in (term.subject, term.predicate, term.object)) + " >>"
    if kind == "iri-list":
        return "\n".join(_cell(ox.NamedNode(i), "iri", labels) for i in term.value.split())
    if kind == "date" and column in ("unconfirmed_after", "unconfirmed_before"):
        return f"{column.replace('_', ' ')} {term.value}"
    if kind == "number":
        whole, dot, fraction = term.value.partition(".")
        if whole.lstrip("+-").isdigit():
            sign = "-" if whole.startswith("-") else ""
            return f"{sign}{int(whole.lstrip('+-')):,}{dot}{fraction}"
    return term.value


def render_table(
    console,
    variables: Sequence[str],
    rows: Sequence[Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]],
    labels: Mapping[str, str],
    kinds: Mapping[str, str] | None = None,
    title: str | None = None,
    group: str | None = None,
) -> None:
    """Print rows of RDF terms for people, laid out by :func:`relgraph.tables.print_table`.

    IRIs are shown with their label beside their prefixed name. The IRIs of ``iri-list``
    columns (a claim's sources, what disputes it) are numbered once per table: the cell holds
    their numbers (``[1] [2]``) and the numbered IRIs, each with its label, are listed under
    the table. The table fits the console's width; a table that cannot fit without breaking
    words is printed as one record per row.

    Args:
        console: A ``rich.console.Console`` to print to (:func:`relgraph.tables.make_console`).
        variables: Column names, in order (any names: nothing here depends on which).
        rows: Rows as variable name → term (``None`` for unbound).
        labels: IRI → label, shown beside each IRI.
        kinds: Column name → kind from the query header: ``iri-list`` columns (space-separated
            IRIs) are numbered references; ``number`` columns get thousands separators and are
            right-aligned.
        title: A title printed above the table.
        group: A column shown once as a heading over the consecutive rows that share its value
            (``describe`` groups by node).
    """
    from relgraph.tables import print_table

    kinds = kinds or {}
    numbers: dict[str, int] = {}
    referring: list[str] = []

    def cell(name: str, term) -> str:
        kind = kinds.get(name, "")
        if kind == "iri-list" and isinstance(term, ox.Literal):
            marks = []
            for iri in term.value.split():
                marks.append(f"[{numbers.setdefault(iri, len(numbers) + 1)}]")
            if marks and name not in referring:
                referring.append(name)
            return " ".join(marks)
        return printable(_cell(term, kind, labels, name))

    shown = rows[:MAX_TABLE_ROWS]
    cells = [[cell(name, row.get(name)) for name in variables] for row in shown]
    references = [(f"[{n}]", printable(_listed(iri, labels))) for iri, n in numbers.items()]
    print_table(
        console,
        [printable(name) for name in variables],
        cells,
        title=printable(title) if title else None,
        right={printable(n) for n in variables if kinds.get(n) == "number"},
        group=list(variables).index(group) if group is not None else None,
        references=references,
        references_title=f"[n] in {', '.join(referring)}:",
    )
    if len(rows) > len(shown):
        from rich.text import Text

        console.print(Text(f"… and {len(rows) - len(shown)} more rows; use --format csv, tsv, json or xml for all of them."))


def _listed(iri: str, labels: Mapping[str, str]) -> str:
    try:
        return _cell(ox.NamedNode(iri), "iri", labels)
    except ValueError:  # not an IRI after all (a list column of one's own query)
        return iri


def printable(text: str) -> str:
    """Show control characters (escape sequences a terminal would obey) as visible escapes.

    Args:
        text: Any text from the data.

    Returns:
        The text with every non-printable character except the line feed written ``\\xNN`` or
        ``\\uNNNN``.
    """
    return "".join(c if c == "\n" or c.isprintable() else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}") for c in text)
