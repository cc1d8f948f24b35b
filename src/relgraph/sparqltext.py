"""Lexical helpers for SPARQL query text: the terminals of SPARQL 1.1 as Oxigraph reads them.

relgraph binds stored-query parameters by inserting a ``VALUES`` block at the start of the
query's outermost group graph pattern, so that the same text runs unchanged on Oxigraph, on
rdflib and on remote endpoints; and it checks a user's query (no update, no ``SERVICE`` unless
allowed, which graphs ``FROM`` names) before Oxigraph parses and runs it. Both only need a lexer:
the terminals of the SPARQL 1.1 grammar (§19.8: IRIs, prefixed names, variables, blank node
labels, string literals, language tags, numbers, keywords, punctuation) with white space and
comments skipped. SPARQL itself is parsed by the engines; nothing here builds a parse tree.

The terminals are those of Oxigraph 0.5's parser (``spargebra``), which is what runs the query:
its string literals (a ``'''`` that does not close is read as an empty ``''`` and a ``'``),
its prefixed names (a local name has at most one run of dots inside), and its keywords, which it
matches case-insensitively without requiring a word boundary (``true.SERVICE`` is ``true``, ``.``
and ``SERVICE``). One thing a lexer cannot decide is ``<``: after an operand inside parentheses
(where every SPARQL expression stands) it may open an IRI (``(?s <p> ?o)``, a collection) or be
the operator "less than" (``FILTER(?a<?b#>``, where ``#>`` is then a comment). :func:`scan`, the
check of user queries, follows both readings from every such ``<`` until they meet again, so a
keyword that either reading sees is found.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import urljoin

from relgraph.errors import InputError, QueryError
from relgraph.namespaces import PREFIXES

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
"""Words that only SPARQL 1.1 Update uses: a query never contains them as bare keywords."""

MAX_NESTING = 256
"""The deepest nesting of ``{``, ``(`` and ``[`` accepted in a user query. Oxigraph's parser is
recursive: about 2,000 nested groups overflow an 8 MiB stack and kill the process, so the limit
leaves room for smaller stacks, far above what a hand-written query needs."""

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def normalize(text: str) -> str:
    """Bring query text to the form every engine reads the same way.

    SPARQL 1.1 (section 19.2) processes ``\\uXXXX`` and ``\\UXXXXXXXX`` codepoint escapes
    anywhere in the query before parsing; some engines expand them only inside strings and IRIs.
    They are expanded until none is left (an escape may spell another, ``\\u005Cu0041``), so an
    engine that expands them once more reads the same text. Line ends are made ``\\n`` (a comment
    ends at a line end, and engines disagree on a lone carriage return). Checks and execution
    both use the normalized text, so no parser can see a different query than the one that was
    checked.

    Args:
        text: SPARQL text as the user gave it.

    Returns:
        The text with codepoint escapes expanded and line ends unified.

    Raises:
        QueryError: An escape names a surrogate or a code point beyond U+10FFFF.
    """

    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            raise QueryError(f"the escape {match.group(0)} is not a valid code point")
        return chr(code)

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    while True:
        expanded = _ESCAPE.sub(expand, text).replace("\r\n", "\n").replace("\r", "\n")
        if expanded == text:
            return text
        text = expanded


def forbidden_keywords(text: str) -> set[str]:
    """Find ``SERVICE`` and Update keywords used as keywords (not in strings, IRIs, comments,
    variables or prefixed names), in every reading of the text (see :func:`scan`).

    Args:
        text: Normalized SPARQL text (see :func:`normalize`).

    Returns:
        The forbidden keywords found, upper-cased.
    """
    return set(scan(text).keywords)


def checked_text(text: str, shown: str) -> str:
    """Normalize the text of a query kept in a root and refuse SERVICE and updates in it.

    Stored queries, quality checks and derivations come from the root, which may be anyone's
    folder: they are read-only and never reach the network, like a user's ad-hoc query.

    Args:
        text: The query text.
        shown: How to name its file in messages.

    Returns:
        The normalized text (:func:`normalize`), which is what runs.

    Raises:
        InputError: It uses SERVICE or an Update keyword, or an invalid escape.
    """
    try:
        text = normalize(text)
    except QueryError as exc:
        raise InputError(shown, exc.message) from None
    forbidden = forbidden_keywords(text)
    if forbidden:
        raise InputError(shown, f"uses {', '.join(sorted(forbidden))}: queries kept in a root are read-only and never reach the network; remove it")
    return text


__all__ = [
    "checked_text",
    "normalize",
    "forbidden_keywords",
    "Token",
    "tokens",
    "Service",
    "Scan",
    "scan",
    "DatasetIris",
    "dataset_iris",
    "nesting_depth",
    "has_query_text",
    "query_form",
    "form_offset",
    "top_level_modifiers",
    "outermost_pattern_start",
    "insert_values",
    "count_query",
    "page_query",
    "UPDATE_KEYWORDS",
    "MAX_NESTING",
]

# ------------------------------------------------------------------------------- terminals
# SPARQL 1.1 §19.8, as spargebra 0.4 (Oxigraph 0.5) writes them; PEG repetitions are greedy and
# never give back, hence the possessive quantifiers.

_BASE = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
_MORE = "0-9\u00b7\u0300-\u036f\u203f-\u2040"
_BASE_ASCII = "A-Za-z"
_MORE_ASCII = "0-9"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_ECHAR = r"""\\[tbnrf"'\\]"""
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_STRING = "|".join(
    (
        f"'''(?:(?:''|')?+(?:[^'\\\\]|{_ECHAR}|{_UCHAR}))*+'''",
        f'"""(?:(?:""|")?+(?:[^"\\\\]|{_ECHAR}|{_UCHAR}))*+"""',
        f"'(?:[^'\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+'",
        f'"(?:[^"\\\\\\n\\r]|{_ECHAR}|{_UCHAR})*+"',
    )
)
_NUMBER = r"[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+"
_SKIP = r"[ \t\n\r]*+"


def _token_source(base: str, more: str) -> str:
    """The token pattern with PN_CHARS_BASE = *base* and the rest of PN_CHARS = *more*."""
    u = base + "_"
    pn = u + "\\-" + more
    pn_prefix = f"[{base}][{pn}]*+(?:\\.++[{pn}]++)*+"
    pn_local = f"(?:[{u}:0-9]|{_PLX})(?:[{pn}:]|{_PLX})*+(?:\\.++(?:[{pn}:]|{_PLX})++)?+"
    return (
        # alternatives that may start with the same character keep the grammar's order (a string
        # before a lone quote, an IRI before "<", a blank node before a word, a prefixed name
        # before a word, a number before "."); the others come in order of frequency
        _SKIP + r"(?:(?P<punct>\^\^|&&|\|\||>=|!=|[,;(){}\[\]*/|^!=&+\-~>])"
        f"|(?P<string>{_STRING})"
        f"|(?P<var>[?$][0-9{u}][{u}{more}]*+)"
        r"|(?P<iri><[^<>\"{}|^`\\\x00-\x20]*+>)"
        f"|(?P<pname>(?:{pn_prefix})?+:(?:{pn_local})?+)"
        f"|(?P<bnode>_:[0-9{u}][{pn}]*+(?:\\.++[{pn}]++)*+)"
        f"|(?P<word>[{u}][{pn}]*+)"
        f"|(?P<number>{_NUMBER})"
        r"|(?P<comment>#)"
        r"|(?P<langtag>@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+(?:--[a-zA-Z]++)?+)"
        r"|(?P<other><=|[\s\S]))"
    )


def names_are_ascii(text: str) -> bool:
    """Whether every character of *text* beyond U+007F stands on a line whose first character
    other than white space is ``#``: a whole-line comment, or a line inside a long string.

    Such characters can never be part of a name (a variable, prefixed name, blank node or
    keyword), so :func:`token_pattern` in its ASCII form reads the text exactly as the full form.

    Args:
        text: SPARQL text.

    Returns:
        True when the ASCII form of the token pattern is exact for *text*.
    """
    return text.isascii() or all(
        line.isascii() or line.lstrip(" \t\r").startswith("#") for line in text.split("\n")
    )


@functools.cache
def token_pattern(ascii_only: bool) -> re.Pattern[str]:
    """The compiled token pattern of SPARQL 1.1 §19.8.

    Args:
        ascii_only: True for a text whose names are ASCII (:func:`names_are_ascii`). Its
            pattern keeps only the ASCII part of each character class, so it reads such a text
            exactly as the full pattern does, and compiles in under 2 ms where the full pattern's
            Unicode classes take about 40 ms (``re`` builds a 64K-entry map for each of them).
            Stored queries write non-ASCII only in comments, so the main job never pays for the full
            pattern.

    Returns:
        The pattern, compiled once per process for each value of *ascii_only*.
    """
    if ascii_only:
        return re.compile(_token_source(_BASE_ASCII, _MORE_ASCII))
    return re.compile(_token_source(_BASE, _MORE))


_OPERATOR = re.compile(_SKIP + r"(?P<punct><=?)")
_OPERANDS = frozenset({"string", "iri", "var", "bnode", "pname", "number", "langtag"})
"""Tokens after which ``<`` may be the operator "less than" (besides ``)``, ``]``, ``true``, ``false``)."""
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


class Token(NamedTuple):
    """One terminal of a SPARQL text.

    Attributes:
        kind: ``string``, ``iri``, ``var``, ``bnode``, ``pname``, ``number``, ``word`` (a keyword
            or a built-in function name), ``langtag`` or ``punct``.
        text: The token as written.
        start: Its offset in the text.
        end: The offset just after it.
    """

    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """The text upper-cased, for keywords (SPARQL keywords are case-insensitive)."""
        return self.text.upper()


class _Lexer:
    """Reads the token at any position of one text; a comment ends at the next line end,
    found by bisection (readings of :func:`scan` may skip the same long comment many times)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.token = token_pattern(names_are_ascii(text))
        self.line_ends = [m.start() for m in re.finditer("\n", text)]

    def match(self, pos: int, iri_here: bool = True) -> re.Match[str] | None:
        """The match of the token at or after *pos* (white space and comments skipped), or
        ``None`` at the end. With *iri_here* false, a ``<`` is read as an operator."""
        text = self.text
        m = None if iri_here else _OPERATOR.match(text, pos)
        m = m or self.token.match(text, pos)
        while m is not None and m.lastgroup == "comment":
            at = bisect.bisect_left(self.line_ends, m.end())
            if at == len(self.line_ends):
                return None
            m = self.token.match(text, self.line_ends[at])
        return m


def _next(lexer: _Lexer, pos: int) -> Token | None:
    m = lexer.match(pos)
    if m is None:
        return None
    kind = m.lastgroup
    start = m.start(kind)
    return Token("punct" if kind == "other" else kind, lexer.text[start : m.end()], start, m.end())


def tokens(text: str) -> Iterator[Token]:
    """The tokens of a SPARQL text, in its main reading (a ``<`` that can open an IRI does).

    Args:
        text: SPARQL text (normalized, :func:`normalize`, for a user's query).

    Yields:
        Each token in order; white space and comments are skipped.
    """
    lexer = _Lexer(text)
    pos = 0
    while (token := _next(lexer, pos)) is not None:
        yield token
        pos = token.end


def _tokens(text: str):
    """Yield ``(kind, value, offset)`` for the tokens that matter here: words (upper-cased) and braces."""
    for token in tokens(text):
        if token.kind == "word":
            yield "word", token.upper, token.start
        elif token.text in ("{", "}"):
            yield token.text, token.text, token.start


@dataclass(frozen=True)
class Service:
    """A ``SERVICE`` clause found by :func:`scan`.

    Attributes:
        start: The offset of the keyword.
        end: The offset just after it.
        exact: Whether the keyword is written alone (``SERVICE``), not run into other letters
            (``trueSERVICE``) or into a prefixed name (``SERVICE:x``).
        silent: The span of ``SILENT`` after it, if any.
        endpoint: The endpoint IRI, when it is written as an IRI (``<…>``); ``None`` for a
            variable, a prefixed name or anything else.
    """

    start: int
    end: int
    exact: bool
    silent: tuple[int, int] | None
    endpoint: str | None


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` found in a query text.

    Attributes:
        keywords: The Update keywords and ``SERVICE`` used as keywords, upper-cased.
        services: Every ``SERVICE`` clause, in any reading of the text.
    """

    keywords: frozenset[str]
    services: tuple[Service, ...]


def _has_service(token: Token) -> bool:
    """Whether a word or prefixed name may be read as the keyword ``SERVICE``."""
    if token.kind == "word":
        return "SERVICE" in token.upper
    if token.kind == "pname":  # SERVICE:x may be read as SERVICE and :x
        return "SERVICE" in token.text.split(":", 1)[0].upper()
    return False


def scan(text: str) -> Scan:
    """Find the Update keywords and ``SERVICE`` clauses of a query text, in every reading.

    A keyword is a word token outside strings, IRIs, comments, variables and prefixed names;
    any word that contains ``SERVICE`` counts as one (Oxigraph matches keywords without a word
    boundary), and so does a prefixed name whose prefix contains it. Where a ``<`` can open an
    IRI and also be the operator "less than" (after an operand, inside parentheses: every
    SPARQL expression stands in parentheses), both readings are followed until they reach the
    same point in the same state: the IRI, and ``<`` as an operator, whose words up to the
    would-be IRI's ``>`` cannot be keywords (they stand in an expression, with no ``{`` to open
    a pattern). A reading is a position, the depth of parentheses, whether the previous token
    was an operand and a pending ``SERVICE``; the scan visits each such state once.

    Args:
        text: Normalized SPARQL text (:func:`normalize`).

    Returns:
        The keywords and clauses found.
    """
    keywords: set[str] = set()
    services: dict[tuple, Service] = {}
    seen: set[tuple] = set()
    match = _Lexer(text).match
    # a reading: position, parentheses open, previous token an operand, pending SERVICE
    # (keyword token, SILENT span), offset until which words are not counted, offset of a <
    # read as an operator
    readings: list[tuple] = [(0, 0, False, None, -1, -1)]

    def clause(keyword: Token, silent, endpoint: str | None, at: int | None) -> None:
        exact = keyword.kind == "word" and keyword.upper == "SERVICE"
        services[(keyword.start, at, endpoint)] = Service(keyword.start, keyword.end, exact, silent, endpoint)

    while readings:
        pos, depth, operand, pending, quiet_until, operator_at = readings.pop()
        while True:
            key = (pos, depth, operand, pending and (pending[0].start, pending[1]), pos < quiet_until, pos == operator_at)
            if key in seen:
                break
            seen.add(key)
            m = match(pos, pos != operator_at)
            if m is None:
                if pending is not None:
                    clause(pending[0], pending[1], None, None)
                break
            kind = m.lastgroup
            start, end = m.start(kind), m.end()
            if kind == "other":
                kind = "punct"
            if kind == "iri" and operand and depth:
                readings.append((start, depth, operand, pending, end, start))
            if start >= quiet_until and (pending is not None or kind in ("word", "pname")):
                token = Token(kind, text[start:end], start, end)
                if pending is not None and kind == "word" and token.upper == "SILENT" and pending[1] is None:
                    pending = (pending[0], (start, end))
                elif pending is not None:
                    clause(pending[0], pending[1], token.text[1:-1] if kind == "iri" else None, start)
                    pending = None
                if _has_service(token):
                    keywords.add("SERVICE")
                    pending = (token, None)
                elif kind == "word" and token.upper in UPDATE_KEYWORDS:
                    keywords.add(token.upper)
            if kind == "punct":
                char = text[start]
                if char == "(":
                    depth += 1
                elif char == ")" and depth:
                    depth -= 1
                operand = char in ")]"
            else:
                operand = kind in _OPERANDS or (kind == "word" and text[start:end].upper() in ("TRUE", "FALSE"))
            pos = end
    return Scan(frozenset(keywords), tuple(sorted(services.values(), key=lambda s: (s.start, s.endpoint or ""))))


def _lexed(text: str | list[Token]) -> list[Token] | Iterator[Token]:
    return text if isinstance(text, list) else tokens(text)


def nesting_depth(text: str | list[Token]) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` in a query text (main reading).

    Args:
        text: SPARQL text, or its :func:`tokens` as a list.

    Returns:
        The greatest number of brackets open at once.
    """
    depth = deepest = 0
    for token in _lexed(text):
        if token.kind == "punct":
            if token.text in "{([":
                depth += 1
                deepest = max(deepest, depth)
            elif token.text in "})]":
                depth -= 1
    return deepest


def has_query_text(text: str | list[Token]) -> bool:
    """Whether a text holds anything beyond a prologue (``BASE`` and ``PREFIX`` declarations,
    comments, white space).

    Args:
        text: SPARQL text, or its :func:`tokens` as a list.

    Returns:
        ``False`` for an empty text or a prologue alone.
    """
    expect = None
    for token in _lexed(text):
        if expect == "iri" and token.kind == "iri":
            expect = None
        elif expect == "pname" and token.kind == "pname" and token.text.endswith(":"):
            expect = "iri"
        elif expect is None and token.kind == "word" and token.upper in ("BASE", "PREFIX"):
            expect = "iri" if token.upper == "BASE" else "pname"
        else:
            return True
    return False


@dataclass(frozen=True)
class DatasetIris:
    """The graphs a query's dataset clause names (SPARQL 1.1 §13.2).

    Attributes:
        default: The IRIs of its ``FROM`` clauses, in order.
        named: The IRIs of its ``FROM NAMED`` clauses, in order.
    """

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.default or self.named)


def dataset_iris(text: str | list[Token], prefixes: dict[str, str] | None = None) -> DatasetIris:
    """The IRIs a query names with ``FROM`` and ``FROM NAMED``, read lexically.

    Prefixed names are expanded with the query's ``PREFIX`` declarations and *prefixes*, and
    relative IRIs resolved against its ``BASE`` (RFC 3986), as Oxigraph does. Only clauses outside
    every ``{ … }`` count: sub-queries have no dataset clause.

    Args:
        text: Normalized SPARQL text (:func:`normalize`), or its :func:`tokens` as a list.
        prefixes: Predeclared prefixes (default: :data:`relgraph.namespaces.PREFIXES`, which
            relgraph gives Oxigraph).

    Returns:
        The ``FROM`` and ``FROM NAMED`` IRIs; a prefixed name with an undeclared prefix is left
        out (Oxigraph refuses the query).
    """

    declared = dict(PREFIXES if prefixes is None else prefixes)
    base: str | None = None
    default: list[str] = []
    named: list[str] = []
    depth = 0
    state: str | None = None  # after BASE, PREFIX, PREFIX p:, FROM, FROM NAMED
    prefix_name = ""

    def iri_of(token: Token) -> str | None:
        if token.kind == "iri":
            value = token.text[1:-1]
            return urljoin(base, value) if base else value
        if token.kind == "pname":
            name, local = token.text.split(":", 1)
            namespace = declared.get(name)
            return None if namespace is None else namespace + local.replace("\\", "")
        return None

    for token in _lexed(text):
        if token.text == "{":
            depth += 1
            state = None
            continue
        if token.text == "}":
            depth -= 1
            continue
        if depth:
            continue
        if token.kind == "pname" and state in (None, "from"):
            # FROM:g and FROM NAMED:g are read by Oxigraph as the keyword and a prefixed name
            # with the empty prefix (it needs no space between them)
            keyword, colon = token.upper.split(":", 1)[0], token.text.index(":")
            if (keyword, state) in (("FROM", None), ("NAMED", "from")):
                state = "from" if keyword == "FROM" else "named"
                token = Token("pname", token.text[colon:], token.start + colon, token.end)
        kind, upper = token.kind, token.upper
        if state == "base":
            if kind == "iri":
                base = token.text[1:-1]
            state = None
        elif state == "prefix":
            prefix_name, state = (token.text[:-1], "prefix-iri") if kind == "pname" and token.text.endswith(":") else ("", None)
        elif state == "prefix-iri":
            if kind == "iri":
                value = token.text[1:-1]
                declared[prefix_name] = urljoin(base, value) if base else value
            state = None
        elif state == "from" and kind == "word" and upper == "NAMED":
            state = "named"
        elif state in ("from", "named"):
            value = iri_of(token)
            if value is not None:
                (named if state == "named" else default).append(value)
            state = None
        elif kind == "word" and upper in ("BASE", "PREFIX", "FROM"):
            state = upper.lower()
    return DatasetIris(tuple(default), tuple(named))


def query_form(text: str) -> str | None:
    """The query form keyword (``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``), read lexically.

    Args:
        text: SPARQL text.

    Returns:
        The first query form keyword, or ``None``.
    """
    return next((v for kind, v, _ in _tokens(text) if kind == "word" and v in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")), None)


def form_offset(text: str) -> int:
    """The offset of the query form keyword (``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``).

    Everything before it is the prologue (``BASE`` and ``PREFIX`` declarations, comments).

    Args:
        text: SPARQL text.

    Returns:
        The offset of the keyword in *text*.

    Raises:
        QueryError: No query form keyword was found.
    """
    for kind, value, offset in _tokens(text):
        if kind == "word" and value in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
            return offset
    raise QueryError("the query has no SELECT, CONSTRUCT, DESCRIBE or ASK")


def top_level_modifiers(text: str) -> set[str]:
    """The solution modifiers and clauses used outside every ``{ … }`` after the query form.

    Args:
        text: SPARQL text.

    Returns:
        The upper-cased keywords among ``LIMIT``, ``OFFSET``, ``ORDER``, ``GROUP``, ``HAVING``,
        ``VALUES`` and ``DISTINCT``/``REDUCED`` that appear at brace depth 0 of the outermost query.
    """
    wanted = {"LIMIT", "OFFSET", "ORDER", "GROUP", "HAVING", "VALUES", "DISTINCT", "REDUCED"}
    depth = 0
    seen_form = False
    found: set[str] = set()
    for kind, value, _ in _tokens(text):
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
        elif depth == 0 and kind == "word":
            if value in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                seen_form = True
            elif seen_form and value in wanted:
                found.add(value)
    return found


def count_query(text: str, variable: str = "relgraphRowCount") -> str:
    """Wrap a SELECT query so that it returns how many solutions it has.

    ``PROLOGUE SELECT … WHERE {…} MODIFIERS`` becomes
    ``PROLOGUE SELECT (COUNT(*) AS ?variable) WHERE { { SELECT … WHERE {…} MODIFIERS } }``
    (SPARQL 1.1 §12.2.4 sub-queries), which a server answers with one row, so a cap on the number
    of result rows cannot shorten it. A ``SELECT DISTINCT`` query is counted with
    ``COUNT(DISTINCT *)``: the same number by the standard, and the right one on Virtuoso 7.2.5,
    whose ``COUNT(*)`` over a DISTINCT sub-query now and then counts solutions twice.

    Args:
        text: A SELECT query.
        variable: The name of the count variable, without ``?``.

    Returns:
        The counting query.

    Raises:
        QueryError: As :func:`form_offset`.
    """
    at = form_offset(text)
    counted = "DISTINCT *" if "DISTINCT" in top_level_modifiers(text) else "*"
    return f"{text[:at]}SELECT (COUNT({counted}) AS ?{variable}) WHERE {{\n{{\n{text[at:]}\n}}\n}}"


def page_query(text: str, offset: int, limit: int) -> str:
    """Append ``OFFSET offset LIMIT limit`` to a SELECT query, to fetch one page of its solutions.

    The solution modifiers follow the query's own ``ORDER BY`` (SPARQL 1.1 §15), so the pages of
    an ordered query are consecutive slices of one sequence.

    Args:
        text: A SELECT query without a top-level ``LIMIT``, ``OFFSET`` or trailing ``VALUES``.
        offset: Solutions to skip (≥ 0).
        limit: Solutions to return (≥ 1).

    Returns:
        The paging query.

    Raises:
        QueryError: The query has its own top-level ``LIMIT``, ``OFFSET`` or ``VALUES``.
    """
    clash = top_level_modifiers(text) & {"LIMIT", "OFFSET", "VALUES"}
    if clash:
        raise QueryError(f"cannot page a query that has its own top-level {', '.join(sorted(clash))}")
    return f"{text.rstrip()}\nOFFSET {int(offset)} LIMIT {int(limit)}\n"


@functools.lru_cache(maxsize=64)  # a stored query's text is bound again for every answer (0.25 ms to lex)
def outermost_pattern_start(text: str) -> int:
    """Return the offset just after the ``{`` that opens the query's outermost group pattern.

    For ``SELECT``, ``ASK`` and ``DESCRIBE … WHERE`` it is the first top-level ``{``; for
    ``CONSTRUCT {template} WHERE {pattern}`` it is the ``{`` after the template.

    Args:
        text: A SPARQL query.

    Returns:
        The offset in *text* right after that brace.

    Raises:
        QueryError: No query form or no group pattern was found, or the query is a
            ``CONSTRUCT WHERE`` short form (its pattern is also its template).
    """
    form = None
    skip_template = False
    depth = 0
    for kind, value, offset in _tokens(text):
        if form is None:
            if kind == "word" and value in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                form = value
                skip_template = value == "CONSTRUCT"
            continue
        if kind == "word" and form == "CONSTRUCT" and skip_template and depth == 0 and value == "WHERE":
            raise QueryError("a parametrised CONSTRUCT needs the form CONSTRUCT { template } WHERE { pattern }")
        if kind == "{":
            if skip_template:
                depth += 1
                continue
            return offset + 1
        if kind == "}" and skip_template:
            depth -= 1
            if depth == 0:
                skip_template = False
    raise QueryError("the query has no SELECT, CONSTRUCT, DESCRIBE or ASK with a { … } pattern")


def insert_values(text: str, variables: list[str], row: list[str], *more_rows: list[str]) -> str:
    """Insert ``VALUES (?v …) { (term …) … }`` at the start of the outermost group pattern.

    Args:
        text: A SPARQL query.
        variables: Variable names, without ``?``.
        row: One serialized RDF term per variable (``<iri>``, ``"literal"^^<datatype>``), as
            pyoxigraph's ``str()`` writes them.
        more_rows: Further rows, likewise.

    Returns:
        The query with the block inserted, or *text* unchanged if there are no variables.

    Raises:
        QueryError: As :func:`outermost_pattern_start`.
    """
    if not variables:
        return text
    at = outermost_pattern_start(text)
    rows = " ".join("(" + " ".join(r) + ")" for r in (row, *more_rows))
    block = "\n  VALUES (" + " ".join("?" + v for v in variables) + ") { " + rows + " }\n"
    return text[:at] + block + text[at:]

