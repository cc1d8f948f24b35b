"""The quality checks: ``queries/qc/*-violation.rq``, SELECT queries that must return no rows.

Each row of a check becomes a validation result with the check's severity (its header's
``severity``, else violation), the check's IRI ``https://w3id.org/relgraph/qc/<name>`` as its
constraint component, and the query file as its source. A check returns ``?focus`` (and
``?path``, ``?message`` and ``?g``, the named graph of the statement, where it can).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from relgraph.errors import InputError
from relgraph.paths import Layout
from relgraph.query.catalogue import load_catalogue
from relgraph.sparqltext import insert_values
from relgraph.validate.deadline import running
from relgraph.validate.report import Raw, Severity

__all__ = ["QC_BASE", "focus_batches", "quality_results", "list_solutions"]


QC_BASE = "https://w3id.org/relgraph/qc/"


def focus_batches(focus: Sequence | None, size: int = 2000) -> list[list[str] | None]:
    """Split focus nodes into batches to bind with ``VALUES``.

    Args:
        focus: Focus nodes (pyoxigraph terms), or ``None`` for all.
        size: Nodes per batch.

    Returns:
        Batches of IRIs as SPARQL writes them (``<…>``); ``[None]`` (one run over everything)
        when *focus* is ``None`` or holds a node ``VALUES`` cannot name (a blank node).
    """
    if focus is None or any(not isinstance(n, ox.NamedNode) for n in focus):
        return [None]
    nodes = [str(n) for n in focus]
    return [nodes[i : i + size] for i in range(0, len(nodes), size)]


def quality_results(store: ox.Store, layout: Layout, files: dict[str, str], focus: Sequence | None = None) -> list[Raw]:
    """Run the quality checks (``queries/qc/*.rq``) on a store.

    Args:
        store: The store (its union graph is queried).
        layout: The root whose quality checks run.
        files: Named graph IRI → file name, to say in which file a result's statement is.
        focus: Only these focus nodes (IRIs), bound as ``VALUES ?focus`` at the start of each
            check, in batches; ``None`` (or any blank node among them, which ``VALUES``
            cannot name) runs each check on the whole store.

    Returns:
        One result per row of each check.

    Raises:
        InputError: A check is not valid SPARQL or does not return ``?focus``.
    """

    found = []
    checks = load_catalogue(layout.quality_check_files(), layout.display)
    batches = focus_batches(focus)

    for check, batch in ((c, b) for c in checks.values() for b in batches):
        severity = Severity.from_name(check.severity or "violation")
        shown = layout.display(check.path)
        try:
            text = check.text if batch is None else insert_values(check.text, ["focus"], *[[n] for n in batch])
            with running(f"the quality check {shown}"):
                solutions = list_solutions(store.query(text, use_default_graph_as_union=True))
        except SyntaxError as exc:
            raise InputError(shown, f"SPARQL error in this quality check: {' '.join(str(exc).split())}") from None
        if solutions is None or "focus" not in solutions[0]:
            raise InputError(shown, "a quality check is a SELECT query that returns ?focus (and ?path, ?message where it can)")
        names, rows = solutions
        for row in rows:
            focus = row["focus"]
            path = row["path"] if "path" in names else None
            message = row["message"].value if "message" in names and row["message"] is not None else check.title
            if "g" in names and row["g"] is not None and row["g"].value in files:
                message += f" (in {files[row['g'].value]})"
            found.append(
                Raw(
                    focus.value if isinstance(focus, ox.NamedNode) else f"_:{focus.value}" if isinstance(focus, ox.BlankNode) else str(focus),
                    path.value if isinstance(path, ox.NamedNode) else None,
                    None,
                    QC_BASE + check.name,
                    severity,
                    message,
                    layout.display(check.path),
                )
            )
    return found


def list_solutions(answer) -> tuple[set[str], list] | None:
    """Read a pyoxigraph SELECT answer whole (so that a time limit can stop it between rows).

    Returns:
        The variable names and the solutions, or ``None`` for an answer that is not a SELECT's.
    """
    if not isinstance(answer, ox.QuerySolutions):
        return None
    names = {v.value for v in answer.variables}
    return names, list(answer)
