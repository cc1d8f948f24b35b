"""Running stored queries: resolving parameter values to RDF terms and binding them.

One mechanism everywhere: each parameter value is resolved to an RDF term, and the terms are
bound as a ``VALUES`` block at the start of the query's outermost group pattern
(:func:`relgraph.sparqltext.insert_values`); values are never pasted into the query's body.
The same query text therefore gives the same rows on Oxigraph, on rdflib and on a remote
SPARQL endpoint. ``tests/query/test_stored_queries.py`` checks that no stored query uses a parameter
variable where a ``VALUES`` block at the start would not bind it (a sub-SELECT, a nested group,
a UNION or MINUS branch, a BIND target).

How a value is resolved, by parameter type (the first rule that matches wins; several matches
under one rule are an error that lists them):

- ``state``: the full IRI (bare, in ``<…>``, or as a prefixed name such as ``rgid:russia``);
  the local name under ``https://w3id.org/relgraph/id/``; a COW or GW code with its prefix
  (``cow:365``, ``gw:260``); an ISO 3166-1 alpha-2, alpha-3 or numeric code (``RU``, ``RUS``,
  ``643``, any case) or a former state's ISO 3166-3 code (``SUHH``, any case); a Wikidata id (``Q159``); an exact label (``Russia``, alternative labels
  included) as typed or in lower, upper or title case; last, any label equal to the value in
  any case, compared in Unicode Normalization Form C so that a label typed with combining
  characters finds the same label written with composed ones (a scan of every label, so tried
  last).
- ``organisation``, ``treaty``, ``entity``: the full IRI; the local name; (for ``entity``, an
  ISO 3166-1 code of a state); a Wikidata id; an exact label as above; (for ``organisation``
  and ``entity``) a COW IGO abbreviation (``un``, ``nato``, any case); last, the label scan.
  ``entity`` accepts anything that has a type; ``organisation`` an instance of
  ``rg:IntergovernmentalBody``; ``treaty`` of ``rg:Treaty`` (subclasses included).
- ``date``: ``YYYY-MM-DD``, as an ``xsd:date``.
- ``string``: any text, as an ``xsd:string``.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping

import pyoxigraph as ox

from relgraph.errors import ParameterError, QueryError, RelgraphError
from relgraph.graph.dates import parse_date, today
from relgraph.namespaces import PREFIXES, RG, RGID, WIKIDATA_ENTITY, XSD
from relgraph.query.catalogue import ALL_CLAIMS, AS_OF, PERIOD_END, PERIOD_START, StoredQuery
from relgraph.sparqltext import insert_values

__all__ = ["Period", "answer_day", "answer_period", "nfc", "resolve", "bind", "run"]

Period = tuple[_dt.date | None, _dt.date | None]
"""A period asked of a query with ``period: yes``: its first and last day, each ``None`` where
not asked (open on that side)."""

_FIRST_DAY = _dt.date(1, 1, 1)
_LAST_DAY = _dt.date(9999, 12, 31)


def nfc(text: str) -> str:
    """Return *text* in Unicode Normalization Form C (how every lookup by label compares: RDF 1.1
    Concepts §3.3 recommends NFC, and a value typed with combining characters must find the
    label written with composed ones)."""
    return unicodedata.normalize("NFC", text)

_CLASS_OF = {
    "state": RG.State,
    "organisation": RG.IntergovernmentalBody,
    "treaty": RG.Treaty,
}
_PREFIXES = f"""
PREFIX rg: <{RG.base}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_NEXT = "OPTIONAL { ?x <http://www.w3.org/2002/07/owl#deprecated> true ; <http://purl.org/dc/terms/isReplacedBy> ?next }"
"""The successor of a retired entity (``owl:deprecated``, ``dcterms:isReplacedBy``), asked in the
same query as the match itself: one look-up per parameter value, not two."""

_Matches = dict[str, "str | None"]
"""Entity IRIs that a value matches, in order, each with its successor's IRI if it is retired."""


