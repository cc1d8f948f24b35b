"""Which triples validating a node reads: the rule behind ``validate --changed-since`` and
partitioned validation.

A SHACL shape reads the data graph along *walks* from its focus node: a property shape with
``sh:path rg:treaty`` and ``sh:class rg:Treaty`` reads the focus node's ``rg:treaty`` triples,
then each value's ``rdf:type`` triples; a SPARQL-based constraint reads along its triple
patterns, starting from ``$this``. A walk is a sequence of steps, each a predicate read forward
(from subject to object) or backward (from object to subject). relgraph computes the walks of
every shape (W3C SHACL §2.1 targets, §2.3 property paths, §4 core constraint components, §5
SPARQL-based constraints) and of every derivation query (from each variable of its CONSTRUCT
template), and from them:

- :func:`affected`: the focus nodes whose validation reads a changed triple: the subject and
  object of every changed triple, and every node with a walk that ends by reading it. Changes of
  the facts change derived triples (date bounds, best ranks, shortcuts): each derivation's walks
  find the nodes whose derived triples may change, and those count as changed too, in the
  order the derivations run.
- :func:`read_set`: every triple that validating a set of focus nodes reads, so that validating
  them on that subgraph (with the whole ontology) gives exactly the results it gives on the
  whole graph.

Walks through ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` closures stay in the schema, which
every subgraph holds whole (with any such triples of the facts), so they add no steps. A shape
whose walks cannot be bounded (a recursive shape, a ``*`` path over data, a pattern not
connected to the focus node, ``sh:closed``) makes :class:`Unbounded` raise: then everything is
validated.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from rdflib import paths
from rdflib.plugins.sparql import prepareQuery

from relgraph.namespaces import RDF_TYPE, RDFS_SUBCLASSOF, RDFS_SUBPROPERTYOF, SH

__all__ = ["Step", "Walk", "Walks", "Change", "Unbounded", "shape_walks", "query_walks", "derivation_walks", "readers", "affected", "read_set", "SCHEMA_PREDICATES"]

SCHEMA_PREDICATES = frozenset({RDFS_SUBCLASSOF, RDFS_SUBPROPERTYOF})
"""Predicates of the schema: subgraphs always hold all their triples, so closures over them add no steps."""


@dataclass(frozen=True)
class Step:
    """One step of a walk.

    Attributes:
        predicate: The predicate IRI read, or ``None`` for any predicate.
        forward: ``True`` to go from subject to object, ``False`` from object to subject.
    """

    predicate: str | None
    forward: bool

    def flipped(self) -> Step:
        """The same predicate read the other way."""
        return Step(self.predicate, not self.forward)


Walk = tuple[Step, ...]


class Unbounded(Exception):
    """The walks of a shape or query cannot be bounded; the message says which and why."""


@dataclass
class Walks:
    """The walks of a set of shapes or queries (every prefix of a walk is a walk too).

    Attributes:
        walks: The walks, each a tuple of :class:`Step`.
        by_last: Walks indexed by their last step's predicate (``None`` for any predicate).
    """

    walks: set[Walk] = field(default_factory=set)
    by_last: dict[str | None, set[Walk]] = field(default_factory=dict)

    def add(self, walk: Walk) -> None:
        """Add a walk and all its prefixes."""
        for end in range(1, len(walk) + 1):
            prefix = walk[:end]
            if prefix not in self.walks:
                self.walks.add(prefix)
                self.by_last.setdefault(prefix[-1].predicate, set()).add(prefix)

    def depth(self) -> int:
        """The length of the longest walk."""
        return max((len(w) for w in self.walks), default=0)

    def ending_with(self, predicate: str) -> set[Walk]:
        """The walks whose last step reads *predicate* (or any predicate)."""
        return self.by_last.get(predicate, set()) | self.by_last.get(None, set())


# ------------------------------------------------------------------------------ SHACL shapes


def shape_walks(shapes, prefixes: str) -> Walks:
    """The walks of every shape that has targets, from its focus nodes.

    Args:
        shapes: The shapes graph (``rdflib.Graph``).
        prefixes: ``PREFIX`` lines for the SPARQL-based constraints (their ``sh:declare``).

    Returns:
        The walks.

    Raises:
        Unbounded: A shape's walks cannot be bounded.
    """

    sh = rdflib.Namespace(SH)
    found = Walks()
    roots = set()
    for target in (sh.targetClass, sh.targetSubjectsOf, sh.targetObjectsOf, sh.targetNode):
        roots |= set(shapes.subjects(target, None))
    roots |= {s for s in shapes.subjects(rdflib.RDF.type, sh.NodeShape) if (s, rdflib.RDF.type, rdflib.RDFS.Class) in shapes}
    for shape in sorted(roots, key=str):
        if (shape, sh.deactivated, rdflib.Literal(True)) in shapes:
            continue
        for p in shapes.objects(shape, sh.targetSubjectsOf):
            found.add((Step(str(p), True),))
        for p in shapes.objects(shape, sh.targetObjectsOf):
            found.add((Step(str(p), False),))
        found.add((Step(RDF_TYPE, True),))  # class targets, and sh:class of any value
        for walk in _constraint_walks(shapes, shape, (), prefixes, frozenset()):
            found.add(walk)
    return found


def _path_walks(shapes, path) -> list[Walk]:

    sh = rdflib.Namespace(SH)
    if isinstance(path, rdflib.URIRef):
        return [(Step(str(path), True),)]
    inverse = shapes.value(path, sh.inversePath)
    if inverse is not None:
        return [tuple(step.flipped() for step in reversed(walk)) for walk in _path_walks(shapes, inverse)]
    alternatives = shapes.value(path, sh.alternativePath)
    if alternatives is not None:
        return [w for member in rdflib.collection.Collection(shapes, alternatives) for w in _path_walks(shapes, member)]
    optional = shapes.value(path, sh.zeroOrOnePath)
    if optional is not None:
        return [(), *_path_walks(shapes, optional)]
    for closure in (sh.zeroOrMorePath, sh.oneOrMorePath):
        inner = shapes.value(path, closure)
        if inner is not None:
            if isinstance(inner, rdflib.URIRef) and str(inner) in SCHEMA_PREDICATES:
                return [()]
            raise Unbounded(f"the path {closure.split('#')[1]} {inner} can read arbitrarily far")
    if (path, rdflib.RDF.first, None) in shapes:  # a sequence path
        walks: list[Walk] = [()]
        for member in rdflib.collection.Collection(shapes, path):
            walks = [w + tail for w in walks for tail in _path_walks(shapes, member)]
        return walks
    raise Unbounded(f"the path {path} is not a SHACL property path")


def _constraint_walks(shapes, shape, at: Walk, prefixes: str, seen: frozenset) -> Iterator[Walk]:
    """The walks a shape reads when it validates the nodes at the end of the walk *at*."""

    sh = rdflib.Namespace(SH)
    if shape in seen:
        raise Unbounded(f"the shape {shape} refers to itself (a recursive shape)")
    seen = seen | {shape}
    if (shape, sh.closed, rdflib.Literal(True)) in shapes:
        raise Unbounded(f"the shape {shape} is closed (it reads every property)")
    if at:
        yield at
    path = shapes.value(shape, sh.path)
    # the value nodes: the focus node itself for a node shape, the path's values for a property shape
    value_walks = [at] if path is None else [at + walk for walk in _path_walks(shapes, path)]
    for values in value_walks:
        if values:
            yield values
        if any(True for _ in shapes.objects(shape, sh["class"])):
            yield values + (Step(RDF_TYPE, True),)
        nested = [*shapes.objects(shape, sh.node), *shapes.objects(shape, sh["not"]), *shapes.objects(shape, sh.qualifiedValueShape)]
        for operator in (sh["and"], sh["or"], sh.xone):
            for members in shapes.objects(shape, operator):
                nested += list(rdflib.collection.Collection(shapes, members))
        for inner in [*nested, *shapes.objects(shape, sh.property)]:
            yield from _constraint_walks(shapes, inner, values, prefixes, seen)
    for other in [o for c in (sh.equals, sh.disjoint, sh.lessThan, sh.lessThanOrEquals) for o in shapes.objects(shape, c)]:
        yield at + (Step(str(other), True),)  # compared with the focus node's own values
    for constraint in shapes.objects(shape, sh.sparql):
        text = shapes.value(constraint, sh.select)
        if text is None:
            raise Unbounded(f"the SPARQL constraint {constraint} has no sh:select")
        if "$PATH" in str(text):
            raise Unbounded(f"the SPARQL constraint {constraint} uses $PATH")
        for walk in query_walks(prefixes + str(text), ["this"]).walks:
            yield at + walk


# ----------------------------------------------------------------------------------- queries


MAX_ALTERNATIVES = 512
"""More combinations of ``UNION`` branches and path alternatives than this: :class:`Unbounded`."""

Edge = tuple[object, "Step | None", object]  # (subject node, step, object node); None: the same node
_PROPERTY = Step("urn:relgraph:property-variable", True)  # marks a variable used as a predicate


def query_walks(text: str, focus: Iterable[str]) -> Walks:
    """The walks of a SPARQL query from some of its variables.

    The query's patterns are expanded into alternatives (one per combination of ``UNION``
    branches and path alternatives), each a conjunction of triple patterns: the main pattern,
    ``OPTIONAL`` parts, ``EXISTS`` and ``NOT EXISTS`` filters and sub-queries (variables of the
    same name are taken as one). In each alternative, every pattern is an edge between its
    subject and object, read once, from the end that a shortest walk from a focus variable
    reaches first; every walk found that way is a condition any match must meet. Constants are
    never walked through.

    Args:
        text: The query (with its ``PREFIX`` declarations).
        focus: The names of the variables to walk from (``this``; a CONSTRUCT template's
            variables).

    Returns:
        The walks of all alternatives.

    Raises:
        Unbounded: A pattern is not connected to the focus variables, a ``*``/``+`` path reads
            data, or there are more than :data:`MAX_ALTERNATIVES` alternatives.
    """

    found = Walks()
    for walk in _query_walks(text, tuple(focus)):
        found.add(walk)
    return found


@functools.lru_cache(maxsize=1024)
def _query_walks(text: str, focus: tuple[str, ...]) -> frozenset[Walk]:
    """:func:`query_walks`, remembered by query text: the same shapes, checks and derivations are
    read for every part and every validation of a process, and rdflib's SPARQL parser takes
    30 ms a query (an exception is not remembered, so it is raised again each time)."""

    fresh = iter(range(1_000_000))
    found = Walks()
    for marked in _alternatives(prepareQuery(text).algebra, fresh):
        edges = [e for e in marked if e[1] is not _PROPERTY]
        present = {str(end) for s, _, o in edges for end in (s, o) if isinstance(end, rdflib.Variable)}
        reached: set = set()
        for variable in sorted(set(focus) & present):  # each variable on its own: a derived triple depends on all
            reached |= _walk_alternative(edges, variable, found)
        # variables used as predicates, and what patterns tie to them, range over the schema (the
        # ontology, which every part holds whole): their patterns are not walked
        schema = _component({e[0] for e in marked if e[1] is _PROPERTY} - reached, edges, reached)
        for subject, _, obj in edges:
            for end in (subject, obj):
                if isinstance(end, (rdflib.Variable, tuple)) and end not in reached and end not in schema:
                    raise Unbounded(f"the pattern on {end} is not connected to {', '.join('?' + f for f in focus)}")
    return frozenset(found.walks)


def derivation_walks(text: str) -> tuple[Walks, frozenset[str]]:
    """The walks of a CONSTRUCT derivation, from each variable of its template that its patterns
    bind, and the predicates of its template.

    Args:
        text: The CONSTRUCT query.

    Returns:
        The walks and the template's predicate IRIs.

    Raises:
        Unbounded: As :func:`query_walks`, or a template predicate is a variable.
    """

    walks, predicates = _derivation_walks(text)
    found = Walks()
    for walk in walks:
        found.add(walk)
    return found, predicates


@functools.lru_cache(maxsize=256)
def _derivation_walks(text: str) -> tuple[frozenset[Walk], frozenset[str]]:
    """:func:`derivation_walks`, remembered by query text (as :func:`_query_walks`)."""

    algebra = prepareQuery(text).algebra
    template = algebra.get("template") or []
    predicates = set()
    for _, predicate, _ in template:
        if not isinstance(predicate, rdflib.URIRef):
            raise Unbounded("a derivation whose template has a variable predicate")
        predicates.add(str(predicate))
    fresh = iter(range(1_000_000))
    bound = {end for edges in _alternatives(algebra, fresh) for s, _, o in edges for end in (s, o) if isinstance(end, rdflib.Variable)}
    focus = sorted({str(t) for s, _, o in template for t in (s, o) if isinstance(t, rdflib.Variable) and t in bound})
    return _query_walks(text, tuple(focus)), frozenset(predicates)


def _combine(left: list[list[Edge]], right: list[list[Edge]]) -> list[list[Edge]]:
    combined = [a + b for a in left for b in right]
    if len(combined) > MAX_ALTERNATIVES:
        raise Unbounded(f"more than {MAX_ALTERNATIVES} combinations of UNION branches and path alternatives")
    return combined


def _path_alternatives(subject, path, obj, fresh) -> list[list[Edge]]:

    if isinstance(path, rdflib.URIRef):
        return [[(subject, Step(str(path), True), obj)]]
    if isinstance(path, rdflib.Variable):  # any predicate; the variable ranges over properties
        return [[(subject, Step(None, True), obj), (path, _PROPERTY, path)]]
    if isinstance(path, paths.InvPath):
        return _path_alternatives(obj, path.arg, subject, fresh)
    if isinstance(path, paths.SequencePath):
        nodes = [subject] + [("path-node", next(fresh)) for _ in path.args[:-1]] + [obj]
        result: list[list[Edge]] = [[]]
        for i, part in enumerate(path.args):
            result = _combine(result, _path_alternatives(nodes[i], part, nodes[i + 1], fresh))
        return result
    if isinstance(path, paths.AlternativePath):
        return [alt for part in path.args for alt in _path_alternatives(subject, part, obj, fresh)]
    if isinstance(path, paths.MulPath):
        if path.mod == paths.ZeroOrOne:
            return [[(subject, None, obj)], *_path_alternatives(subject, path.path, obj, fresh)]
        if isinstance(path.path, rdflib.URIRef) and str(path.path) in SCHEMA_PREDICATES:
            return [[(subject, None, obj)]]
        raise Unbounded(f"the path {path.n3()} can read arbitrarily far")
    if isinstance(path, paths.NegatedPath):
        return [[(subject, Step(None, True), obj)]]
    raise Unbounded(f"unknown path {path!r}")


def _alternatives(node, fresh) -> list[list[Edge]]:
    """The conjunctions of edges an algebra node may match, one per alternative."""
    if isinstance(node, dict):
        name = getattr(node, "name", None)
        if name == "Union":
            return _alternatives(node["p1"], fresh) + _alternatives(node["p2"], fresh)
        result: list[list[Edge]] = [[]]
        for key, value in node.items():
            if key == "triples" and name in ("BGP", "TriplesBlock"):
                for triple in value or []:
                    # an unexpanded block inside EXISTS lists a subject then predicate-object pairs
                    subject = triple[0]
                    for i in range(1, len(triple) - 1, 2):
                        result = _combine(result, _path_alternatives(subject, triple[i], triple[i + 1], fresh))
            elif key != "_vars":
                result = _combine(result, _alternatives(value, fresh))
        return result
    if isinstance(node, (list, tuple)):
        result = [[]]
        for value in node:
            result = _combine(result, _alternatives(value, fresh))
        return result
    return [[]]


def _component(start: set, edges: list[Edge], stop: set) -> set:
    """The nodes connected to *start* by edges, not going through *stop*."""
    found = set(start)
    changed = True
    while changed:
        changed = False
        for subject, _, obj in edges:
            for near, far in ((subject, obj), (obj, subject)):
                if near in found and far not in found and far not in stop:
                    found.add(far)
                    changed = True
    return found


def _walk_alternative(edges: list[Edge], focus: str, found: Walks) -> set:
    """Add the walks from one variable in one alternative; return the nodes it reaches."""

    start = [rdflib.Variable(focus)]
    distance: dict[object, Walk] = {v: () for v in start}
    frontier = list(start)
    read: set[int] = set()  # each pattern is read once, from the end a shortest walk reaches first
    while frontier:
        following = []
        for node in frontier:
            here = distance[node]
            for index, (subject, step, obj) in enumerate(edges):
                if index in read or node not in (subject, obj):
                    continue
                read.add(index)
                far, taken = (obj, step) if node == subject else (subject, step.flipped() if step else None)
                walk = here + ((taken,) if taken else ())
                if taken:
                    found.add(walk)
                if isinstance(far, (rdflib.Variable, tuple)) and far not in distance:
                    distance[far] = walk
                    following.append(far)
        frontier = following
    return set(distance)


# ---------------------------------------------------------------------------- on the data


def _step_back(store: ox.Store, node, step: Step) -> Iterator:
    """The nodes from which taking *step* arrives at *node*."""
    predicate = ox.NamedNode(step.predicate) if step.predicate else None
    if step.forward:  # from X, reading X p node
        for quad in store.quads_for_pattern(None, predicate, node, None):
            yield quad.subject
    elif not isinstance(node, ox.Literal):  # from X, reading node p X
        for quad in store.quads_for_pattern(node, predicate, None, None):
            yield quad.object


def _walk_back(store: ox.Store, walk: Walk, start) -> set:
    """The nodes from which *walk* arrives at *start*."""
    nodes = {start}
    for step in reversed(walk):
        following = set()
        for node in nodes:
            following.update(_step_back(store, node, step))
        nodes = following
        if not nodes:
            break
    return nodes


Change = tuple[object, str, object]
"""A changed triple: ``(subject, predicate IRI, object)``; an end is ``None`` when unknown (a
derived triple that may have changed: the node at its other end is given)."""


def readers(store: ox.Store, walks: Walks, changed: Iterable[Change]) -> set:
    """The nodes whose walks end by reading one of the changed triples (in the store as it is now).

    Args:
        store: The store (the union of its graphs is read).
        walks: The walks of the shapes or queries.
        changed: The changed triples.

    Returns:
        The nodes (pyoxigraph terms) at the start of such walks.
    """
    found: set = set()
    for subject, predicate, obj in changed:
        for walk in walks.ending_with(predicate):
            at = subject if walk[-1].forward else obj
            if at is not None:
                found |= _walk_back(store, walk[:-1], at)
    return found


def affected(
    store: ox.Store,
    shapes: Walks,
    derivations: list[tuple[Walks, frozenset[str]]],
    bounds: dict[str, tuple[str, ...]],
    changed: Iterable[Change],
) -> set:
    """The focus nodes whose validation may differ after some triples of the facts changed.

    Args:
        store: The store with the new state of the graph (facts and derived triples).
        shapes: The walks of the shapes.
        derivations: For each derivation query, in the order they run: its walks (from the
            variables of its CONSTRUCT template) and the predicates of its template.
        bounds: Each temporal property → the bound properties derived for the same subject.
        changed: The added and removed triples of the facts.

    Returns:
        The subjects and objects of the changes (literals left out), the nodes whose derived
        triples may have changed, and every node whose shapes read any of these triples.
    """
    changes = list(changed)
    derived: list[Change] = [(s, bound, None) for s, p, _ in changes for bound in bounds.get(p, ())]
    for walks, predicates in derivations:
        touched = readers(store, walks, [*changes, *derived])
        touched |= {t for s, _, o in [*changes, *derived] for t in (s, o) if t is not None and not isinstance(t, ox.Literal)}
        derived += [c for node in touched for p in predicates for c in ((node, p, None), (None, p, node))]
    nodes = {t for s, _, o in [*changes, *derived] for t in (s, o) if t is not None and not isinstance(t, ox.Literal)}
    return nodes | {n for n in readers(store, shapes, [*changes, *derived]) if not isinstance(n, ox.Literal)}


def read_set(store: ox.Store, walks: Walks, focus: Iterable, batch: int = 5_000) -> Iterator[ox.Triple]:
    """The triples that validating the focus nodes reads (not the schema: add it whole).

    Walks are followed level by level. At each level one query per batch of nodes (a
    ``VALUES`` block) reads all their outgoing triples, kept where a walk reads them forward;
    steps read backward get one query per predicate and batch.

    Args:
        store: The store.
        walks: The walks of the shapes.
        focus: The focus nodes.
        batch: Nodes per query.

    Yields:
        Triples (possibly repeated) of the union of the store's graphs.
    """
    tree: dict = {}
    for walk in walks.walks:
        branch = tree
        for step in walk:
            branch = branch.setdefault(step, {})
    branches = {id(tree): tree}
    level: dict = {node: {id(tree)} for node in focus}
    visited: set = set()
    while level:
        following: dict = {}

        def reach_next(node, rest) -> None:
            if rest:
                branches[id(rest)] = rest
                following.setdefault(node, set()).add(id(rest))

        forward = {}
        backward: dict[Step, list] = {}
        for node, keys in level.items():
            for key in keys:
                if (node, key) in visited:
                    continue
                visited.add((node, key))
                for step, rest in branches[key].items():
                    if step.forward:
                        if not isinstance(node, ox.Literal):
                            forward.setdefault(node, []).append((step, rest))
                    else:
                        backward.setdefault(step, []).append((node, rest))
        nodes = list(forward)
        for start in range(0, len(nodes), batch):
            for triple in _outgoing(store, nodes[start : start + batch]):
                for step, rest in forward[triple.subject]:
                    if step.predicate is None or step.predicate == triple.predicate.value:
                        yield triple
                        reach_next(triple.object, rest)
        for step, pairs in backward.items():
            rests: dict = {}
            for node, rest in pairs:
                rests.setdefault(node, []).append(rest)
            targets = list(rests)
            for start in range(0, len(targets), batch):
                for triple in _incoming(store, step, targets[start : start + batch]):
                    yield triple
                    for rest in rests[triple.object]:
                        reach_next(triple.subject, rest)
        level = following


def _values(nodes: list) -> str:
    return " ".join(str(n) for n in nodes)


def _outgoing(store: ox.Store, nodes: list) -> Iterator[ox.Triple]:
    """All triples whose subject is one of the nodes."""
    blank = [n for n in nodes if isinstance(n, ox.BlankNode)]  # VALUES cannot name blank nodes
    for node in blank:
        for quad in store.quads_for_pattern(node, None, None, None):
            yield quad.triple
    named = [n for n in nodes if not isinstance(n, (ox.BlankNode, ox.Triple))]  # a triple term is never a subject
    if named:
        query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(named)} }} ?s ?p ?o }}"
        for row in store.query(query, use_default_graph_as_union=True):
            yield ox.Triple(row[0], row[1], row[2])


def _incoming(store: ox.Store, step: Step, nodes: list) -> Iterator[ox.Triple]:
    """The triples with the step's predicate (or any) whose object is one of the nodes."""
    predicate = ox.NamedNode(step.predicate) if step.predicate else None
    for node in (n for n in nodes if isinstance(n, (ox.BlankNode, ox.Triple))):  # VALUES cannot name these
        for quad in store.quads_for_pattern(None, predicate, node, None):
            yield quad.triple
    named = [n for n in nodes if not isinstance(n, (ox.BlankNode, ox.Triple))]
    if named:
        shown = f"<{step.predicate}>" if step.predicate else "?p"
        query = f"SELECT ?s ?p ?o WHERE {{ VALUES ?o {{ {_values(named)} }} ?s {shown} ?o }}"
        for row in store.query(query, use_default_graph_as_union=True):
            yield ox.Triple(row[0], predicate or row[1], row[2])
