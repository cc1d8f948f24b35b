"""Presenting query results: the W3C SPARQL results formats, and readable tables.

Machine formats are written by pyoxigraph's serializers, so they follow the W3C
recommendations exactly: SPARQL 1.1 Query Results JSON (``application/sparql-results+json``),
XML (``application/sparql-results+xml``), CSV (``text/csv``) and TSV
(``text/tab-separated-values``). The table (rich) shows each IRI with its label in the chosen
language beside its prefixed name.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from relgraph.namespaces import RDFS_LABEL, SKOS_PREFLABEL, XSD

__all__ = [
    "RESULT_FORMATS",
    "EMPTY_NOTICE",
    "ASK_NO_NOTICE",
    "serialize_solutions",
    "solutions_from_rows",
    "count_solutions",
    "labels_for",
    "iris_in",
]

RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
"""SPARQL results formats by their ``--format`` name."""


EMPTY_NOTICE = (
    "No matching facts are recorded in the graph. This is an absence of recorded facts, "
    "not a negative answer."
)
ASK_NO_NOTICE = "Nothing matching is recorded in the graph: an absence of recorded facts, not proof that the answer is no."


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
        quads.append(ox.Quad(node, index, ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))))
        quads.extend(ox.Quad(node, predicate, term) for predicate, term in zip(predicates, row) if term is not None)
    store.extend(quads)
    optionals = " ".join(f"OPTIONAL {{ ?{row_var} {p} ?{v} }}" for p, v in zip(predicates, variables))
    projection = " ".join(f"?{v}" for v in variables)
    return store.query(f"SELECT {projection} WHERE {{ ?{row_var} {index} ?{index_var} {optionals} }} ORDER BY ?{index_var}")


def count_solutions(data: bytes, fmt: str) -> int:
    """Count the solutions of serialized SELECT results.

    Args:
        data: Results serialized by :func:`serialize_solutions`.
        fmt: Their format name.

    Returns:
        The number of solutions.
    """
    if fmt == "csv":  # the CSV results format is lossy and pyoxigraph does not parse it

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