def _select(store: ox.Store, where: str) -> _Matches:
    """Run ``SELECT ?x ?next WHERE { WHERE-TEXT  successor }`` ordered by ``?x``; the matches."""
    query = _PREFIXES + f"SELECT DISTINCT ?x ?next WHERE {{ {where} {_NEXT} }} ORDER BY ?x"
    found: _Matches = {}
    for row in store.query(query, use_default_graph_as_union=True):
        found.setdefault(row["x"].value, row["next"].value if row["next"] else None)
    return found






def answer_day(query: StoredQuery, as_of: str | None, all_claims: bool, *, style: str = "cli") -> _dt.date | None:
    """Check what a request asks of a stored query beyond its parameters, and decide its day.

    The one rule for the command line and the server: ``as-of`` only for a time-aware query,
    ``all-claims`` only for a query with a rank filter to lift, ``as-of`` written ``YYYY-MM-DD``,
    and a time-aware query without ``as-of`` answers for :func:`relgraph.graph.dates.today`.

    Args:
        query: The stored query.
        as_of: The day asked for, as typed (``--as-of`` or ``as-of=``), or ``None``.
        all_claims: Whether claims of every rank are asked for.
        style: How messages name the options: ``cli`` (``--as-of``) or ``http`` (``as-of=``).

    Returns:
        The day a time-aware query answers for; ``None`` for a query that is not time-aware.

    Raises:
        ParameterError: ``as-of`` for a query that is not time-aware, or ``all-claims`` for one
            without a rank filter.
        RelgraphError: ``as-of`` is not a ``YYYY-MM-DD`` day, or ``RELGRAPH_TODAY`` is set to
            something else than one.
    """
    cli = style == "cli"
    if as_of is not None and not query.time_aware:
        raise ParameterError(f"--as-of: the query {query.name!r} is not time-aware (time-aware queries: see relgraph queries)" if cli else f"as-of: the query {query.name!r} is not time-aware")
    if all_claims and not query.all_claims:
        raise ParameterError(f"{'--all-claims' if cli else 'all-claims'}: the query {query.name!r} has no rank filter to lift")
    if as_of is not None:
        return parse_date(as_of, "--as-of " if cli else "as-of=")
    return today() if query.time_aware else None


def answer_period(query: StoredQuery, start: str | None, end: str | None, *, style: str = "cli") -> Period:
    """Check the period a request asks of a stored query (``--from``/``--to``, or ``from=``/``to=``).

    The one rule for the command line and the server: a period only for a query whose header
    says ``period: yes``, each bound written ``YYYY-MM-DD``, and the first day not after the last.

    Args:
        query: The stored query.
        start: The first day, as typed, or ``None`` for no lower bound.
        end: The last day, as typed, or ``None`` for no upper bound.
        style: How messages name the options: ``cli`` (``--from``) or ``http`` (``from=``).

    Returns:
        ``(first day, last day)``, each a ``datetime.date`` or ``None``.

    Raises:
        ParameterError: A bound for a query without a period, or the first day after the last.
        RelgraphError: A bound is not a ``YYYY-MM-DD`` day.
    """
    cli = style == "cli"
    name_start, name_end = ("--from", "--to") if cli else ("from=", "to=")
    if (start is not None or end is not None) and not query.period:
        asked = name_start if start is not None else name_end
        raise ParameterError(f"{asked}: the query {query.name!r} takes no period (relgraph queries marks the queries that do)" if cli else f"{asked}: the query {query.name!r} takes no period")
    first = parse_date(start, name_start + (" " if cli else "")) if start is not None else None
    last = parse_date(end, name_end + (" " if cli else "")) if end is not None else None
    if first is not None and last is not None and first > last:
        raise ParameterError(f"{name_start} {first.isoformat()} is after {name_end} {last.isoformat()}; the period's first day comes first")
    return first, last


