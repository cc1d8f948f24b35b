"""The stored-query catalogue: discovering ``queries/*.rq`` and parsing their headers.

Every stored query starts with a header of ``#`` comment lines, one ``key: value`` each, read
until the first line that is not a comment::

    # title: Shared memberships
    # description: Intergovernmental bodies that both states belong to on the date,
    #   continued on lines that start with "#" and two or more spaces.
    # param: a | state | RU | The first state.
    # column: organisation | iri | The intergovernmental body.
    # time-aware: yes

Keys: ``title`` and ``description`` (required); ``param`` (``name | type | example |
description``; types ``state``, ``organisation``, ``treaty``, ``entity``, ``date``,
``string``); ``column`` (``name | kind | description``; kinds ``iri``, ``iri-list``,
``date``, ``number``, ``boolean``, ``string``); ``time-aware`` (``yes``: the query reads the
variable ``?asOf``, an ``xsd:date``, and takes ``--as-of``); ``all-claims`` (``yes``: the query
reads ``?allClaims``, an ``xsd:boolean``, and takes ``--all-claims`` to lift its best-rank
filter, written as a join, ``?claim a ?claim_gate . FILTER (IF(?allClaims, ?claim_gate = rg:Membership,
?claim_gate = wikibase:BestRank))`` where the claims are of one class (one type triple of each
claim passes the gate: the class's, or the best-rank mark), else ``OPTIONAL { ?claim a
?claim_best FILTER (?claim_best = wikibase:BestRank) } FILTER (?allClaims || BOUND(?claim_best))``;
not ``FILTER (?allClaims || EXISTS { … })``, of which Virtuoso 7.2.5 drops some rows on the world
graph; the join is the fastest on Oxigraph: wars 3 ms, against 63 ms with the OPTIONAL); ``period`` (``yes``: the query reads ``?periodStart`` and ``?periodEnd``, two ``xsd:date``
values, and takes ``--from`` and ``--to``; a bound not asked for is the first or last day
``xsd:date`` comparisons need, 0001-01-01 or 9999-12-31); ``keep-stale`` (``yes``: rows last confirmed more than five years before the day asked
stay in the answer, as for a status derived from acts that do not lapse; by default a time-aware
query with an ``unconfirmed_after`` column leaves them out unless ``--include-stale``);
``severity`` (quality checks only: ``violation``, ``warning`` or ``info``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from relgraph.errors import InputError, QueryError
from relgraph.sparqltext import checked_text, query_form

__all__ = [
    "PARAMETER_TYPES",
    "COLUMN_KINDS",
    "AS_OF",
    "ALL_CLAIMS",
    "PERIOD_START",
    "PERIOD_END",
    "Parameter",
    "Column",
    "StoredQuery",
    "parse_stored_query",
    "load_catalogue",
    "find",
    "unknown_query",
    "load_one",
]

PARAMETER_TYPES = ("state", "organisation", "treaty", "entity", "date", "string")
COLUMN_KINDS = ("iri", "iri-list", "date", "number", "boolean", "string")
AS_OF = "asOf"
"""The variable a time-aware query reads its date from."""
ALL_CLAIMS = "allClaims"
"""The variable (``xsd:boolean``) that lifts a query's best-rank filter."""
PERIOD_START = "periodStart"
"""The variable (``xsd:date``) a query with a period reads its first day from (``--from``)."""
PERIOD_END = "periodEnd"
"""The variable (``xsd:date``) a query with a period reads its last day from (``--to``)."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_KEYS = ("title", "description", "param", "column", "time-aware", "all-claims", "period", "keep-stale", "severity")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a stored query.

    Attributes:
        name: The SPARQL variable it binds, without ``?``.
        type: One of :data:`PARAMETER_TYPES`.
        example: An example value, as a user types it.
        description: What it means.
    """

    name: str
    type: str
    example: str
    description: str


