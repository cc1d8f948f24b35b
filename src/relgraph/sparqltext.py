"""Lexical helpers for SPARQL query text: finding where the outermost pattern opens.

relgraph binds stored-query parameters by inserting a ``VALUES`` block at the start of the
query's outermost group graph pattern, so that the same text runs unchanged on Oxigraph, on
rdflib and on remote endpoints. Finding that point only needs a lexer that skips comments,
IRIs and string literals; SPARQL itself is parsed by the engines.
"""

from __future__ import annotations

import re

from relgraph.errors import QueryError

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
"""Words that only SPARQL 1.1 Update uses: a query never contains them as bare keywords."""

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def normalize(text: str) -> str:
    """Bring query text to the form every engine reads the same way.

    SPARQL 1.1 (section 19.2) processes ``\\uXXXX`` and ``\\UXXXXXXXX`` codepoint escapes
    anywhere in the query before parsing; some engines expand them only inside strings and IRIs.
    Line ends are made ``\\n`` (a comment ends at a line end, and engines disagree on a lone
    carriage return). Checks and execution both use the normalized text, so no parser can see a
    different query than the one that was checked.

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

    return _ESCAPE.sub(expand, text.replace("\r\n", "\n").replace("\r", "\n"))


def forbidden_keywords(text: str) -> set[str]:
    """Find ``SERVICE`` and Update keywords used as keywords (not in strings, IRIs, comments,
    variables or prefixed names).

    Args:
        text: Normalized SPARQL text (see :func:`normalize`).

    Returns:
        The forbidden keywords found, upper-cased.
    """
    return {value for kind, value, _ in _tokens(text) if kind == "word" and (value == "SERVICE" or value in UPDATE_KEYWORDS)}

__all__ = [
    "normalize",
    "forbidden_keywords",
    "query_form",
    "form_offset",
    "top_level_modifiers",
    "outermost_pattern_start",
    "insert_values",
    "count_query",
    "page_query",
    "UPDATE_KEYWORDS",
]

_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_STRING_DELIMS = ('"""', "'''", '"', "'")


def _tokens(text: str):
    """Yield ``(kind, value, offset)`` for the tokens that matter: words, braces; skip the rest."""
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c == "<":
            m = _IRI.match(text, i)
            if m:
                i = m.end()
                continue
            i += 1
            continue
        if c in "\"'":
            delim = next(d for d in _STRING_DELIMS if text.startswith(d, i))
            j = i + len(delim)
            while j < n and not text.startswith(delim, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(delim)
            continue
        if c in "?$":
            m = _WORD.match(text, i + 1)
            i = m.end() if m else i + 1
            continue
        if c in "{}":
            yield c, c, i
            i += 1
            continue
        m = _WORD.match(text, i)
        if m:
            end = m.end()
            if end < n and text[end] == ":":
                # a prefixed name such as ex:SERVICE or rdf:type is not a keyword
                m2 = re.compile(r":[^\s{}();,]*").match(text, end)
                i = m2.end() if m2 else end + 1
                continue
            yield "word", m.group(0).upper(), i
            i = end
            continue
        i += 1


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
    of result rows cannot shorten it.

    Args:
        text: A SELECT query.
        variable: The name of the count variable, without ``?``.

    Returns:
        The counting query.

    Raises:
        QueryError: As :func:`form_offset`.
    """
    at = form_offset(text)
    return f"{text[:at]}SELECT (COUNT(*) AS ?{variable}) WHERE {{\n{{\n{text[at:]}\n}}\n}}"


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