def _date_term(value: _dt.date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=ox.NamedNode(XSD + "date"))


def _typed(kind: str) -> str:
    if kind in _CLASS_OF:
        return f"?x a/rdfs:subClassOf* <{_CLASS_OF[kind]}> ."
    return "?x a ?anyType ."


def _matches(store: ox.Store, kind: str, rule: str, value: str) -> _Matches:
    if rule in ("iri", "local"):
        # the IRI itself, bound: a FILTER on STR(?x) would read every typed node of the graph
        try:
            node = ox.NamedNode(value if rule == "iri" else RGID + value)
        except ValueError:
            return {}  # not an IRI: no node of the store has it
        return _select(store, f"VALUES ?x {{ {node} }} {_typed(kind)}")
    if rule in ("label", "label-scan"):
        return _label_matches(store, kind, value, scan=rule == "label-scan")
    if rule == "code" and value.isdigit() and len(value) <= 3:  # bare numbers are ISO 3166-1 numeric codes
        return _select(store, f"{_typed(kind)} ?x rg:iso3166Numeric {ox.Literal(value.zfill(3))} FILTER (isIRI(?x))")
    if rule == "abbreviation":  # an organisation's COW IGO abbreviation (un, nato, eaec)
        return _select(store, f"{_typed(kind)} ?x rg:cowIgoAbbreviation {ox.Literal(value.lower())} FILTER (isIRI(?x))")
    if rule == "code":
        # ISO 3166-1 codes are written in capitals: the value in capitals, bound, finds them in any
        # case typed; four letters are a former state's ISO 3166-3 code (SUHH, the USSR)
        if re.fullmatch(r"[A-Za-z]{4}", value):
            condition = f"?x rg:iso3166Former {ox.Literal(value.upper())} ."
        elif _ISO_LETTERS.fullmatch(value):
            return _iso_letter_matches(store, kind, [value]).get(value.upper(), {})
        else:
            return {}
    else:  # a Wikidata id: its entity IRI, bound
        if not re.fullmatch(r"[Qq][1-9][0-9]*", value):
            return {}
        condition = f"?x skos:exactMatch {ox.NamedNode(WIKIDATA_ENTITY + value.upper())} ."
    return _select(store, f"{condition} {_typed(kind)} FILTER (isIRI(?x))")


def _label_matches(store: ox.Store, kind: str, value: str, *, scan: bool = False) -> _Matches:
    """The entities of a kind with a label equal to *value*, case-blind, both sides compared in
    Unicode Normalization Form C (RDF 1.1 Concepts §3.3): ``Й`` typed as ``И`` plus a combining
    breve finds the label written ``Й``, and the other way round.

    Without *scan*, only the value as typed and in lower, upper and title case is looked up,
    bound (an index look-up: under 1 ms on the world graph), untagged or in English or Russian.
    With *scan*, every label of the kind is compared case-blind in SPARQL, then the labels with
    characters outside printable ASCII in NFC here (SPARQL has no normalisation): about 20 ms on
    the world graph, so :func:`resolve` tries it last."""

    wanted = nfc(value)
    label = "?x rdfs:label|skos:altLabel|skos:prefLabel ?label ."
    if not scan:
        variants = dict.fromkeys((wanted, wanted.lower(), wanted.upper(), wanted.title(), wanted.capitalize()))
        exact = " ".join(str(ox.Literal(text, language=tag)) if tag else str(ox.Literal(text)) for text in variants for tag in ("", "en", "ru"))
        return _select(store, f"VALUES ?label {{ {exact} }} {label} {_typed(kind)} FILTER (isIRI(?x))")
    found = _select(store, f"{_typed(kind)} {label} FILTER (LCASE(STR(?label)) = LCASE({ox.Literal(wanted)})) FILTER (isIRI(?x))")
    if found:
        return found
    query = _PREFIXES + f"""SELECT DISTINCT ?x ?label WHERE {{ {_typed(kind)} {label}
        FILTER (isIRI(?x) && !REGEX(STR(?label), "^[ -~]*$")) }}"""
    needle = wanted.lower()
    matched = sorted({row["x"].value for row in store.query(query, use_default_graph_as_union=True) if nfc(row["label"].value).lower() == needle})
    return {x: _successor(store, x) for x in matched}


