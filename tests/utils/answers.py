"""Answers to every stored query, locally and from an endpoint, in a form that compares across stores.

Each stored query runs with the example values of its parameters (from its header), for the
tests' fixed day. Rows are compared as multisets of canonical RDF terms
(:func:`relgraph.remote.endpoint.canonical_rows`: literals in canonical form, language tags lower-case,
blank nodes alike, ``iri-list`` cells as sets); CONSTRUCT answers as sorted canonical triples.
"""

from __future__ import annotations

import pyoxigraph as ox

from tests.conftest import REPO, TODAY, nonempty
from relgraph.query import binding as stored
from relgraph.query.catalogue import load_catalogue
from relgraph.remote.endpoint import canonical_rows, canonical_term

CATALOGUE = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
DAY = stored.parse_date(TODAY, "TODAY ")


def cases() -> list[str]:
    """The names of every stored query (a collection that is never empty)."""
    return nonempty(sorted(CATALOGUE))


def example_params(name: str) -> dict[str, str]:
    """The example value of each parameter of a stored query."""
    return {p.name: p.example for p in CATALOGUE[name].parameters}


def comparable(name: str, answer) -> tuple:
    """An answer (solutions or triples) as ``(variables, canonical rows)`` or ``("triples", sorted)``."""
    query = CATALOGUE[name]
    if isinstance(answer, ox.QueryTriples) or isinstance(answer, list):
        # an RDF graph is a set of triples: CONSTRUCT may give a triple more than once
        return ("triples", sorted({tuple(canonical_term(x) for x in (t.subject, t.predicate, t.object)) for t in answer}))
    variables = [v.value for v in answer.variables]
    lists = [c.name for c in query.columns if c.kind == "iri-list"]
    return (tuple(variables), canonical_rows(variables, list(answer), lists))


def run_on(target, name: str) -> tuple:
    """Run a stored query with its example parameters on a store or an :class:`relgraph.remote.endpoint.Endpoint`."""
    query = CATALOGUE[name]
    answer = stored.run(target, query, example_params(name), DAY if query.time_aware else None)
    return comparable(name, answer)


def case_period(case: dict) -> tuple:
    """The period a fixture case asks for (its ``from`` and ``to`` keys, ``YYYY-MM-DD``), as
    :func:`relgraph.query.binding.bind` takes it; open on a side the case does not name."""
    import datetime as dt

    return tuple(dt.date.fromisoformat(case[key]) if key in case else None for key in ("from", "to"))
