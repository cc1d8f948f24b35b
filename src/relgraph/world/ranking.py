"""Ranking the data sets' claims against the hand-written, sourced claims of ``graph/*.ttl`` and
of the curated claim tables (``graph/tables/*.csv`` that the import does not write, such as
``un-memberships.csv``: sourced claims kept as tables because there are many of one kind).

A data-set membership claim and a sourced claim about the same member and organisation over
overlapping periods are both kept. Where the sourced claim is day-precise (an ``xsd:date``
start), it is the better one: it is ``wikibase:PreferredRank`` in its file, and the data-set
claim names it with ``rg:disputedBy``, so that answers use the sourced claim by default
(``queries/derive/best-rank.rq``) and ``--all-claims`` shows both. A test checks that every claim
a table names this way is preferred.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from relgraph.graph.parsing import parse_turtle
from relgraph.graph.tables import parse_table
from relgraph.world.schema import TABLES
from relgraph.namespaces import RDF_TYPE, RG, RGID, XSD

__all__ = ["SourcedMembership", "sourced_memberships", "dispute", "named_disputes", "apply_named_disputes"]

_ORG = "http://www.w3.org/ns/org#"


@dataclass(frozen=True)
class SourcedMembership:
    """A hand-written membership claim with a day-precise start."""

    claim: str  # local name under rgid:
    member: str
    organisation: str
    first_year: int
    last_year: int | None  # None: open


def _curated_triples(graph_dir: Path) -> Iterable[ox.Triple]:
    """The triples of the curated claim tables: ``graph/tables/*.csv`` other than the import's."""
    for path in sorted((graph_dir / "tables").glob("*.csv")):
        if path.stem not in TABLES:
            yield from parse_table(path, "urn:relgraph:ranking", f"graph/tables/{path.name}").parsed.triples


def sourced_memberships(graph_dir: Path) -> list[SourcedMembership]:
    """The hand-written membership claims of ``graph/*.ttl`` and of the curated claim tables that
    start on a day.

    Args:
        graph_dir: The root's ``graph/`` folder.

    Returns:
        The claims, sorted by IRI.

    Raises:
        InputError: A file is not valid Turtle, or a curated table is malformed (table, line and
            column named).
    """
    by_subject: dict[str, dict[str, list[ox.Term]]] = {}
    triples = [t for path in sorted(graph_dir.glob("*.ttl")) for t in parse_turtle(path, "urn:relgraph:ranking").triples]
    for t in [*triples, *_curated_triples(graph_dir)]:
        if isinstance(t.subject, ox.NamedNode):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)
    found = []
    for subject, values in sorted(by_subject.items()):
        if ox.NamedNode(RG.Membership) not in values.get(RDF_TYPE, []) or not subject.startswith(RGID):
            continue
        if values.get(RG.disputedBy):  # a claim another sourced claim disputes ranks no data-set claim
            continue
        starts = [v for v in values.get(RG.start, []) if isinstance(v, ox.Literal) and v.datatype.value == XSD + "date"]
        members, organisations = values.get(_ORG + "member", []), values.get(_ORG + "organization", [])
        if len(starts) != 1 or len(members) != 1 or len(organisations) != 1:
            continue
        ends = values.get(RG.end, [])
        found.append(SourcedMembership(subject[len(RGID):], members[0].value[len(RGID):], organisations[0].value[len(RGID):], int(starts[0].value[:4]), int(ends[0].value[:4]) if ends else None))
    return found


def dispute(rows: Iterable[Mapping[str, str]], sourced: Iterable[SourcedMembership]) -> list[dict[str, str]]:
    """Give each data-set membership row the sourced claims that dispute it.

    Args:
        rows: Membership rows (``member``, ``organisation`` as ``rgid:`` names; ``start`` and
            ``end`` as the data set gives them, from a year on).
        sourced: The hand-written, day-precise claims.

    Returns:
        The rows, with ``disputed_by`` set (``rgid:`` names separated by ``|``) where a sourced
        claim about the same member and organisation overlaps the row's years.
    """
    index: dict[tuple[str, str], list[SourcedMembership]] = {}
    for claim in sourced:
        index.setdefault((claim.member, claim.organisation), []).append(claim)
    out = []
    for row in rows:
        row = dict(row)
        candidates = index.get((row["member"].removeprefix("rgid:"), row["organisation"].removeprefix("rgid:")), [])
        first, last = int(row["start"][:4]), int(row["end"][:4]) if row.get("end") else None
        better = [
            c.claim for c in candidates
            if (last is None or c.first_year <= last) and (c.last_year is None or first <= c.last_year)
        ]
        if better:
            row["disputed_by"] = "|".join(f"rgid:{c}" for c in sorted(better))
        out.append(row)
    return out


def named_disputes(graph_dir: Path) -> dict[str, list[str]]:
    """The data-set claims that the curated tables' claims dispute by name (``I rg:disputes``).

    A sourced claim disputes data-set claims about *another* entity where the two name one
    membership differently: the UN list's "China, 24 October 1945" is one Member, whose seat the
    Republic of China's government held until 1971, while COW IGO v3 codes that seat as Taiwan's
    (713) from 1949; the curated claim names such claims with ``rg:disputes``, and the import
    writes the inverse, ``rg:disputedBy``, onto them (the direction the rest of ``graph/`` uses).

    Args:
        graph_dir: The root's ``graph/`` folder.

    Returns:
        Disputed claim (``rgid:`` name) → the curated claims that dispute it, sorted.

    Raises:
        InputError: As :func:`sourced_memberships`.
    """
    found: dict[str, set[str]] = {}
    for t in _curated_triples(graph_dir):
        if t.predicate.value == RG.disputes and isinstance(t.object, ox.NamedNode) and isinstance(t.subject, ox.NamedNode):
            found.setdefault("rgid:" + t.object.value.removeprefix(RGID), set()).add("rgid:" + t.subject.value.removeprefix(RGID))
    return {k: sorted(v) for k, v in found.items()}


def apply_named_disputes(rows: Iterable[Mapping[str, str]], disputes: Mapping[str, list[str]]) -> list[dict[str, str]]:
    """Add the claims of :func:`named_disputes` to the ``disputed_by`` cells of the rows they name.

    Args:
        rows: Claim rows of a table (``id`` and ``disputed_by`` columns).
        disputes: As :func:`named_disputes` returns.

    Returns:
        The rows, with ``disputed_by`` extended (``|``-separated, sorted, without repeats).
    """
    out = []
    for row in rows:
        row = dict(row)
        extra = disputes.get(row["id"], [])
        if extra:
            current = [c for c in row.get("disputed_by", "").split("|") if c]
            row["disputed_by"] = "|".join(sorted({*current, *extra}))
        out.append(row)
    return out