_CODE_LISTS = {("cow", True): "cow-ccode", ("cow", False): "cow-stateabb", ("gw", True): "gw-code", ("gw", False): "gw-stateid"}
_PREFIXED_CODE = re.compile(r"(?i)(cow|gw):([A-Za-z]{3}|[0-9]{1,3})")


def _code_matches(store: ox.Store, kind: str, value: str) -> _Matches | None:
    """The entity a data set's code denotes today (``cow:365``, ``cow:RUS``, ``gw:260``), from the
    crosswalk's code assignments: the one without an end, else the one that ended last.

    Returns:
        ``None`` when *value* is not such a code; else the entity (or none).
    """
    match = _PREFIXED_CODE.fullmatch(value)
    if not match:
        return None
    code_list = _CODE_LISTS[(match[1].lower(), match[2].isdigit())]
    code = str(ox.Literal(match[2].upper() if not match[2].isdigit() else str(int(match[2]))))
    query = _PREFIXES + f"""SELECT DISTINCT ?x ?end ?next WHERE {{ ?a a rg:CodeAssignment ; rg:codeList <https://w3id.org/relgraph/vocab/{code_list}> ;
        rg:code {code} ; rg:denotes ?x OPTIONAL {{ ?a rg:end ?end }} {_typed(kind)} {_NEXT} }}"""
    rows = [(row["x"].value, row["end"].value if row["end"] else None, row["next"].value if row["next"] else None) for row in store.query(query, use_default_graph_as_union=True)]
    if not rows:
        return {}
    current = sorted({(x, after) for x, end, after in rows if end is None})
    if current:
        return dict(current)
    x, _, after = max(rows, key=lambda r: r[1])
    return {x: after}


def _closest(store: ox.Store, kind: str, value: str) -> str | None:
    """Suggest the closest names of a kind (difflib), for a value that names nothing:
    ``TJ (Tajikistan)`` for a state with an ISO code, else its local name and label."""
    # imported here, only for a value that names nothing: python -X importtime shows difflib at 10 ms
    import difflib  # noqa: PLC0415

    query = _PREFIXES + f"""SELECT ?x ?name ?code ?label WHERE {{ {_typed(kind)} ?x rdfs:label|skos:altLabel ?name FILTER (isIRI(?x))
        OPTIONAL {{ ?x rg:iso3166Alpha2 ?code }} OPTIONAL {{ ?x rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }} }}"""
    names: dict[str, set[str]] = {}
    shown: dict[str, str] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        iri = row["x"].value
        names.setdefault(row["name"].value.lower(), set()).add(iri)
        label = row["label"].value if row["label"] else _local(iri)
        shown[iri] = f"{row['code'].value} ({label})" if row["code"] else f"{_local(iri)} ({label})"
    close = difflib.get_close_matches(value.lower(), list(names), n=3, cutoff=0.75)
    picks = list(dict.fromkeys(shown[iri] for name in close for iri in sorted(names[name])))
    if not picks:
        return None
    return "did you mean " + " or ".join(picks) + "?"


def _successor(store: ox.Store, iri: str) -> str | None:
    query = f"""SELECT ?next WHERE {{ <{iri}> <http://www.w3.org/2002/07/owl#deprecated> true ;
        <http://purl.org/dc/terms/isReplacedBy> ?next }} LIMIT 1"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    return rows[0]["next"].value if rows else None


def _label(store: ox.Store, iri: str) -> str:
    query = _PREFIXES + f"""SELECT ?l WHERE {{ <{iri}> rdfs:label|skos:prefLabel ?l . FILTER (LANGMATCHES(LANG(?l), "en")) }} LIMIT 1"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    return rows[0]["l"].value if rows else ""