@dataclass(frozen=True)
class Column:
    """A result column of a stored query.

    Attributes:
        name: The projected variable, without ``?``.
        kind: One of :data:`COLUMN_KINDS` (``iri-list``: IRIs separated by spaces in one literal).
        description: What it holds.
    """

    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class StoredQuery:
    """A stored SPARQL query with its header.

    Attributes:
        name: The file stem, such as ``shared-memberships``.
        path: The ``.rq`` file.
        title: A short title.
        description: What it answers.
        parameters: Its parameters, in header order.
        columns: Its result columns, in header order.
        time_aware: Whether it reads ``?asOf``.
        all_claims: Whether it reads ``?allClaims``.
        keep_stale: Whether its stale rows stay in the answer (``keep-stale: yes``).
        period: Whether it reads ``?periodStart`` and ``?periodEnd`` (``period: yes``).
        severity: For quality checks, the severity of each row it returns.
        text: The whole query text.
    """

    name: str
    path: Path
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[Column, ...]
    time_aware: bool
    all_claims: bool
    severity: str | None
    text: str
    keep_stale: bool = False
    period: bool = False

    @property
    def drops_stale(self) -> bool:
        """Whether answers leave out stale rows by default: a time-aware query with an
        ``unconfirmed_after`` column that does not say ``keep-stale: yes``."""
        return self.time_aware and not self.keep_stale and any(c.name == "unconfirmed_after" for c in self.columns)

    @property
    def form(self) -> str:
        """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``."""
        return query_form(self.text) or "SELECT"

    def parameter(self, name: str) -> Parameter | None:
        """Return the parameter called *name*, or ``None``."""
        return next((p for p in self.parameters if p.name == name), None)

    def as_json(self) -> dict:
        """The catalogue entry as JSON (``relgraph queries --format json``, ``GET /queries``).

        Returns:
            ``name``, ``title``, ``description``, ``form``, ``timeAware``, ``allClaims``, ``period``,
            ``parameters`` (``name``, ``type``, ``example``, ``description``) and ``columns``
            (``name``, ``kind``, ``description``).
        """
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "form": self.form,
            "timeAware": self.time_aware,
            "allClaims": self.all_claims,
            "period": self.period,
            "parameters": [{"name": p.name, "type": p.type, "example": p.example, "description": p.description} for p in self.parameters],
            "columns": [{"name": c.name, "kind": c.kind, "description": c.description} for c in self.columns],
        }




