#!/usr/bin/env python3
"""Generate a synthetic, world-scale graph of international relations for benchmarking relgraph.

The graph is modelled exactly as ``graph/*.ttl`` models the real facts, and conforms to the
shapes in ``ontology/shapes/`` and the quality checks in ``queries/qc/``: IRI-named claims with a
``wikibase:rank`` and ``prov:wasDerivedFrom`` sources, values from the SKOS schemes of
``ontology/schemes.ttl``, dates as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear``, no blank
nodes. Everything is invented and labelled as such ("Synthetic state 17"); every IRI lies under
``https://w3id.org/relgraph/id/synthetic/`` but the COW state system's, which the synthetic
states belong to. The data cover 1945 to :data:`AS_OF`.

What it holds:

- 200 states with ISO 3166-1 codes of the right form (alpha-3 codes in the user-assigned range
  ``XAA``–``XZZ``; alpha-2 codes are synthetic and may coincide with assigned ones), synthetic
  COW codes (2–201) and membership of the COW state system from independence, and 60
  intergovernmental bodies (organisations, military alliances, courts, forums), with founding
  treaties and foundings;
- memberships of states in them (founding member, member, observer; some ended, some known
  only at a point in time), and a few non-memberships;
- diplomatic relations between pairs of states, with protocols, embassies and their openings,
  bilateral relations and cooperation; ambassadors' postings;
- bilateral and multilateral treaties with consistently dated treaty actions (signature before
  consent to be bound, dates of effect, entry into force, withdrawals and denunciations);
- military presence (operator, host, base, agreement, valid until), remittance and migration
  statistics, dual-citizenship policies, meetings of heads of state and summits;
- wars between two to four states with their belligerents' sides, initiators and outcomes, as
  the COW import models them;
- incidents (attacks, arrests, arrest warrants, border incidents, invasions, annexations) with
  participants in roles, GDELT-style: the bulk of the data at large sizes.

About 2% of claims have a rival: the same fact from another source with another value, ranked
normal or deprecated and ``rg:disputedBy`` the preferred claim.

States and organisations are fixed; memberships are fixed once the target passes about 100,000
triples; everything else grows with the target, incidents taking what is left, so the real count
is within a few triples of it. Output is streamed (memory does not grow with the target):
Turtle by default, N-Triples for ``*.nt``, gzip-compressed for ``*.gz``, written atomically. The
same seed and target give byte-identical output.

Beside the output, ``<FILE>.params.json`` (the manifest) names the real triple count, the seed
and, for every stored query in ``queries/*.rq``, parameter values (full IRIs) and, for
time-aware queries, an ``as_of`` day, under which the query has a non-empty answer.

Usage::

    python benchmarks/generate.py --triples 1000000 --seed 1 --out world.ttl.gz

Standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import gzip
import json
import math
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

__all__ = ["AS_OF", "MIN_TRIPLES", "Manifest", "generate", "main", "stored_queries"]

SYN = "https://w3id.org/relgraph/id/synthetic/"
"""The namespace of every generated node (but :data:`STATE_SYSTEM`)."""

STATE_SYSTEM = "<https://w3id.org/relgraph/id/state-system-cow>"
"""The COW state system's IRI, which relgraph's tables read the rows' states from: the synthetic
states are its members (with synthetic COW codes)."""

PREFIXES = {
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rg": "https://w3id.org/relgraph/ontology#",
    "rgv": "https://w3id.org/relgraph/vocab/",
    "prov": "http://www.w3.org/ns/prov#",
    "wikibase": "http://wikiba.se/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "syn": SYN,
}
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"

AS_OF = dt.date(2025, 6, 30)
"""The last day the data cover, and the day time-aware queries are asked for in the manifest."""

MIN_TRIPLES = 8000
"""The smallest target: the fixed part (states, bodies, foundings, the memberships and other facts
the manifest names, the states' membership of the state system) takes 5,000 to 6,500 triples."""

TOLERANCE = 0.03
"""The largest relative difference allowed between the real triple count and the target."""

N_STATES = 200
N_REGIONS = 8
N_ORGANISATIONS = 60
N_PUBLISHERS = 12
N_ARMED_GROUPS = 40
N_WARS = 20
N_TERMS = 30  # five-year terms of heads of state from 1940 on
RIVAL_RATE = 0.02

_START = dt.date(1945, 1, 1).toordinal()
_INCIDENTS_FROM = dt.date(1979, 1, 1).toordinal()
_LAST_START = dt.date(2024, 12, 31).toordinal()  # the last day a long-running claim begins
_END = AS_OF.toordinal()

NORMAL = "wikibase:NormalRank"
PREFERRED = "wikibase:PreferredRank"
DEPRECATED = "wikibase:DeprecatedRank"

_CORE = 3500
"""About how many triples the fixed part takes: publishers, states, bodies and their foundings."""

# Shares of the target, in triples: memberships get their share of the target beyond _CORE;
# each other family that grows with the target gets its share of what is left after the fixed
# part and the memberships; incidents take the rest.
_SHARES = {
    "memberships": 0.20,  # at most the full membership plan (about 20,000 triples)
    "diplomatic_relations": 0.07,
    "postings": 0.07,
    "bilateral_treaties": 0.05,
    "multilateral_treaties": 0.06,
    "military_presence": 0.015,
    "observations": 0.04,
    "policies": 0.003,
    "meetings": 0.05,
}

# (IRI suffix, label) of the organs a state gets when something names them.
_ORGANS = (
    ("parliament", "Parliament"),
    ("security-service", "Security service"),
    ("ministry-of-foreign-affairs", "Ministry of foreign affairs"),
)
_ORGAN_INDEX = {suffix: index for index, (suffix, _) in enumerate(_ORGANS)}

# Kinds of intergovernmental body by index range: (last index + 1, class, noun).
_BODY_KINDS = (
    (3, "rg:InternationalOrganisation", "organisation"),  # universal
    (6, "rg:InternationalCourt", "court"),
    (12, "rg:MilitaryAlliance", "military alliance"),
    (17, "rg:InternationalForum", "forum"),
    (N_ORGANISATIONS, "rg:InternationalOrganisation", "organisation"),  # regional
)
_SUCCESSORS = {12: 17, 13: 18}  # forum → the organisation it became


# --------------------------------------------------------------------------------------------
# Terms


def _en(text: str) -> str:
    return f'"{text}"@en'


def _date(ordinal: int, precision: int = 0) -> str:
    """A date literal: precision 0 is an ``xsd:date``, 1 an ``xsd:gYearMonth``, 2 an ``xsd:gYear``."""
    text = dt.date.fromordinal(ordinal).isoformat()
    if precision == 0:
        return f'"{text}"^^xsd:date'
    if precision == 1:
        return f'"{text[:7]}"^^xsd:gYearMonth'
    return f'"{text[:4]}"^^xsd:gYear'


def _decimal(text: str) -> str:
    return f'"{text}"^^xsd:decimal'


def _count(n: int) -> str:
    return f'"{n}"^^xsd:nonNegativeInteger'


def _state(s: int) -> str:
    return f"syn:state-{s + 1:03d}"


def _state_name(s: int) -> str:
    return f"synthetic state {s + 1}"


def _body(j: int) -> str:
    return f"syn:organisation-{j + 1:03d}"


def _further_source(pairs: list) -> str | None:
    """The source a claim's statements already name, if any."""
    return next((o for p, o in pairs if p == "prov:wasDerivedFrom"), None)


def _ntriples_term(term: str) -> str:
    """Turn a term written as in the Turtle output into N-Triples."""
    if term[0] == '"':
        marker = term.rfind('"^^')
        if marker == -1:
            return term
        return term[: marker + 3] + _ntriples_term(term[marker + 3 :])
    if term[0] == "<":
        return term
    if term == "a":
        return RDF_TYPE
    prefix, _, local = term.partition(":")
    return f"<{PREFIXES[prefix]}{local}>"


# --------------------------------------------------------------------------------------------
# Output


class _Writer:
    """Streams one block per subject to a binary stream, as Turtle or N-Triples, counting triples.

    A block is a subject and a list of ``(predicate, object)`` pairs, the object one term or a
    list of terms, all written as in Turtle (prefixed names, ``a``, ``"…"@en``,
    ``"…"^^xsd:date``).
    """

    def __init__(self, stream: BinaryIO, ntriples: bool) -> None:
        self.count = 0
        self._stream = stream
        self._ntriples = ntriples
        self._chunks: list[str] = []
        self._predicates: dict[str, str] = {}

    def header(self, comment: str) -> None:
        """Write a comment line and, for Turtle, the prefixes."""
        text = f"# {comment}\n"
        if not self._ntriples:
            text += "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in PREFIXES.items())
        self._chunks.append(text + "\n")

    def block(self, subject: str, pairs: list[tuple[str, str | list[str]]]) -> None:
        """Write all statements about *subject*."""
        if self._ntriples:
            s = _ntriples_term(subject)
            lines = []
            for predicate, objects in pairs:
                p = self._predicates.get(predicate)
                if p is None:
                    p = self._predicates[predicate] = _ntriples_term(predicate)
                if isinstance(objects, str):
                    lines.append(f"{s} {p} {_ntriples_term(objects)} .\n")
                else:
                    lines.extend(f"{s} {p} {_ntriples_term(o)} .\n" for o in objects)
            self.count += len(lines)
            self._chunks.append("".join(lines))
        else:
            parts = []
            for predicate, objects in pairs:
                if isinstance(objects, str):
                    parts.append(f"{predicate} {objects}")
                    self.count += 1
                else:
                    parts.append(f"{predicate} {' , '.join(objects)}")
                    self.count += len(objects)
            self._chunks.append(subject + " " + " ;\n\t".join(parts) + " .\n\n")
        if len(self._chunks) >= 4096:
            self.flush()

    def flush(self) -> None:
        """Write what is buffered to the stream."""
        self._stream.write("".join(self._chunks).encode("utf-8"))
        self._chunks.clear()


# --------------------------------------------------------------------------------------------
# The plan of bodies and memberships (small: held in memory)


@dataclass
class _Membership:
    state: int
    role: str  # rgv:founding-member, rgv:member or rgv:observer
    start: int | None  # ordinal; None when only a point in time is known
    end: int | None = None
    point_year: int | None = None


@dataclass
class _Body:
    index: int
    cls: str
    noun: str
    founded: int
    regions: tuple[int, ...]  # empty: open to every state
    founding_treaty: bool
    predecessor: int | None = None
    members: list[_Membership] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Synthetic {self.noun} {self.index + 1}"


@dataclass(frozen=True)
class _Relation:
    a: int
    b: int
    start: int
    end: int | None


# --------------------------------------------------------------------------------------------
# The world


class _World:
    """Generates the graph section by section into a :class:`_Writer`.

    Entities that many claims name (sources, places, organs, heads of state, armed groups) are
    written the first time something names them; a bit array remembers which are written.
    """

    def __init__(self, target: int, seed: int, writer: _Writer) -> None:
        self.target = target
        self.rng = random.Random(seed)
        self.w = writer
        self.items: dict[str, int] = {}
        self.n_sources = min(5000, max(100, round(1.5 * math.sqrt(target))))
        self.n_cities = min(40, max(2, target // 25000 + 2))
        rng = self.rng
        days = sorted(_START + 365 + int((_END - _START - 365) * math.sqrt(rng.random())) for _ in range(self.n_sources - 1))
        self._source_days = [*days, _END]
        self._source_window = max(5, self.n_sources // 10)
        self._written = {
            "source": bytearray(self.n_sources),
            "part": bytearray(self.n_sources * 4),
            "place": bytearray(N_STATES * self.n_cities),
            "organ": bytearray(N_STATES * len(_ORGANS)),
            "position": bytearray(N_STATES),
            "term": bytearray(N_STATES * N_TERMS),
            "armed-group": bytearray(N_ARMED_GROUPS),
        }
        self.since: list[int] = []
        self.region: list[int] = []
        self._cumulative: list[float] = []
        self.bodies: list[_Body] = []
        self.relations: list[_Relation] = []
        self.a = self.b = 0
        self._keep = 1.0  # the share of planned memberships written
        self.focal: dict[str, object] = {}
        self._last_attack: dict[int, tuple[str, int]] = {}

    # ---- helpers ---------------------------------------------------------------------------

    def _next(self, kind: str) -> int:
        """Count one more item of *kind*; return its serial number (from 1)."""
        n = self.items.get(kind, 0) + 1
        self.items[kind] = n
        return n

    def _day(self, lo: int, hi: int, recent: float = 1.0) -> int:
        """A day between *lo* and *hi* (ordinals, inclusive; *lo* if *hi* is not after it);
        *recent* above 1 favours late days, below 1 early ones."""
        if hi <= lo:
            return lo
        u = self.rng.random()
        if recent != 1.0:
            u = u ** (1.0 / recent)
        return lo + int((hi - lo + 1) * u)

    def _precision(self, month: float = 0.1, year: float = 0.05) -> int:
        r = self.rng.random()
        return 0 if r >= month + year else 1 if r >= year else 2

    def _when(self, ordinal: int, month: float = 0.1, year: float = 0.05) -> str:
        """A date literal for the day, with the precision a source might give."""
        return _date(ordinal, self._precision(month, year))

    def _pick_state(self, *exclude: int) -> int:
        """A state, the more prominent ones more often."""
        while True:
            s = bisect.bisect_left(self._cumulative, self.rng.random() * self._cumulative[-1])
            if s not in exclude:
                return s

    def _claim(self, iri: str, cls: str, pairs: list, day: int, rank: str = NORMAL, source: str | None = None) -> None:
        """Write a claim: its class, rank, statements (which may name a further source) and a
        source dated on or after *day* (*source*, or one chosen here)."""
        if source is None:
            source = self.cite(day, avoid=_further_source(pairs))
        self.w.block(iri, [("a", cls), ("wikibase:rank", rank), *pairs, ("prov:wasDerivedFrom", source)])

    def _ranked(self, iri: str, cls: str, pairs: list, day: int, rival: list | None = None) -> None:
        """Write a claim; with *rival* (statements that replace some of *pairs*) and by chance,
        also a rival claim from another source, disputed by the first, which is preferred."""
        if rival is None or self.rng.random() >= RIVAL_RATE:
            self._claim(iri, cls, pairs, day)
            return
        source = self.cite(day, avoid=_further_source(pairs))
        self._claim(iri, cls, pairs, day, PREFERRED, source)
        replaced = {p for p, _ in rival} | {"prov:wasDerivedFrom"}
        rank = DEPRECATED if self.rng.random() < 0.25 else NORMAL
        kept = [(p, o) for p, o in pairs if p not in replaced]
        self._claim(f"{iri}-rival", cls, [*kept, *rival, ("rg:disputedBy", iri)], day, rank, self.cite(day, avoid=source))
        self._next("rival_claims")

    # ---- entities written when first named -------------------------------------------------

    def cite(self, day: int, avoid: str | None = None) -> str:
        """A source dated on or after *day* (ordinal), sometimes a section of one."""
        rng = self.rng
        n = self.n_sources
        lo = min(bisect.bisect_left(self._source_days, day), n - 1)
        hi = min(n, lo + self._source_window)
        i = lo + int(rng.random() * (hi - lo))
        iri = self._part(i, 1 + int(rng.random() * 4)) if rng.random() < 0.1 else self._source(i)
        if iri == avoid:
            iri = self._source(i - 1 if i == n - 1 else i + 1)
        return iri

    def _source(self, i: int) -> str:
        iri = f"syn:source-{i + 1:05d}"
        if not self._written["source"][i]:
            self._written["source"][i] = 1
            self._next("sources")
            self.w.block(iri, [
                ("a", "rg:Source"),
                ("rdfs:label", _en(f"Synthetic source {i + 1}")),
                ("dcterms:title", _en(f"Synthetic report {i + 1} on relations between synthetic states")),
                ("dcterms:publisher", f"syn:publisher-{i % N_PUBLISHERS + 1:02d}"),
                ("dcterms:date", self._when(self._source_days[i], 0.1, 0.05)),
                ("schema:url", f"<https://example.org/synthetic/source-{i + 1:05d}>"),
            ])
        return iri

    def _part(self, i: int, section: int) -> str:
        iri = f"syn:source-{i + 1:05d}-section-{section}"
        k = i * 4 + section - 1
        if not self._written["part"][k]:
            self._written["part"][k] = 1
            self.w.block(iri, [
                ("a", "rg:SourcePart"),
                ("rdfs:label", _en(f"Synthetic source {i + 1}, section {section}")),
                ("dcterms:isPartOf", self._source(i)),
                ("rg:locator", f'"section {section}"'),
            ])
        return iri

    def _place(self, s: int, k: int = 0) -> str:
        """City *k* of state *s*; city 0 is its capital."""
        iri = f"syn:state-{s + 1:03d}-city-{k + 1:02d}"
        i = s * self.n_cities + k
        if not self._written["place"][i]:
            self._written["place"][i] = 1
            self._next("places")
            label = f"Synthetic capital of {_state_name(s)}" if k == 0 else f"Synthetic city {k + 1} of {_state_name(s)}"
            self.w.block(iri, [("a", "rg:Place"), ("rdfs:label", _en(label)), ("prov:wasDerivedFrom", self.cite(self.since[s])), ("rg:country", _state(s))])
        return iri

    def _city(self, s: int) -> str:
        """The capital of state *s* or another of its cities."""
        return self._place(s, 0 if self.rng.random() < 0.3 else int(self.rng.random() * self.n_cities))

    def _organ(self, s: int, suffix: str) -> str:
        iri = f"syn:state-{s + 1:03d}-{suffix}"
        i = s * len(_ORGANS) + _ORGAN_INDEX[suffix]
        if not self._written["organ"][i]:
            self._written["organ"][i] = 1
            self._next("organs")
            label = f"{_ORGANS[_ORGAN_INDEX[suffix]][1]} of {_state_name(s)}"
            self.w.block(iri, [("a", "rg:Organ"), ("rdfs:label", _en(label)), ("prov:wasDerivedFrom", self.cite(self.since[s])), ("rg:organOf", _state(s))])
        return iri

    def _armed_group(self, g: int) -> str:
        iri = f"syn:armed-group-{g + 1:02d}"
        if not self._written["armed-group"][g]:
            self._written["armed-group"][g] = 1
            self._next("armed_groups")
            self.w.block(iri, [
                ("a", "rg:NonStateArmedGroup"),
                ("rdfs:label", _en(f"Synthetic armed group {g + 1}")),
                ("prov:wasDerivedFrom", self.cite(_INCIDENTS_FROM)),
            ])
        return iri

    def _term_start(self, s: int, k: int) -> int:
        """The first day of the *k*-th five-year term of state *s*'s head of state."""
        return dt.date(1940 + s % 5 + 5 * k, 1 + s % 12, 1 + (7 * s) % 28).toordinal()

    def _head_of_state(self, s: int, day: int) -> str:
        """The person who is head of state of *s* on *day* (a day on or after its independence),
        with the position and the position holding."""
        k = (dt.date.fromordinal(day).year - 1940 - s % 5) // 5
        if self._term_start(s, k) > day:
            k -= 1
        person = f"syn:state-{s + 1:03d}-head-of-state-term-{k:02d}"
        if self._written["term"][s * N_TERMS + k]:
            return person
        self._written["term"][s * N_TERMS + k] = 1
        position = f"syn:state-{s + 1:03d}-head-of-state"
        if not self._written["position"][s]:
            self._written["position"][s] = 1
            self.w.block(position, [
                ("a", "rg:Position"),
                ("rdfs:label", _en(f"Head of state of {_state_name(s)}")),
                ("prov:wasDerivedFrom", self.cite(self.since[s])),
                ("rg:jurisdiction", _state(s)),
            ])
        start = max(self._term_start(s, k), self.since[s])
        self._next("people")
        self.w.block(person, [
            ("a", "rg:Person"),
            ("rdfs:label", _en(f"Synthetic head of state of {_state_name(s)}, term {k}")),
            ("prov:wasDerivedFrom", self.cite(start)),
            ("rg:citizenship", _state(s)),
        ])
        pairs = [("rg:holder", person), ("rg:position", position), ("rg:start", _date(start))]
        end = self._term_start(s, k + 1) - 1
        if end < _END:
            pairs.append(("rg:end", _date(end)))
        self._claim(f"{person}-holding", "rg:PositionHolding", pairs, start)
        self._next("position_holdings")
        return person

    def _person(self, s: int, noun: str, day: int) -> str:
        """A new person, a citizen of state *s*, described as *noun* ("diplomat")."""
        n = self._next("people")
        iri = f"syn:person-{n:06d}"
        self.w.block(iri, [
            ("a", "rg:Person"),
            ("rdfs:label", _en(f"Synthetic {noun} {n}")),
            ("prov:wasDerivedFrom", self.cite(day)),
            ("rg:citizenship", _state(s)),
        ])
        return iri

    def _group(self, s: int, size: int, noun: str, day: int) -> str:
        """A new group of *size* people, citizens of state *s*, described as *noun* ("victims")."""
        n = self._next("person_groups")
        iri = f"syn:group-{n:06d}"
        self.w.block(iri, [
            ("a", "rg:PersonGroup"),
            ("rdfs:label", _en(f"Synthetic group {n}: {size} {noun}")),
            ("prov:wasDerivedFrom", self.cite(day)),
            ("rg:citizenship", _state(s)),
            ("rg:size", _count(size)),
        ])
        return iri

    def _treaty_act(self, treaty: str, kind: str, day: int, more: list | None = None) -> None:
        """Write an act under the treaty as a whole (adoption, entry into force, exchange of
        instruments), dated to the day."""
        pairs = [("rg:actionType", kind), ("rg:date", _date(day)), *(more or []), ("rg:treaty", treaty)]
        self._claim(f"{treaty}-{kind[4:]}", "rg:TreatyAction", pairs, day)

    def _participation(self, event: str, n: int, agent: str, roles: str | list[str], day: int) -> None:
        self._claim(f"{event}-participation-{n}", "rg:Participation", [("rg:agent", agent), ("rg:inEvent", event), ("rg:role", roles)], day)

    # ---- fixed part ----------------------------------------------------------------------

    def publishers(self) -> None:
        """The publishers of the sources."""
        for p in range(N_PUBLISHERS):
            self.w.block(f"syn:publisher-{p + 1:02d}", [
                ("a", "rg:Publisher"),
                ("rdfs:label", _en(f"Synthetic publisher {p + 1}")),
                ("rg:webDomain", f'"publisher-{p + 1:02d}.example.org"'),
            ])

    def states(self) -> None:
        """The 200 states: independence days, regions and prominence (kept for later sections),
        the two focal states, and each state's description."""
        rng = self.rng
        for s in range(N_STATES):
            r = rng.random()
            if r < 0.3:
                since = _START
            elif r < 0.97:
                since = self._day(_START + 365, dt.date(1994, 12, 31).toordinal())
            else:
                since = self._day(dt.date(1995, 1, 1).toordinal(), dt.date(2011, 12, 31).toordinal())
            self.since.append(since)
            self.region.append(s * N_REGIONS // N_STATES)
        order = list(range(N_STATES))
        rng.shuffle(order)
        weights = [0.0] * N_STATES
        for rank, s in enumerate(order):
            weights[s] = 1.0 / (rank + 1) ** 0.9
        total = 0.0
        for s in range(N_STATES):
            total += weights[s]
            self._cumulative.append(total)
        region = rng.randrange(N_REGIONS)
        self.a, self.b = sorted(rng.sample([s for s in range(N_STATES) if self.region[s] == region], 2))
        self.since[self.a] = self.since[self.b] = _START
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        # the COW state system's IRI, so that relgraph's tables (which code rows by it) run on
        # this graph: benchmarks/tables.py builds the dyad-year table here
        self.w.block(STATE_SYSTEM, [("a", "rg:StateSystem"), ("rdfs:label", _en("Correlates of War state system (synthetic members)")), ("prov:wasDerivedFrom", self.cite(_START))])
        for s in range(N_STATES):
            source = self.cite(self.since[s])
            self.w.block(_state(s), [
                ("a", "rg:State"),
                ("rdfs:label", _en(f"Synthetic state {s + 1}")),
                ("prov:wasDerivedFrom", source),
                ("rg:iso3166Alpha2", f'"{letters[16 + s // 26]}{letters[s % 26]}"'),
                ("rg:iso3166Alpha3", f'"X{letters[s // 26]}{letters[s % 26]}"'),
                # synthetic COW codes 2-201, unique, of the code's form
                ("rg:cowCode", f'"{s + 2}"'),
            ])
            # a member of the state system from its independence, open to this day
            self._claim(f"syn:state-system-{s + 1:03d}", "rg:StateSystemMembership", [
                ("rg:state", _state(s)), ("rg:stateSystem", STATE_SYSTEM), ("rg:start", _date(self.since[s])),
            ], self.since[s], source=source)
        self.items["states"] = N_STATES

    def _plan_bodies(self) -> None:
        """Decide every body's kind, founding and members (the full plan, before scaling)."""
        rng = self.rng
        for j in range(N_ORGANISATIONS):
            cls, noun = next((c, n) for last, c, n in _BODY_KINDS if j < last)
            if j < 3:
                founded, regions, treaty = self._day(_START + 180, dt.date(1960, 12, 31).toordinal()), (), True
            elif j < 6:
                founded, regions, treaty = self._day(dt.date(1990, 1, 1).toordinal(), dt.date(2005, 12, 31).toordinal()), (), True
            elif 12 <= j < 17:
                founded, treaty = self._day(dt.date(1990, 1, 1).toordinal(), dt.date(2008, 12, 31).toordinal()), False
                regions = (rng.randrange(N_REGIONS),)
            else:
                founded, treaty = self._day(dt.date(1947, 1, 1).toordinal(), dt.date(2015, 12, 31).toordinal()), j < 12 or rng.random() < 0.5
                regions = tuple(sorted(rng.sample(range(N_REGIONS), 1 if rng.random() < 0.7 else 2)))
            if regions:  # at least three states of its regions exist when it is founded
                founded = max(founded, sorted(self.since[s] for s in range(N_STATES) if self.region[s] in regions)[2] + 30)
            self.bodies.append(_Body(j, cls, noun, founded, regions, treaty))
        for forum, successor in _SUCCESSORS.items():
            body = self.bodies[successor]
            body.regions = self.bodies[forum].regions
            body.founded = self._day(self.bodies[forum].founded + 5 * 365, self.bodies[forum].founded + 10 * 365)
            body.predecessor = forum
        for body in self.bodies:
            self._plan_members(body)

    def _plan_members(self, body: _Body) -> None:
        rng = self.rng
        j = body.index
        candidates = [s for s in range(N_STATES) if not body.regions or self.region[s] in body.regions]
        if j in _SUCCESSORS.values():
            forum = next(f for f, succ in _SUCCESSORS.items() if succ == j)
            founders = sorted(m.state for m in self.bodies[forum].members)
        else:
            pool = [s for s in candidates if self.since[s] <= body.founded]
            share = 0.7 if j < 3 else 0.4 if j < 6 else rng.uniform(0.2, 0.5)
            founders = sorted(rng.sample(pool, min(len(pool), max(3, round(share * len(pool))))))
        later = [s for s in candidates if s not in founders and rng.random() < (0.95 if j < 3 else 0.5 if j < 6 else 0.45)]
        ends = self.bodies[_SUCCESSORS[j]].founded if j in _SUCCESSORS else None
        for s in founders:
            body.members.append(_Membership(s, "rgv:founding-member", body.founded, end=ends))
        for s in later:
            start = self._day(max(body.founded, self.since[s]) + 30, ends - 30 if ends else _LAST_START)
            if start >= (ends or _LAST_START):
                continue
            role = "rgv:observer" if rng.random() < 0.08 else "rgv:member"
            if ends is None and rng.random() < 0.03:
                year = dt.date.fromordinal(self._day(start, _LAST_START)).year
                body.members.append(_Membership(s, role, None, point_year=year))
            else:
                body.members.append(_Membership(s, role, start, end=ends))
        for m in body.members:
            if m.end is None and m.start is not None and rng.random() < 0.05 and m.start + 400 < _END:
                m.end = self._day(m.start + 365, _END - 1)

    def _focus_memberships(self) -> None:
        """Make the focal states current members of an alliance and two regional organisations."""
        region = self.region[self.a]
        alliances = [b for b in self.bodies if 6 <= b.index < 12 and region in b.regions]
        regional = [b for b in self.bodies if b.index >= 17 and b.predecessor is None and region in b.regions]
        if not alliances:
            alliances = [self.bodies[6]]
            self.bodies[6].regions = tuple(sorted({*self.bodies[6].regions, region}))
        chosen = [alliances[0], *regional[:2]]
        for body in chosen:
            for s in (self.a, self.b):
                m = next((m for m in body.members if m.state == s), None)
                if m is None:
                    body.members.append(_Membership(s, "rgv:member", self._day(body.founded + 30, _LAST_START)))
                else:
                    m.end = None

    def _scale_memberships(self) -> None:
        """Keep a share of the planned memberships so that they fit their share of the target;
        always keep the focal states' and the first founder of each body."""
        planned = sum(len(b.members) for b in self.bodies)
        self._keep = min(1.0, _SHARES["memberships"] * max(0, self.target - _CORE) / (9 * planned))
        for body in self.bodies:
            first = min(m.state for m in body.members if m.role == "rgv:founding-member")
            body.members = [
                m for m in body.members
                if (m.state == first and m.role == "rgv:founding-member") or m.state in (self.a, self.b) or self.rng.random() < self._keep
            ]
            body.members.sort(key=lambda m: (m.start if m.start is not None else _END, m.state))

    def organisations(self) -> None:
        """The bodies, with their founding treaties and their foundings."""
        self._plan_bodies()
        self._focus_memberships()
        self._scale_memberships()
        for body in self.bodies:
            iri = _body(body.index)
            self.w.block(iri, [
                ("a", body.cls),
                ("rdfs:label", _en(body.label)),
                ("skos:altLabel", _en(f"SO{body.index + 1}")),
                ("prov:wasDerivedFrom", self.cite(body.founded)),
            ])
            founders = [m.state for m in body.members if m.role == "rgv:founding-member"]
            seat = self._place(founders[0])
            if body.founding_treaty:
                treaty = f"{iri}-founding-treaty"
                self.w.block(treaty, [
                    ("a", "rg:MultilateralTreaty"),
                    ("rdfs:label", _en(f"Synthetic founding treaty of {body.label.lower()}")),
                    ("prov:wasDerivedFrom", self.cite(body.founded)),
                    ("rg:establishes", iri),
                ])
                adopted = self._day(body.founded - 700, body.founded - 60)
                self._treaty_act(treaty, "rgv:adoption", adopted, [("rg:place", seat)])
                self._treaty_act(treaty, "rgv:entry-into-force", body.founded)
            pairs = [
                ("rdfs:label", _en(f"Founding of {body.label.lower()}")),
                ("rg:date", _date(body.founded)),
                ("rg:foundedOrganisation", iri),
                ("rg:involves", [_state(s) for s in founders]),
                ("rg:place", seat),
            ]
            if body.predecessor is not None:
                pairs.append(("rg:predecessor", _body(body.predecessor)))
            self._claim(f"{iri}-founding", "rg:OrganisationFounding", pairs, body.founded)
        self.items["organisations"] = N_ORGANISATIONS

    # ---- memberships --------------------------------------------------------------------------

    def memberships(self) -> None:
        """The planned memberships, and a non-membership for some bodies."""
        rng = self.rng
        for body in self.bodies:
            org = _body(body.index)
            treaty = f"{org}-founding-treaty" if body.founding_treaty else None
            for m in body.members:
                iri = f"syn:membership-{self._next('memberships'):06d}"
                pairs = [("org:member", _state(m.state)), ("org:organization", org), ("org:role", m.role)]
                rival = None
                if m.start is None:
                    pairs.append(("rg:pointInTime", _date(dt.date(m.point_year, 1, 1).toordinal(), 2)))
                    day = dt.date(m.point_year, 1, 1).toordinal()
                else:
                    pairs.append(("rg:start", self._when(m.start) if m.role != "rgv:founding-member" else _date(m.start)))
                    rival = [("rg:start", _date(m.start - 30 - int(rng.random() * 1500), 2))]
                    day = m.start
                if m.end is not None:
                    pairs.append(("rg:end", self._when(m.end)))
                if treaty and m.role == "rgv:founding-member":
                    pairs.append(("rg:legalBasis", treaty))
                if m.end is None and rng.random() < 0.5:  # an ongoing membership, confirmed lately
                    pairs.append(("prov:wasDerivedFrom", self.cite(_LAST_START - 365)))
                self._ranked(iri, "rg:Membership", pairs, day, rival)
            members = {m.state for m in body.members}
            outside = [s for s in range(N_STATES) if s not in members and (not body.regions or self.region[s] in body.regions)]
            if outside and rng.random() < 0.5 * self._keep:
                s = outside[int(rng.random() * len(outside))]
                year = 2015 + int(rng.random() * 10)
                self._claim(f"syn:non-membership-{body.index + 1:03d}-{s + 1:03d}", "rg:NonMembership", [
                    ("rg:organisation", org), ("rg:pointInTime", f'"{year}"^^xsd:gYear'), ("rg:state", _state(s)),
                ], dt.date(year, 1, 1).toordinal())
                self._next("non_memberships")

    def shared_memberships(self) -> list[str]:
        """The bodies both focal states belong to on :data:`AS_OF`, by their best-ranked claims."""

        def holds(m: _Membership) -> bool:
            return (m.start is None or m.start <= _END) and (m.end is None or m.end >= _END)

        shared = []
        for body in self.bodies:
            if any(m.state == self.a and holds(m) for m in body.members) and any(m.state == self.b and holds(m) for m in body.members):
                shared.append(PREFIXES["syn"] + _body(body.index)[4:])
        return shared

    # ---- diplomacy ----------------------------------------------------------------------------

    def diplomatic_relations(self, allowance: int) -> None:
        """Diplomatic relations between pairs of states (the focal pair first; a fifth of all
        pairs never has any), with protocols, embassies and their openings, bilateral relations
        and cooperation."""
        rng = self.rng
        pairs = [(a, b) for a in range(N_STATES) for b in range(a + 1, N_STATES) if (a, b) != (self.a, self.b)]
        rng.shuffle(pairs)
        del pairs[int(0.8 * len(pairs)) :]
        begin = self.w.count
        for a, b in [(self.a, self.b), *pairs]:
            if self.w.count - begin >= allowance and self.relations:
                break
            self._relation(a, b, focal=(a, b) == (self.a, self.b))

    def _relation(self, a: int, b: int, focal: bool) -> None:
        rng = self.rng
        lo = max(self.since[a], self.since[b])
        start = self._day(lo, min(lo + 40 * 365, _LAST_START - 365), 0.4)
        end = None if focal or rng.random() >= 0.02 else self._day(start + 365, _END - 400)
        iri = f"syn:diplomatic-relations-{a + 1:03d}-{b + 1:03d}"
        pairs: list = [("rg:party", [_state(a), _state(b)])]
        if focal or rng.random() < 0.3:
            protocol = f"syn:protocol-diplomatic-relations-{a + 1:03d}-{b + 1:03d}"
            place = self._place(a if rng.random() < 0.5 else b)
            self.w.block(protocol, [
                ("a", "rg:BilateralTreaty"),
                ("rdfs:label", _en(f"Synthetic protocol on diplomatic relations between {_state_name(a)} and {_state_name(b)}")),
                ("prov:wasDerivedFrom", self.cite(start)),
                ("rg:party", [_state(a), _state(b)]),
            ])
            for s in (a, b):
                self._claim(f"{protocol}-signature-{s + 1:03d}", "rg:TreatyAction", [
                    ("rg:actionType", "rgv:signature"), ("rg:actor", _state(s)), ("rg:date", _date(start)), ("rg:place", place), ("rg:treaty", protocol),
                ], start)
            pairs += [("rg:legalBasis", protocol), ("rg:place", place), ("rg:start", _date(start))]
        else:
            pairs.append(("rg:start", self._when(start)))
        if end is not None:
            pairs.append(("rg:end", self._when(end)))
        rival = [("rg:start", _date(start + 30 + int(rng.random() * 700)))] if end is None else None
        self._ranked(iri, "rg:DiplomaticRelation", pairs, start, rival)
        self._next("diplomatic_relations")
        self.relations.append(_Relation(a, b, start, end))
        for sending, receiving in ((a, b), (b, a)):
            if focal or rng.random() < 0.5:
                self._mission(sending, receiving, start, end)
        if rng.random() < 0.1:
            self._next("bilateral_relations")
            self.w.block(f"syn:relations-{a + 1:03d}-{b + 1:03d}", [
                ("a", "rg:BilateralRelation"),
                ("rdfs:label", [
                    _en(f"Relations of {_state_name(a)} and {_state_name(b)}"),
                    f'"Отношения синтетических государств {a + 1} и {b + 1}"@ru',  # the shapes warn without one
                ]),
                ("prov:wasDerivedFrom", self.cite(start)),
                ("rg:party", [_state(a), _state(b)]),
            ])
        if rng.random() < 0.06:
            area = ("rgv:anti-terrorism", "rgv:anti-narcotics", "rgv:intelligence", "rgv:third-state-issues")[int(rng.random() * 4)]
            coop = [("rg:cooperationArea", area), ("rg:party", [_state(a), _state(b)])]
            if area == "rgv:third-state-issues":
                coop.append(("rg:concerns", _state(self._pick_state(a, b))))
            self._claim(f"syn:cooperation-{a + 1:03d}-{b + 1:03d}-{area[4:]}", "rg:Cooperation", coop, start)
            self._next("cooperation")

    def _mission(self, sending: int, receiving: int, start: int, end: int | None) -> None:
        iri = f"syn:embassy-{sending + 1:03d}-in-{receiving + 1:03d}"
        seat = self._place(receiving)
        name = f"embassy of {_state_name(sending)} in {_state_name(receiving)}"
        self.w.block(iri, [
            ("a", "rg:DiplomaticMission"),
            ("rdfs:label", _en(name[0].upper() + name[1:])),
            ("prov:wasDerivedFrom", self.cite(start)),
            ("rg:receivingState", _state(receiving)),
            ("rg:seat", seat),
            ("rg:sendingState", _state(sending)),
        ])
        opened = self._day(start, min(start + 3 * 365, end or _END))
        self._claim(f"{iri}-opening", "rg:MissionOpening", [
            ("rdfs:label", _en(f"Opening of the {name}")),
            ("rg:date", self._when(opened)),
            ("rg:involves", [_state(sending), _state(receiving)]),
            ("rg:mission", iri),
            ("rg:place", seat),
        ], opened)
        self._next("missions")

    def postings(self, allowance: int) -> None:
        """Ambassadors' postings in both directions of each relation, one after another from
        the establishment of relations; the last holds on :data:`AS_OF` unless relations ended."""
        begin = self.w.count
        for relation in self.relations:
            for sending, receiving in ((relation.a, relation.b), (relation.b, relation.a)):
                if self.w.count - begin >= allowance:
                    return
                self._postings(sending, receiving, relation)

    def _postings(self, sending: int, receiving: int, relation: _Relation) -> None:
        rng = self.rng
        position = f"syn:ambassador-{sending + 1:03d}-to-{receiving + 1:03d}"
        self.w.block(position, [
            ("a", "rg:Position"),
            ("rdfs:label", _en(f"Ambassador of {_state_name(sending)} to {_state_name(receiving)}")),
            ("prov:wasDerivedFrom", self.cite(relation.start)),
            ("rg:jurisdiction", _state(sending)),
        ])
        limit = relation.end if relation.end is not None else _END
        start = min(self._day(relation.start + 30, relation.start + 730), limit - 60)
        while True:
            end: int | None = start + int(rng.uniform(2, 6) * 365)
            last = end >= limit - 400  # the last posting: it ends with relations, or holds
            if last:
                end = relation.end
            person = self._person(sending, "diplomat", start)
            iri = f"syn:posting-{self._next('postings'):06d}"
            pairs = [
                ("rg:holder", person),
                ("rg:position", position),
                ("rg:receivingState", _state(receiving)),
                ("rg:sendingState", _state(sending)),
                ("rg:start", self._when(start)),
            ]
            if end is not None:
                pairs.append(("rg:end", self._when(end)))
            self._ranked(iri, "rg:DiplomaticPosting", pairs, start, [("rg:start", _date(start - 365, 2))])
            if last:
                return
            start = end + 30 + int(rng.random() * 300)

    # ---- treaties -----------------------------------------------------------------------------

    def bilateral_treaties(self, allowance: int) -> None:
        """Bilateral agreements between states with relations (the focal pair first), with
        signatures, ratifications, exchange of instruments, entry into force, denunciation."""
        begin = self.w.count
        focal = self.relations[0]
        self._bilateral_treaty(focal, focal=True)
        while self.w.count - begin < allowance:
            self._bilateral_treaty(self.relations[int(self.rng.random() * len(self.relations))], focal=False)

    def _bilateral_treaty(self, relation: _Relation, focal: bool) -> None:
        rng = self.rng
        a, b = relation.a, relation.b
        n = self._next("bilateral_treaties")
        iri = f"syn:bilateral-treaty-{n:06d}"
        last = (relation.end or _END) - 30
        signed = self._day(relation.start, min(relation.start + 10 * 365, _END - 3 * 365) if focal else last, 1.0 if focal else 1.5)
        pairs: list = [
            ("a", "rg:BilateralTreaty"),
            ("rdfs:label", _en(f"Synthetic bilateral agreement {n} between {_state_name(a)} and {_state_name(b)}")),
            ("prov:wasDerivedFrom", self.cite(signed)),
            ("rg:party", [_state(a), _state(b)]),
        ]
        if rng.random() < 0.2:
            pairs.append(("rg:term", f'"P{(5, 10, 20)[int(rng.random() * 3)]}Y"^^xsd:duration'))
        self.w.block(iri, pairs)
        place = self._place(a if rng.random() < 0.5 else b)
        for s in (a, b):
            self._ranked(f"{iri}-signature-{s + 1:03d}", "rg:TreatyAction", [
                ("rg:actionType", "rgv:signature"), ("rg:actor", _state(s)), ("rg:date", _date(signed)), ("rg:place", place), ("rg:treaty", iri),
            ], signed, [("rg:date", _date(signed - 1 - int(rng.random() * 60)))])
        in_force = None
        if focal or rng.random() < 0.7:
            ratified = []
            for s in (a, b):
                day = signed + 60 + int(rng.random() * 640)
                if day > _END:
                    continue
                ratified.append(day)
                pairs = [("rg:actionType", "rgv:ratification"), ("rg:actor", _state(s)), ("rg:date", self._when(day, 0.05, 0.0)), ("rg:treaty", iri)]
                if rng.random() < 0.3:
                    pairs.append(("rg:performedBy", self._organ(s, "parliament")))
                self._claim(f"{iri}-ratification-{s + 1:03d}", "rg:TreatyAction", pairs, day)
            exchanged = max(ratified, default=_END) + 10 + int(rng.random() * 80)
            if len(ratified) == 2 and exchanged <= _END:
                self._treaty_act(iri, "rgv:exchange-of-instruments", exchanged)
                in_force = exchanged + int(rng.random() * 30)
        elif rng.random() < 0.4:
            in_force = signed
        if in_force is not None and in_force <= _END:
            self._treaty_act(iri, "rgv:entry-into-force", in_force)
            if not focal and rng.random() < 0.03 and in_force + 400 < _END:
                s = a if rng.random() < 0.5 else b
                day = self._day(in_force + 365, _END)
                self._claim(f"{iri}-denunciation-{s + 1:03d}", "rg:TreatyAction", [
                    ("rg:actionType", "rgv:denunciation"), ("rg:actor", _state(s)), ("rg:date", _date(day)),
                    ("rg:effectiveDate", _date(day + 180)), ("rg:treaty", iri),
                ], day)
        if focal:
            self.focal["bilateral_treaty"] = PREFIXES["syn"] + iri[4:]

    def multilateral_treaties(self, allowance: int) -> None:
        """Multilateral treaties (the focal one first, with both focal states as parties), each
        with its adoption, entry into force and every participating state's actions."""
        begin = self.w.count
        self._multilateral_treaty(min(40, max(6, allowance // 20)), focal=True)
        while self.w.count - begin < allowance:
            room = (allowance - (self.w.count - begin)) // 16
            self._multilateral_treaty(max(6, min(room, round(math.exp(self.rng.uniform(math.log(8), math.log(190)))))), focal=False)

    def _multilateral_treaty(self, size: int, focal: bool) -> None:
        rng = self.rng
        n = self._next("multilateral_treaties")
        iri = f"syn:multilateral-treaty-{n:06d}"
        first, last = (1995, 2005) if focal else (1950, 2020)
        adopted = self._day(dt.date(first, 1, 1).toordinal(), dt.date(last, 12, 31).toordinal())
        states = sorted(rng.sample(range(N_STATES), min(size, N_STATES)))
        if focal:
            states = sorted({*states[: size - 2], self.a, self.b})
        self.w.block(iri, [
            ("a", "rg:MultilateralTreaty"),
            ("rdfs:label", _en(f"Synthetic multilateral convention {n}")),
            ("prov:wasDerivedFrom", self.cite(adopted)),
        ])
        self._treaty_act(iri, "rgv:adoption", adopted, [("rg:place", self._place(states[0]))])
        acts: list[tuple[int, str, int]] = []  # (state, action type, day)
        for s in states:
            sure = focal and s in (self.a, self.b)
            if self.since[s] <= adopted and (sure or rng.random() < 0.75):
                signed = adopted + int(rng.random() * 365)
                acts.append((s, "rgv:signature", signed))
                if sure or rng.random() < 0.8:
                    kind = "rgv:ratification" if sure or rng.random() < 0.8 else ("rgv:acceptance", "rgv:approval")[int(rng.random() * 2)]
                    acts.append((s, kind, signed + 90 + int(rng.random() * (600 if sure else 3000))))
                elif rng.random() < 0.1:
                    acts.append((s, "rgv:signature-withdrawal", signed + 365 + int(rng.random() * 4000)))
            elif self.since[s] <= adopted:
                acts.append((s, "rgv:accession", adopted + 200 + int(rng.random() * 8000)))
            else:
                kind = "rgv:succession" if rng.random() < 0.5 else "rgv:accession"
                acts.append((s, kind, self.since[s] + 30 + int(rng.random() * 2000)))
        acts = [act for act in acts if act[2] <= _END]
        consents = sorted(day for _, kind, day in acts if kind not in ("rgv:signature", "rgv:signature-withdrawal"))
        needed = 2 if focal else max(2, len(states) // 3)
        in_force = consents[needed - 1] + 30 if len(consents) >= needed and consents[needed - 1] + 30 <= _END else None
        if in_force is not None:
            self._treaty_act(iri, "rgv:entry-into-force", in_force)
        parties = []
        for s, kind, day in acts:
            pairs = [("rg:actionType", kind), ("rg:actor", _state(s)), ("rg:date", self._when(day, 0.05, 0.02)), ("rg:treaty", iri)]
            rival = None
            if kind == "rgv:signature":
                rival = [("rg:date", _date(day - 1 - int(rng.random() * 60)))]
            elif kind != "rgv:signature-withdrawal":
                if in_force is not None and day >= in_force:
                    pairs.append(("rg:effectiveDate", _date(day + 30)))
                parties.append((s, day))
            self._ranked(f"{iri}-{kind[4:]}-{s + 1:03d}", "rg:TreatyAction", pairs, day, rival)
        if in_force is not None:
            for s, day in parties:
                if not (focal and s in (self.a, self.b)) and rng.random() < 0.03:
                    denounced = max(day, in_force) + 365 + int(rng.random() * 5000)
                    if denounced <= _END:
                        self._claim(f"{iri}-denunciation-{s + 1:03d}", "rg:TreatyAction", [
                            ("rg:actionType", "rgv:denunciation"), ("rg:actor", _state(s)), ("rg:date", _date(denounced)),
                            ("rg:effectiveDate", _date(denounced + 365)), ("rg:treaty", iri),
                        ], denounced)
        if parties and in_force is not None and (focal or rng.random() < 0.05):
            self._status_claims(iri, parties[0][0] if not focal else self.a, in_force)
        if focal:
            self.focal["multilateral_treaty"] = PREFIXES["syn"] + iri[4:]

    def _status_claims(self, treaty: str, s: int, day: int) -> None:
        """A source's claim that the state is a State Party (preferred), and another source's
        claim that it is only a signatory (normal rank, disputed by the first)."""
        party = f"{treaty}-status-{s + 1:03d}-state-party"
        common = [("rg:state", _state(s)), ("rg:treaty", treaty)]
        source = self.cite(day)
        self._claim(party, "rg:TreatyStatusClaim", [*common, ("rg:status", "rgv:state-party")], day, PREFERRED, source)
        self._claim(f"{treaty}-status-{s + 1:03d}-signatory", "rg:TreatyStatusClaim", [
            *common, ("rg:status", "rgv:signatory"), ("rg:disputedBy", party),
        ], day, NORMAL, self.cite(day, avoid=source))
        self._next("treaty_status_claims")
        self._next("rival_claims")

    # ---- military, statistics, policies -------------------------------------------------------

    def military_presence(self, allowance: int) -> None:
        """Foreign military bases: operator, host, base, agreement, garrisons, valid until (the
        focal one: the first focal state's base in the second, holding on :data:`AS_OF`)."""
        begin = self.w.count
        self._military_presence(self.a, self.b, focal=True)
        while self.w.count - begin < allowance:
            operator = self._pick_state()
            self._military_presence(operator, self._pick_state(operator), focal=False)

    def _military_presence(self, operator: int, host: int, focal: bool) -> None:
        rng = self.rng
        n = self._next("military_bases")
        lo = max(self.since[operator], self.since[host]) + 500
        start = self._day(lo, _LAST_START - (3650 if focal else 0))
        agreement = f"syn:base-agreement-{n:06d}"
        signed = start - 30 - int(rng.random() * 400)
        self.w.block(agreement, [
            ("a", "rg:BilateralTreaty"),
            ("rdfs:label", _en(f"Synthetic agreement on military base {n} of {_state_name(operator)} in {_state_name(host)}")),
            ("prov:wasDerivedFrom", self.cite(signed)),
            ("rg:party", [_state(operator), _state(host)]),
        ])
        for s in (operator, host):
            self._claim(f"{agreement}-signature-{s + 1:03d}", "rg:TreatyAction", [
                ("rg:actionType", "rgv:signature"), ("rg:actor", _state(s)), ("rg:date", _date(signed)), ("rg:treaty", agreement),
            ], signed)
        self._treaty_act(agreement, "rgv:entry-into-force", start)
        base = f"syn:military-base-{n:06d}"
        self.w.block(base, [("a", "rg:MilitaryBase"), ("rdfs:label", _en(f"Synthetic military base {n}")), ("prov:wasDerivedFrom", self.cite(start))])
        pairs = [
            ("rg:base", base),
            ("rg:hostState", _state(host)),
            ("rg:legalBasis", agreement),
            ("rg:operator", _state(operator)),
            ("rg:place", sorted({self._city(host) for _ in range(1 + int(rng.random() * 3))})),
            ("rg:start", self._when(start)),
        ]
        if not focal and rng.random() < 0.3:
            pairs.append(("rg:end", self._when(self._day(start + 365, _END - 1))))
        else:  # still there: the agreements keep it valid for years to come
            until = max(dt.date.fromordinal(start).year + 10 + int(rng.random() * 40), AS_OF.year + 1 + int(rng.random() * 20))
            pairs.append(("rg:validUntil", f'"{until}"^^xsd:gYear'))
            pairs.append(("prov:wasDerivedFrom", self.cite(_LAST_START - 365)))
        self._claim(f"syn:military-presence-{n:06d}", "rg:MilitaryPresence", pairs, start)
        if focal:
            self.focal["military_host"] = PREFIXES["syn"] + _state(host)[4:]

    def observations(self, allowance: int) -> None:
        """Remittance and migration statistics: a series per state (the first focal state
        first), years from 2024 back to 1980 or independence, until the allowance is used."""
        rng = self.rng
        begin = self.w.count
        level = [10 ** rng.uniform(7, 10.5) for _ in range(N_STATES)]
        share = [rng.uniform(0.2, 45.0) for _ in range(N_STATES)]
        growth = [rng.uniform(0.02, 0.1) for _ in range(N_STATES)]
        counterpart = [self._pick_state(s) for s in range(N_STATES)]
        order = [self.a, *[s for s in range(N_STATES) if s != self.a]]
        for s in order:
            for year in range(2024, 1979, -1):
                if self.w.count - begin >= allowance:
                    return
                if dt.date(year, 1, 1).toordinal() >= self.since[s]:
                    factor = (1 + growth[s]) ** (year - 2024) * rng.uniform(0.9, 1.1)
                    self._observations(s, year, level[s] * factor, share[s] * factor, counterpart[s])

    def _observations(self, s: int, year: int, usd: float, percent: float, counterpart: int) -> None:
        rng = self.rng
        day = dt.date(year, 12, 31).toordinal()
        period = f'"{year}"^^xsd:gYear'

        def observation(indicator: str, unit: str, value: str, extra: list, rival: list | None = None) -> None:
            iri = f"syn:observation-{self._next('observations'):06d}"
            pairs = [
                ("rg:approximate", '"true"^^xsd:boolean' if rng.random() < 0.2 else '"false"^^xsd:boolean'),
                ("rg:area", _state(s)),
                ("rg:indicator", indicator),
                ("rg:period", period),
                ("rg:unit", unit),
                ("rg:value", value),
                *extra,
            ]
            self._ranked(iri, "rg:Observation", pairs, day, rival)

        received = round(usd, -5)
        rival = [("rg:value", _decimal(f"{round(received * rng.uniform(0.85, 1.15), -5):.0f}"))]
        observation("rgv:remittances-received", "rgv:us-dollar", _decimal(f"{received:.0f}"), [], rival)
        observation("rgv:remittances-share-of-gdp", "rgv:percent-of-gdp", _decimal(f"{min(percent, 60.0):.1f}"), [])
        if rng.random() < 0.3 and self.since[counterpart] <= day:
            observation("rgv:money-transfers-from-counterpart", "rgv:us-dollar", _decimal(f"{round(received * rng.uniform(0.3, 0.9), -5):.0f}"), [
                ("rg:counterpartArea", _state(counterpart)), ("prov:hadPrimarySource", self.cite(day)),
            ])
        if rng.random() < 0.15:
            observation("rgv:remittances-received-by-banks", "rgv:us-dollar", _decimal(f"{round(received * rng.uniform(0.5, 1.1), -5):.0f}"), [])
        if rng.random() < 0.1:
            observation("rgv:migrant-workers-abroad", "rgv:persons", _decimal(f"{round(received / rng.uniform(1500, 4000), -3):.0f}"), [])

    def policies(self, allowance: int) -> None:
        """Dual-citizenship policies of one state towards nationals of another with relations."""
        begin = self.w.count
        while self.w.count - begin < allowance:
            relation = self.relations[int(self.rng.random() * len(self.relations))]
            adopting, beneficiary = (relation.a, relation.b) if self.rng.random() < 0.5 else (relation.b, relation.a)
            start = self._day(relation.start, _END)
            self._claim(f"syn:policy-{self._next('policies'):06d}", "rg:Policy", [
                ("rg:adoptedBy", _state(adopting)),
                ("rg:beneficiaryNationality", _state(beneficiary)),
                ("rg:policyType", "rgv:dual-citizenship"),
                ("rg:start", self._when(start, 0.2, 0.3)),
            ], start)

    # ---- events -------------------------------------------------------------------------------

    def meetings(self, allowance: int) -> None:
        """Meetings of heads of state (the focal pair's first) and summits of bodies."""
        begin = self.w.count
        self._meeting(self.relations[0])
        while self.w.count - begin < allowance:
            if self.rng.random() < 0.85:
                self._meeting(self.relations[int(self.rng.random() * len(self.relations))])
            else:
                self._summit(self.bodies[int(self.rng.random() * N_ORGANISATIONS)])

    def _meeting(self, relation: _Relation) -> None:
        rng = self.rng
        host, visitor = (relation.a, relation.b) if rng.random() < 0.5 else (relation.b, relation.a)
        day = self._day(relation.start, relation.end or _END, 2.0)
        n = self._next("meetings")
        iri = f"syn:meeting-{n:06d}"
        self._claim(iri, "rg:Meeting", [
            ("rdfs:label", _en(f"Synthetic meeting {n} of the heads of state of {_state_name(host)} and {_state_name(visitor)}")),
            ("rg:date", self._when(day, 0.03, 0.0)),
            ("rg:involves", [_state(host), _state(visitor)]),
            ("rg:place", self._place(host)),
        ], day)
        self._participation(iri, 1, self._head_of_state(host, day), "rgv:host", day)
        self._participation(iri, 2, self._head_of_state(visitor, day), "rgv:visitor", day)

    def _summit(self, body: _Body) -> None:
        rng = self.rng
        day = self._day(body.founded + 365, _END, 1.5)
        present = [m.state for m in body.members if (m.start or _END) <= day and (m.end is None or m.end >= day)]
        if len(present) < 2:
            return
        attending = sorted(rng.sample(present, min(len(present), 2 + int(rng.random() * 4))))
        host = attending[0]
        n = self._next("summits")
        iri = f"syn:summit-{n:06d}"
        self._claim(iri, "rg:Summit", [
            ("rdfs:label", _en(f"Synthetic summit {n} of {body.label.lower()}")),
            ("rg:convenedBy", _body(body.index)),
            ("rg:date", _date(day)),
            ("rg:involves", [_body(body.index), *(_state(s) for s in attending)]),
            ("rg:place", self._place(host)),
        ], day)
        for k, s in enumerate(attending):
            self._participation(iri, k + 1, self._head_of_state(s, day), "rgv:host" if s == host else "rgv:participant", day)

    def wars(self) -> None:
        """:data:`N_WARS` wars between two to four states, modelled as the COW import models them
        (``rg:War`` by year, a belligerent ``rg:Participation`` per state with its side, initiator
        flag and outcome); the first is fought between the focal states."""
        for n in range(N_WARS):
            first = dt.date.fromordinal(self._day(_START, _LAST_START)).year
            last = min(first + self.rng.randrange(0, 4), AS_OF.year)
            x = self.a if n == 0 else self._pick_state()
            y = self.b if n == 0 else self._pick_state(x)
            sides = [(x, "rgv:side-a"), (y, "rgv:side-b")]
            while len(sides) < 2 + self.rng.randrange(0, 3):
                extra = self._pick_state(*(s for s, _ in sides))
                sides.append((extra, self.rng.choice(("rgv:side-a", "rgv:side-b"))))
            war = f"syn:war-{n + 1:03d}"
            day = dt.date(last, 12, 31).toordinal()
            self._claim(war, "rg:War", [
                ("rdfs:label", _en(f"Synthetic war {n + 1}")), ("rg:start", f'"{first}"^^xsd:gYear'), ("rg:end", f'"{last}"^^xsd:gYear'),
                ("rg:involves", [_state(s) for s, _ in sides]),
            ], day)
            winner = self.rng.choice(("rgv:side-a", "rgv:side-b"))
            for k, (state, side) in enumerate(sides):
                self._claim(f"{war}-participation-{k + 1}", "rg:Participation", [
                    ("rg:agent", _state(state)), ("rg:inEvent", war), ("rg:role", "rgv:belligerent"), ("rg:side", side),
                    ("rg:initiator", '"true"^^xsd:boolean' if k == 0 else '"false"^^xsd:boolean'),
                    ("rg:outcome", "rgv:winner" if side == winner else "rgv:loser"),
                ], day)
            self._next("wars")

    def incidents(self) -> None:
        """Incidents until the target is reached; the first involves both focal states."""
        self._incident(self.a, self.b, 0.5)
        while self.w.count < self.target:
            x = self._pick_state()
            self._incident(x, self._pick_state(x), self.rng.random())

    def _incident(self, x: int, y: int, kind: float) -> None:
        """One incident in or against state *x*, with state *y* (its citizens, organs) taking
        part; *kind* in [0, 1) chooses attack, arrest, warrant, border incident, invasion or
        annexation."""
        rng = self.rng
        day = self._day(max(self.since[x], self.since[y], _INCIDENTS_FROM), _END, 1.8)
        n = self._next("incidents")
        iri = f"syn:incident-{n:06d}"
        date = self._when(day, 0.08, 0.02)
        involves = [_state(x), _state(y)]
        if kind < 0.33:
            self._attack(iri, n, x, y, day, date, involves)
        elif kind < 0.63:
            self._arrest(iri, n, x, y, day, date, involves)
        elif kind < 0.72:
            self._warrant(iri, n, x, y, day, date)
        else:
            cls, noun = ("rg:Invasion", "invasion") if kind > 0.999 else ("rg:Annexation", "annexation") if kind > 0.998 else ("rg:Incident", "border incident")
            pairs = [
                ("rdfs:label", _en(f"Synthetic {noun} {n}: {_state_name(y)} against {_state_name(x)}")),
                ("rg:involves", involves),
            ]
            if cls != "rg:Invasion" or rng.random() < 0.9:
                pairs.append(("rg:date", date))
            if cls != "rg:Invasion":
                pairs.append(("rg:place", self._city(x)))
            self._claim(iri, cls, pairs, day)
            self._participation(iri, 1, _state(y), "rgv:perpetrator", day)
            self._participation(iri, 2, _state(x), "rgv:victim", day)

    def _attack(self, iri: str, n: int, x: int, y: int, day: int, date: str, involves: list[str]) -> None:
        rng = self.rng
        group = self._armed_group(int(rng.random() * N_ARMED_GROUPS)) if rng.random() < 0.3 else None
        suspects = rng.random() < 0.5
        if group:
            involves = [*involves, group]
        if not suspects:
            involves = involves[:1] + involves[2:]
        self._claim(iri, "rg:Attack", [
            ("rdfs:label", _en(f"Synthetic attack {n} in {_state_name(x)}")),
            ("rg:date", date),
            ("rg:involves", involves),
            ("rg:place", self._city(x)),
        ], day)
        deaths = min(500, int(rng.paretovariate(1.2)) - 1)
        self._participation(iri, 1, self._group(x, max(1, deaths) + int(rng.random() * 20), "victims", day), "rgv:victim", day)
        if suspects:
            self._participation(iri, 2, self._group(y, 1 + int(rng.random() * 6), "suspected attackers", day), "rgv:suspect", day)
        if group:
            self._participation(iri, 3, group, "rgv:claimed-responsibility", day)
        casualties = [("rg:casualtyType", "rgv:deaths"), ("rg:count", _count(deaths)), ("rg:inEvent", iri)]
        self._ranked(f"{iri}-deaths", "rg:CasualtyCount", casualties, day, [("rg:count", _count(deaths + 1 + int(rng.random() * 5)))])
        if rng.random() < 0.5:
            self._claim(f"{iri}-injuries", "rg:CasualtyCount", [
                ("rg:casualtyType", "rgv:injuries"), ("rg:count", _count(deaths * 2 + int(rng.random() * 30))), ("rg:inEvent", iri),
            ], day)
        self._last_attack[x] = (iri, day)

    def _arrest(self, iri: str, n: int, x: int, y: int, day: int, date: str, involves: list[str]) -> None:
        rng = self.rng
        pairs = [
            ("rdfs:label", _en(f"Synthetic arrest {n} in {_state_name(x)}")),
            ("rg:date", date),
            ("rg:grounds", _en("on suspicion of involvement in a synthetic incident")),
            ("rg:involves", involves),
            ("rg:place", self._city(x)),
        ]
        if rng.random() < 0.3:
            pairs.append(("rg:announcedOn", _date(min(_END, day + int(rng.random() * 10)))))
        attack = self._last_attack.get(x)
        if attack is not None and attack[1] <= day:
            pairs.append(("rg:relatedEvent", attack[0]))
        self._claim(iri, "rg:Arrest", pairs, day)
        self._participation(iri, 1, self._organ(x, "security-service"), "rgv:authority", day)
        detained = self._person(y, "detainee", day) if rng.random() < 0.6 else self._group(y, 2 + int(rng.random() * 10), "detainees", day)
        self._participation(iri, 2, detained, ["rgv:detainee", "rgv:suspect"], day)

    def _warrant(self, iri: str, n: int, x: int, y: int, day: int, date: str) -> None:
        rng = self.rng
        courts = [b for b in self.bodies[3:6] if b.founded <= day]
        if courts and rng.random() < 0.5:
            authority = _body(courts[int(rng.random() * len(courts))].index)
            involves = [authority, _state(y)]
        else:
            authority = self._organ(x, "security-service")
            involves = [_state(x), _state(y)]
        suspect = self._head_of_state(y, day) if rng.random() < 0.05 else self._person(y, "suspect", day)
        self._claim(iri, "rg:ArrestWarrant", [
            ("rdfs:label", _en(f"Synthetic arrest warrant {n}")),
            ("rg:charge", _en("charges in a synthetic case")),
            ("rg:date", date),
            ("rg:involves", involves),
        ], day)
        self._participation(iri, 1, authority, "rgv:authority", day)
        self._participation(iri, 2, suspect, "rgv:suspect", day)


# --------------------------------------------------------------------------------------------
# Stored queries and the manifest


def stored_queries(folder: Path) -> dict[str, tuple[list[tuple[str, str, str]], bool]]:
    """Read the headers of the stored queries.

    Args:
        folder: A ``queries/`` folder.

    Returns:
        For each ``*.rq`` file's stem, sorted: its parameters as ``(name, type, example)`` in
        header order, and whether it is time-aware (``# time-aware: yes``).

    Raises:
        FileNotFoundError: The folder holds no ``*.rq`` file.
    """
    found: dict[str, tuple[list[tuple[str, str, str]], bool]] = {}
    for path in sorted(folder.glob("*.rq")):
        params: list[tuple[str, str, str]] = []
        time_aware = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                break
            if line.startswith("#  "):  # a description continued
                continue
            key, _, value = line[1:].strip().partition(":")
            if key == "param":
                name, kind, example = (part.strip() for part in value.split("|")[:3])
                params.append((name, kind, example))
            elif key == "time-aware":
                time_aware = value.strip() == "yes"
        found[path.stem] = (params, time_aware)
    if not found:
        raise FileNotFoundError(f"{folder}: no stored queries (*.rq)")
    return found


def _query_parameters(queries: dict[str, tuple[list[tuple[str, str, str]], bool]], focal: dict[str, object]) -> dict[str, dict[str, object]]:
    """Parameter values under which each stored query answers on the generated graph.

    The stored queries of the repository get values chosen for each; a query added later gets,
    by parameter type, the focal states (in order), the focal multilateral treaty, a body both
    focal states belong to, the first focal state as an entity, :data:`AS_OF` as a date, and
    otherwise the example its header gives.
    """
    a, b = focal["state_a"], focal["state_b"]
    known: dict[str, dict[str, object]] = {
        "memberships": {"state": a},
        "shared-memberships": {"a": a, "b": b},
        "treaties-between": {"a": a, "b": b},
        "treaty-status": {"treaty": focal["multilateral_treaty"]},
        "ambassadors": {"sending": a, "receiving": b},
        "timeline": {"a": a, "b": b},
        "military-presence": {"host": focal["military_host"]},
        "incidents": {"state": a},
        "wars": {"state": a},
        "relations": {"a": a, "b": b},
        "remittances": {"state": a},
        "sources": {"entity": a},
        "describe": {"entity": a},
    }
    by_type = {
        "organisation": focal["shared_memberships"][0] if focal["shared_memberships"] else None,
        "treaty": focal["multilateral_treaty"],
        "entity": a,
        "date": AS_OF.isoformat(),
    }
    answer: dict[str, dict[str, object]] = {}
    for name, (params, time_aware) in queries.items():
        values: dict[str, object] = {}
        states = iter((a, b))
        for param, kind, example in params:
            if param in known.get(name, {}):
                values[param] = known[name][param]
            elif kind == "state":
                values[param] = next(states, a)
            else:
                values[param] = by_type.get(kind) or example
        entry: dict[str, object] = {"params": values}
        if time_aware:
            entry["as_of"] = AS_OF.isoformat()
        answer[name] = entry
    return answer


@dataclass(frozen=True)
class Manifest:
    """What :func:`generate` wrote.

    Attributes:
        path: The generated graph.
        params_path: The manifest file beside it (``<path>.params.json``).
        triples: The real number of triples written.
        content: The manifest as written to *params_path*: ``file``, ``format`` (``turtle`` or
            ``n-triples``), ``gzip``, ``seed``, ``target_triples``, ``triples``, ``as_of``,
            ``items`` (how many of each kind of node were written), ``focal`` (the two focal
            states, the bodies both belong to on ``as_of``, the focal treaties and military
            host, as full IRIs) and ``queries`` (for each stored query, ``params``: name → value,
            and ``as_of`` for time-aware ones).
    """

    path: Path
    params_path: Path
    triples: int
    content: dict[str, object]


def _atomic_open(path: Path):
    """Open a temporary file beside *path* for writing; return ``(file, temporary path)``."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)
    return os.fdopen(fd, "wb"), Path(temporary)


def _write_graph(target: int, seed: int, out: Path, ntriples: bool, compressed: bool) -> _World:
    """Write the graph to *out* atomically; return the world that wrote it (counts, focal facts)."""
    raw, temporary = _atomic_open(out)
    try:
        with raw:
            stream: BinaryIO = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0) if compressed else raw
            writer = _Writer(stream, ntriples)
            writer.header(f"Synthetic benchmark data, not facts: benchmarks/generate.py --triples {target} --seed {seed}")
            world = _World(target, seed, writer)
            world.publishers()
            world.states()
            world.organisations()
            world.memberships()
            rest = max(0, target - writer.count)
            world.diplomatic_relations(int(_SHARES["diplomatic_relations"] * rest))
            world.postings(int(_SHARES["postings"] * rest))
            world.bilateral_treaties(int(_SHARES["bilateral_treaties"] * rest))
            world.multilateral_treaties(int(_SHARES["multilateral_treaties"] * rest))
            world.military_presence(int(_SHARES["military_presence"] * rest))
            world.observations(int(_SHARES["observations"] * rest))
            world.policies(int(_SHARES["policies"] * rest))
            world.meetings(int(_SHARES["meetings"] * rest))
            world.wars()
            world.incidents()
            writer.flush()
            if compressed:
                stream.close()
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return world


def generate(triples: int, seed: int, out: Path, queries: Path | None = None) -> Manifest:
    """Generate the synthetic graph and its manifest.

    Args:
        triples: The target number of triples (at least :data:`MIN_TRIPLES`); the real number
            is within :data:`TOLERANCE` of it (in practice within one incident, a few dozen
            triples).
        seed: The seed of the pseudo-random generator: the same seed and target give
            byte-identical files.
        out: The file to write: Turtle, or N-Triples if its name ends with ``.nt`` (before an
            optional ``.gz``); gzip-compressed if it ends with ``.gz``. Written atomically (a
            temporary file in the same folder, then renamed), like the manifest
            ``<out>.params.json``.
        queries: The ``queries/`` folder whose stored queries the manifest covers (default:
            the repository's, beside ``benchmarks/``).

    Returns:
        The manifest.

    Raises:
        ValueError: The target is below :data:`MIN_TRIPLES`, or (a bug) the real count missed
            it by more than :data:`TOLERANCE`.
        FileNotFoundError: The queries folder holds no stored query.
        OSError: A file cannot be written.
    """
    if triples < MIN_TRIPLES:
        raise ValueError(f"--triples must be at least {MIN_TRIPLES} (the fixed part alone takes 5,000 to 6,500 triples)")
    out = Path(out)
    catalogue = stored_queries(queries or Path(__file__).resolve().parent.parent / "queries")
    compressed = out.name.endswith(".gz")
    ntriples = out.name.removesuffix(".gz").endswith(".nt")
    world = _write_graph(triples, seed, out, ntriples, compressed)
    written = world.w.count
    if abs(written - triples) > TOLERANCE * triples:
        raise ValueError(f"wrote {written} triples for a target of {triples}: more than {TOLERANCE:.0%} off")
    focal: dict[str, object] = {
        "state_a": SYN + _state(world.a)[4:],
        "state_b": SYN + _state(world.b)[4:],
        "shared_memberships": world.shared_memberships(),
        **world.focal,
    }
    content: dict[str, object] = {
        "file": out.name,
        "format": "n-triples" if ntriples else "turtle",
        "gzip": compressed,
        "seed": seed,
        "target_triples": triples,
        "triples": written,
        "as_of": AS_OF.isoformat(),
        "items": dict(sorted(world.items.items())),
        "focal": focal,
        "queries": _query_parameters(catalogue, focal),
    }
    params_path = out.with_name(out.name + ".params.json")
    handle, temporary = _atomic_open(params_path)
    try:
        with handle:
            handle.write((json.dumps(content, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8"))
        os.replace(temporary, params_path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Manifest(path=out, params_path=params_path, triples=written, content=content)


def main(argv: list[str] | None = None) -> int:
    """The command line: ``generate.py --triples N --seed S --out FILE``.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0 on success, 2 on a usage or input error.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="target number of triples (the real count is within 3%%)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the pseudo-random generator (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output file: .ttl, .nt, optionally .gz")
    parser.add_argument("--queries", type=Path, default=None, help="the queries/ folder the manifest covers (default: the repository's)")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        manifest = generate(args.triples, args.seed, args.out, args.queries)
    except (ValueError, OSError) as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - began
    print(f"{manifest.path}: {manifest.triples} triples (target {args.triples}, seed {args.seed}) in {seconds:.1f} s; parameters in {manifest.params_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