def _choices(store: ox.Store, kind: str, value: str) -> str:
    if kind == "state":
        query = _PREFIXES + """SELECT DISTINCT ?code ?label WHERE {
            ?x a/rdfs:subClassOf* rg:State ; rg:iso3166Alpha2 ?code .
            OPTIONAL { ?x rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) } } ORDER BY ?code LIMIT 31"""
        rows = list(store.query(query, use_default_graph_as_union=True))
        if len(rows) > 30:
            return "give an ISO 3166-1 code (TJ, TJK, 762), a COW or GW code (cow:702, gw:702), a Wikidata id (Q863) or an English or Russian name"
        return "valid states: " + ", ".join(f"{r['code'].value} ({r['label'].value if r['label'] else '?'})" for r in rows)
    needle = str(ox.Literal(value.lower()))
    query = _PREFIXES + f"""SELECT DISTINCT ?x ?label WHERE {{
        {_typed(kind)} ?x rdfs:label|skos:prefLabel ?label . FILTER (LANGMATCHES(LANG(?label), "en"))
        {"" if kind in _CLASS_OF else f"FILTER (CONTAINS(LCASE(STR(?label)), {needle}) || CONTAINS(LCASE(STR(?x)), {needle}))"}
    }} ORDER BY ?x LIMIT 40"""
    rows = list(store.query(query, use_default_graph_as_union=True))
    if not rows:
        return "no similar name is recorded"
    if kind in _CLASS_OF and len(rows) >= 40:  # too many to list in a one-line message
        return f"give the {kind}'s IRI or local name, its acronym or other abbreviation, its Wikidata id or its English or Russian name"
    shown = ", ".join(f"{_local(r['x'].value)} ({r['label'].value})" for r in rows)
    return ("valid values: " if kind in _CLASS_OF else "similar names: ") + shown


def _brief(value: str) -> str:
    """A value as a message repeats it: quoted, and cut to 60 characters (a request may send
    300,000)."""
    return repr(value if len(value) <= 60 else value[:59] + "…")


def _local(iri: str) -> str:
    return iri[len(RGID):] if iri.startswith(RGID) else iri


def resolve(store: ox.Store, query: StoredQuery, name: str, value: str, shown: str | None = None) -> ox.NamedNode | ox.Literal:
    """Resolve one parameter value of a stored query to an RDF term.

    Args:
        store: The loaded query store.
        query: The stored query.
        name: The parameter's name.
        value: The value as the user typed it.
        shown: How to name the value in messages (default ``--param NAME=…``).

    Returns:
        The IRI (``NamedNode``) or literal (``xsd:date``, ``xsd:string``) to bind.

    Raises:
        ParameterError: The query has no such parameter, or the value names nothing or several
            things; the message lists the valid choices.
    """
    parameter = query.parameter(name)
    said = shown or f"--param {name}="
    if parameter is None:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {name!r}; its parameters: {known}")
    kind = parameter.type
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError(f"{said} the value is not valid UTF-8 text") from None
    if kind == "date":
        try:
            return _date_term(parse_date(value, said))
        except RelgraphError as exc:
            raise ParameterError(exc.message) from None
    if kind == "string":
        return ox.Literal(value)
    wanted = _expand(value.strip())
    # bare letters and numbers are ISO codes, asked before local names: "RU" costs one look-up
    rules = ["iri"] + (["prefixed", "code"] if kind in ("state", "entity") else []) + ["local", "wikidata", "label"] + (["abbreviation"] if kind in ("organisation", "entity") else []) + ["label-scan"]
    for rule in rules:
        found = (_code_matches(store, kind, wanted) or {}) if rule == "prefixed" else _matches(store, kind, rule, wanted)
        if len(found) == 1:
            (match, successor), = found.items()
            if successor:
                raise ParameterError(f"{said}{_brief(value)} names {_local(match)}, which is retired (owl:deprecated); use {_local(successor)} instead")
            return ox.NamedNode(match)
        if len(found) > 1:
            listed = ", ".join(f"{_local(x)} ({_label(store, x)})" for x in list(found)[:20])
            plural = "entities" if kind == "entity" else f"{kind}s"
            raise ParameterError(f"{said}{_brief(value)} names {len(found)} {plural}: {listed}; give the IRI or local name of one")
    if kind != "entity":
        other = list(next((found for rule in ("iri", "local", "wikidata", "label") if (found := _matches(store, "entity", rule, wanted))), {}))
        if len(other) == 1:
            raise ParameterError(
                f"{said}{_brief(value)} names {_local(other[0])} ({_label(store, other[0]) or 'no label'}), which is not a {kind}; "
                f"{_choices(store, kind, value)}"
            )
    if kind == "state" and value.strip().isdigit():
        cow = list(_code_matches(store, kind, f"cow:{value.strip()}") or {})
        if cow:
            raise ParameterError(f"{said}{_brief(value)} names no state: a number alone is an ISO 3166-1 numeric code; for COW code {int(value)} write cow:{int(value)} ({_label(store, cow[0]) or _local(cow[0])})")
    if kind in ("state", "organisation"):
        closest = _closest(store, kind, value.strip())
        if closest:
            raise ParameterError(f"{said}{_brief(value)} names no {kind}; {closest}")
    raise ParameterError(f"{said}{_brief(value)} names no {kind}; {_choices(store, kind, value)}")


