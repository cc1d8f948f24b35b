"""What changed in the facts between two git revisions: ``relgraph diff REV [REV2]``.

The facts of a revision are the ``graph/*.ttl`` files of the root as committed at that revision
(``git show REV:graph/…``); without a second revision, the files as they are now. Changes are
reported per node (a claim, an entity, a source): added, removed, or changed with the
statements added and removed. Literals are compared as written.

IRIs are for keeps: a node that disappears entirely is reported as *retired without
deprecation*. A retired IRI stays in the graph, marked ``owl:deprecated true`` with
``dcterms:isReplacedBy`` its successor, so that links to it keep working.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from relgraph.errors import InputError
from relgraph.graph.loading import LoadedGraph
from relgraph.graph.parsing import parse_turtle, stable_blank_nodes
from relgraph.namespaces import RDF_TYPE, RDFS_LABEL, RDFS_SUBCLASSOF, RG, SKOS_PREFLABEL, compact
from relgraph.paths import Layout

__all__ = ["NodeChange", "FactChanges", "facts_at", "fact_changes", "diff"]

@dataclass(frozen=True)
class NodeChange:
    """The change of one node between two revisions.

    Attributes:
        change: ``added``, ``removed`` or ``changed``.
        node: The node's IRI.
        label: Its English label (in the newer revision, else the older), if any.
        kind: ``claim``, ``source`` or ``entity``.
        types: Its classes, as prefixed names.
        added: Statements added, as ``(property, value)`` in prefixed / N-Triples form.
        removed: Statements removed, likewise.
        retired: ``True`` when the node disappeared entirely instead of being kept as
            ``owl:deprecated``.
    """

    change: str
    node: str
    label: str | None
    kind: str
    types: tuple[str, ...]
    added: tuple[tuple[str, str], ...]
    removed: tuple[tuple[str, str], ...]
    retired: bool

    def as_json(self) -> dict:
        """The change as a JSON-ready dict (keys as the attributes)."""
        return {
            "change": self.change,
            "node": self.node,
            "label": self.label,
            "kind": self.kind,
            "types": list(self.types),
            "added": [list(pair) for pair in self.added],
            "removed": [list(pair) for pair in self.removed],
            "retired": self.retired,
        }


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=120)
    except FileNotFoundError:
        raise InputError(str(root), "relgraph diff needs git on the PATH") from None
    if done.returncode != 0:
        message = " ".join(done.stderr.decode("utf-8", "replace").split())
        raise InputError(str(root), f"git {' '.join(args[:2])} failed: {message}")
    return done.stdout


def facts_at(layout: Layout, revision: str | None) -> list[ox.Triple]:
    """The triples of ``graph/*.ttl`` at a git revision, or in the working tree.

    Args:
        layout: The root; it must be inside a git repository.
        revision: A revision (``v0.1.0``, ``HEAD~1``, a commit), or ``None`` for the files now.

    Returns:
        The triples, literals as written.

    Raises:
        InputError: Not a git repository, an unknown revision, or a file that does not parse.
    """
    if revision is None:
        triples = []
        for path in layout.graph_files():
            try:
                triples += [q.triple for q in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE)]
            except SyntaxError as exc:
                raise InputError(layout.display(path), f"Turtle syntax error: {exc}", line=exc.lineno) from None
        return triples
    top = Path(_git(layout.root, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    prefix = layout.graph_dir.resolve().relative_to(top.resolve()).as_posix()
    try:
        _git(layout.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except InputError:
        raise InputError(str(layout.root), f"{revision!r} is not a revision of this git repository (try a tag, a branch, HEAD~1 or a commit)") from None
    names = _git(top, "ls-tree", "--name-only", f"{revision}", f"{prefix}/").decode("utf-8").split("\n")
    triples = []
    for name in sorted(n for n in names if n.endswith(".ttl")):
        data = _git(top, "show", f"{revision}:{name}")
        try:
            triples += [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as exc:
            raise InputError(f"{revision}:{name}", f"Turtle syntax error: {exc}", line=exc.lineno) from None
    return triples


@dataclass(frozen=True)
class FactChanges:
    """What changed in a root since a git revision, as far as validation cares.

    Attributes:
        schema: Files of ``ontology/`` (shapes included), ``queries/qc/`` and
            ``queries/derive/`` that changed (relative to the root): any of them changes what
            every node is validated against.
        files: The ``graph/`` files that changed (relative to the root).
        added: Triples in the changed files now and not at the revision.
        removed: Triples in the changed files at the revision and not now.
    """

    schema: tuple[str, ...]
    files: tuple[str, ...]
    added: tuple[ox.Triple, ...]
    removed: tuple[ox.Triple, ...]


def fact_changes(layout: Layout, revision: str) -> FactChanges:
    """Compare the working tree of a root with a git revision, reading only the files that differ.

    Files not yet committed count too. Blank nodes are named after their file and order of
    appearance (:func:`relgraph.graph.parsing.parse_turtle`), as in the store.

    Args:
        layout: The root, inside a git repository.
        revision: The revision to compare with (``origin/main``, ``HEAD~1``, a tag or commit).

    Returns:
        The changes.

    Raises:
        InputError: Not a git repository, an unknown revision, or a file that does not parse.
    """

    top = Path(_git(layout.root, "rev-parse", "--show-toplevel").decode("utf-8").strip())
    try:
        _git(layout.root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except InputError:
        raise InputError(str(layout.root), f"{revision!r} is not a revision of this git repository (try a tag, a branch, HEAD~1 or a commit)") from None
    base = layout.root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if base == "." else base + "/"
    watched = [f"{prefix}{folder}" for folder in ("ontology", "queries/qc", "queries/derive", "graph")]
    changed = _git(top, "diff", "--name-only", "--no-renames", revision, "--", *watched).decode("utf-8").split("\n")
    changed += _git(top, "ls-files", "--others", "--exclude-standard", "--", *watched).decode("utf-8").split("\n")
    names = sorted({name[len(prefix):] for name in changed if name})
    schema = tuple(n for n in names if not n.startswith("graph/"))
    files = tuple(n for n in names if n.startswith("graph/") and n.endswith(".ttl") and "/" not in n[len("graph/"):])
    added: set[ox.Triple] = set()
    removed: set[ox.Triple] = set()
    for name in files:
        path = layout.root / name
        now = set(parse_turtle(path, "urn:relgraph:now", layout.display(path)).triples) if path.is_file() else set()
        before: set[ox.Triple] = set()
        listed = _git(top, "ls-tree", "--name-only", revision, "--", f"{prefix}{name}").decode("utf-8").strip()
        if listed:
            data = _git(top, "show", f"{revision}:{prefix}{name}")
            try:
                before = set(stable_blank_nodes((q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)), path.stem))
            except SyntaxError as exc:
                raise InputError(f"{revision}:{prefix}{name}", f"Turtle syntax error: {exc}", line=exc.lineno) from None
        added |= now - before
        removed |= before - now
    return FactChanges(schema=schema, files=files, added=tuple(sorted(added, key=str)), removed=tuple(sorted(removed, key=str)))


def _text(term) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return str(term)


def diff(layout: Layout, loaded: LoadedGraph, old: str, new: str | None = None) -> list[NodeChange]:
    """Compare the facts of two revisions node by node.

    Args:
        layout: The root, inside a git repository.
        loaded: The loaded graph of the root now (for the ontology's classes).
        old: The older revision.
        new: The newer revision, or ``None`` for the working tree.

    Returns:
        One change per node that differs, ordered by change, kind and node.

    Raises:
        InputError: As :func:`facts_at`.
    """
    before = defaultdict(set)
    after = defaultdict(set)
    for t in facts_at(layout, old):
        before[t.subject].add((t.predicate, t.object))
    for t in facts_at(layout, new):
        after[t.subject].add((t.predicate, t.object))
    claim_classes = {
        row["c"].value
        for row in loaded.store.query(
            f"SELECT ?c WHERE {{ ?c <{RDFS_SUBCLASSOF}>* <{RG.Claim}> }}", use_default_graph_as_union=True
        )
    }
    source_classes = {RG.Source, RG.SourcePart}
    changes = []
    for node in sorted(set(before) | set(after), key=lambda n: (0, n.value) if isinstance(n, ox.NamedNode) else (1, str(n))):
        if not isinstance(node, ox.NamedNode):
            continue
        old_statements, new_statements = before.get(node, set()), after.get(node, set())
        if old_statements == new_statements:
            continue
        statements = new_statements or old_statements
        types = tuple(sorted(o.value for p, o in statements if p.value == RDF_TYPE and isinstance(o, ox.NamedNode)))
        kind = "claim" if set(types) & claim_classes else "source" if set(types) & source_classes else "entity"
        label = next(
            (o.value for p, o in sorted(statements, key=str) if p.value in (RDFS_LABEL, SKOS_PREFLABEL) and (o.language or "").startswith("en")),
            None,
        )
        change = "added" if not old_statements else "removed" if not new_statements else "changed"
        changes.append(
            NodeChange(
                change=change,
                node=node.value,
                label=label,
                kind=kind,
                types=tuple(compact(t) for t in types),
                added=tuple(sorted((_text(p), _text(o)) for p, o in new_statements - old_statements)),
                removed=tuple(sorted((_text(p), _text(o)) for p, o in old_statements - new_statements)),
                retired=change == "removed",
            )
        )
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.change], c.kind, c.node))