def parse_stored_query(path: Path, display: str | None = None) -> StoredQuery:
    """Read one ``.rq`` file and parse its header.

    Args:
        path: The query file.
        display: How to name the file in error messages.

    Returns:
        The stored query.

    Raises:
        InputError: The file cannot be read or its header is malformed (the message names the
            line and what to fix).
    """
    shown = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, RuntimeError) as exc:
        raise InputError(shown, f"cannot read: {exc}") from exc
    text = checked_text(text, shown)
    fields: dict[str, list[tuple[int, str]]] = {}
    last: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        body = line[1:]
        if last is not None and re.match(r"^\s{2,}\S", body):
            key, index = last
            lineno, value = fields[key][index]
            fields[key][index] = (lineno, value + " " + body.strip())
            continue
        m = re.match(r"^\s*([a-z-]+):\s*(.*)$", body)
        if not m or m.group(1) not in _KEYS:
            raise InputError(shown, f"header line is not 'key: value' with a key of {', '.join(_KEYS)}", line=number)
        key, value = m.group(1), m.group(2).strip()
        fields.setdefault(key, []).append((number, value))
        last = (key, len(fields[key]) - 1)
    for required in ("title", "description"):
        if required not in fields:
            raise InputError(shown, f"the header has no '# {required}:' line; every stored query says what it is", line=1)

    def records(key: str, form: str, kinds: tuple[str, ...]) -> list[list[str]]:
        """Split each ``# key: a | b | …`` line into its fields, checking the name and the kind."""
        out = []
        for lineno, value in fields.get(key, []):
            parts = [p.strip() for p in value.split("|")]
            if len(parts) != form.count("|") + 1 or not _NAME.match(parts[0]) or parts[1] not in kinds:
                raise InputError(shown, f"write it as '# {key}: {form}' with {form.split(' | ')[1]} one of {', '.join(kinds)}", line=lineno)
            out.append(parts)
        return out

    parameters = [Parameter(*parts) for parts in records("param", "name | type | example | description", PARAMETER_TYPES)]
    columns = [Column(*parts) for parts in records("column", "name | kind | description", COLUMN_KINDS)]
    def flag(key: str) -> bool:
        if key not in fields:
            return False
        lineno, value = fields[key][0]
        if value not in ("yes", "no"):
            raise InputError(shown, f"write '# {key}: yes' or '# {key}: no'", line=lineno)
        return value == "yes"

    time_aware = flag("time-aware")
    all_claims = flag("all-claims")
    severity = None
    if "severity" in fields:
        lineno, severity = fields["severity"][0]
        if severity not in ("violation", "warning", "info"):
            raise InputError(shown, "write '# severity: violation', 'warning' or 'info'", line=lineno)
    return StoredQuery(
        name=path.stem,
        path=path,
        title=fields["title"][0][1],
        description=fields["description"][0][1],
        parameters=tuple(parameters),
        columns=tuple(columns),
        time_aware=time_aware,
        all_claims=all_claims,
        severity=severity,
        text=text,
        keep_stale=flag("keep-stale"),
        period=flag("period"),
    )


def load_catalogue(paths: list[Path], display=lambda p: str(p)) -> dict[str, StoredQuery]:
    """Parse the headers of stored queries.

    Args:
        paths: The ``.rq`` files.
        display: A function giving how to show a path in error messages.

    Returns:
        The queries by name, in name order.

    Raises:
        InputError: A header is malformed.
    """
    return {q.name: q for q in (parse_stored_query(p, display(p)) for p in sorted(paths))}


def load_one(paths: list[Path], name: str, display=lambda p: str(p)) -> StoredQuery:
    """Parse only the stored query called *name*, so a broken header elsewhere does not matter.

    Args:
        paths: The ``.rq`` files of the root.
        name: A query name (file stem).
        display: How to show a path in messages.

    Returns:
        The query.

    Raises:
        QueryError: No query has that name; the message lists the names.
        InputError: Its header is malformed.
    """
    by_name = {p.stem: p for p in paths}
    if name not in by_name:
        raise unknown_query(name, by_name)
    return parse_stored_query(by_name[name], display(by_name[name]))


def find(catalogue: dict[str, StoredQuery], name: str) -> StoredQuery:
    """Return the stored query called *name*.

    Args:
        catalogue: The catalogue.
        name: A query name.

    Returns:
        The query.

    Raises:
        QueryError: No query has that name; the message lists the names.
    """
    try:
        return catalogue[name]
    except KeyError:
        raise unknown_query(name, catalogue) from None


def unknown_query(name: str, names, hint: str = "relgraph queries lists them") -> QueryError:
    """The error for a stored query that does not exist (the one wording of it).

    Args:
        name: The name asked for.
        names: The names that exist (any iterable of them).
        hint: Where to see them, in brackets at the end (``see /queries`` for the server).

    Returns:
        ``no stored query is called 'NAME'; did you mean 'CLOSEST'? choose one of: … (HINT)``,
        the guess where a name is close (difflib's ratio of at least 0.6, as ``relgraph query``'s
        parameter values are matched).
    """
    import difflib  # importtime: 1 ms, only for this error

    known = sorted(names)
    close = difflib.get_close_matches(name, known, n=1)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return QueryError(f"no stored query is called {name!r}; {guess}choose one of: {', '.join(known) or '(none)'} ({hint})")