_ISO_LETTERS = re.compile(r"[A-Za-z]{2,3}")
"""An ISO 3166-1 alpha-2 or alpha-3 code as typed, in any case."""


def _iso_letter_matches(store: ox.Store, kind: str, codes: list[str]) -> dict[str, _Matches]:
    """The entities of a kind that ISO 3166-1 letter codes name, for several codes in one query
    (ISO writes them in capitals: each code in capitals, bound, finds them in any case typed).

    Returns:
        Code in capitals → its matches (codes that match nothing are left out).
    """
    listed = " ".join(str(ox.Literal(code)) for code in sorted({c.upper() for c in codes}))
    query = _PREFIXES + f"""SELECT DISTINCT ?code ?x ?next WHERE {{ VALUES ?code {{ {listed} }}
        ?x rg:iso3166Alpha2|rg:iso3166Alpha3 ?code . {_typed(kind)} FILTER (isIRI(?x)) {_NEXT} }} ORDER BY ?code ?x"""
    found: dict[str, _Matches] = {}
    for row in store.query(query, use_default_graph_as_union=True):
        found.setdefault(row["code"].value, {}).setdefault(row["x"].value, row["next"].value if row["next"] else None)
    return found


def _states_by_iso_code(store: ox.Store, values: list[str]) -> dict[str, ox.NamedNode]:
    """The states that ISO 3166-1 letter codes (``RU``, ``tjk``) name, for several values in one
    look-up: a query's two state parameters cost one query, not two (``ambassadors`` and
    ``remittances`` take 1 to 2 ms, and each look-up about 0.1 ms of parsing and planning).

    Only values that :func:`resolve` would also resolve by their code (its first rule that can
    match them) and that name exactly one state, not retired, are returned; every other value is
    left to :func:`resolve`, which gives the same term or the error.

    Args:
        store: The loaded query store.
        values: The state parameters' values as typed.

    Returns:
        Value as typed → the state's IRI, for the values resolved here.
    """
    codes = {value: value.strip().upper() for value in values if _ISO_LETTERS.fullmatch(value.strip())}
    if not codes:
        return {}
    found = _iso_letter_matches(store, "state", list(codes.values()))
    resolved = {}
    for value, code in codes.items():
        matches = found.get(code, {})
        if len(matches) == 1 and None in matches.values():
            resolved[value] = ox.NamedNode(next(iter(matches)))
    return resolved


def _expand(value: str) -> str:
    """Accept ``<IRI>`` and prefixed names (``rgid:russia``) as they appear in tables."""

    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def bind(
    store: ox.Store,
    query: StoredQuery,
    params: Mapping[str, str],
    as_of: _dt.date | None = None,
    all_claims: bool = False,
    param_style: str = "cli",
    period: Period = (None, None),
) -> str:
    """Return the text of a stored query with its parameters bound as a ``VALUES`` block.

    Args:
        store: The loaded query store (to resolve values).
        query: The stored query.
        params: Parameter name → value as typed.
        as_of: The date a time-aware query answers for (``?asOf``); ``today()`` if ``None``.
        all_claims: For a query that reads ``?allClaims``, return claims of every rank.
        param_style: How messages name a parameter: ``cli`` (``--param NAME=…``) or ``http``
            (``NAME=…``, for ``relgraph serve``).
        period: For a query with ``period: yes``, its first and last day (``None``: open on
            that side, bound as 0001-01-01 or 9999-12-31); checked by :func:`answer_period`.

    Returns:
        Query text ready to run.

    Raises:
        ParameterError: A parameter is unknown or missing, or its value names nothing or several
            things.
    """
    unknown = [name for name in params if query.parameter(name) is None]
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise ParameterError(f"query {query.name!r} has no parameter {unknown[0]!r}; its parameters: {known}")
    missing = [p for p in query.parameters if p.name not in params]
    if missing:
        flag = "--param " if param_style == "cli" else ""
        joiner = " " if param_style == "cli" else "&"
        wanted = joiner.join(f"{flag}{p.name}=…" for p in missing)
        examples = joiner.join(f"{flag}{p.name}={p.example}" for p in query.parameters)
        raise ParameterError(f"query {query.name!r} needs {wanted} (for example: {examples})")
    variables: list[str] = []
    row: list[str] = []
    states = {name for name in params if query.parameter(name).type == "state"}
    by_code = _states_by_iso_code(store, [params[name] for name in states])
    for name, value in params.items():
        term = by_code.get(value) if name in states else None
        term = term or resolve(store, query, name, value, shown=f"{name}=" if param_style == "http" else None)
        variables.append(name)
        row.append(str(term))
    if query.time_aware:
        variables.append(AS_OF)
        row.append(str(_date_term(as_of or today())))
    if query.all_claims:
        variables.append(ALL_CLAIMS)
        row.append(str(ox.Literal("true" if all_claims else "false", datatype=ox.NamedNode(XSD + "boolean"))))
    if query.period:
        variables += [PERIOD_START, PERIOD_END]
        row += [str(_date_term(period[0] or _FIRST_DAY)), str(_date_term(period[1] or _LAST_DAY))]
    return insert_values(query.text, variables, row)


def run(
    store: ox.Store,
    query: StoredQuery,
    params: Mapping[str, str],
    as_of: _dt.date | None = None,
    all_claims: bool = False,
    param_style: str = "cli",
    period: Period = (None, None),
):
    """Bind and run a stored SELECT query on the store.

    Args:
        store: The loaded query store.
        query: The stored query.
        params: Parameter name → value as typed.
        as_of: The date for a time-aware query; ``today()`` if ``None``.

        all_claims: Return claims of every rank (queries that read ``?allClaims``).
        param_style: As :func:`bind`.
        period: As :func:`bind`.

    Returns:
        What pyoxigraph returns: solutions for SELECT (with ``variables``), a boolean for ASK,
        triples for CONSTRUCT and DESCRIBE.

    Raises:
        ParameterError: As :func:`bind`.
        QueryError: The stored query is not valid SPARQL (the message names its file).
    """

    try:
        return store.query(bind(store, query, params, as_of, all_claims, param_style, period), use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"{query.path.name}: SPARQL error: {' '.join(str(exc).split())}") from None
