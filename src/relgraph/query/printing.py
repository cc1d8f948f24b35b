"""Laying out tables of text for people: on a terminal of any width, or in a pipe.

The one place where relgraph decides how a table looks (``query``, ``sparql``, ``describe``,
``diff`` and ``queries`` all print through :func:`print_table`). rich does the layout; this
module only chooses between rich's layouts, in the manner of psql's ``\\x auto``:

- **a table** (rich ``Table``) when every column can be at least as wide as its longest word
  and the whole still fits the width: cells wrap at spaces, never inside a word;
- otherwise **records**: one block per row, headed ``row N of M``, with one ``column  value``
  line per column, the value wrapping at spaces (a single word longer than the whole line is
  the only thing ever folded).

Rows may be grouped under headings (``describe``: one heading per node, its statements as
``property  value`` lines), and numbered references (``[1]``) may be listed under the table,
so that long lists such as a claim's sources are written once, not in every cell.

The width is the terminal's (or ``COLUMNS``); in a pipe or file it is ``COLUMNS`` or
:data:`PIPE_WIDTH`, so piped output has the same readable layout and never a line longer than
that.
"""

from __future__ import annotations

import errno
import itertools
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

import pyoxigraph as ox

from relgraph.namespaces import compact

if TYPE_CHECKING:  # rich is imported when a table is printed, not when relgraph starts
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.console import Console
    from rich.table import Table

__all__ = ["PIPE_WIDTH", "MAX_TABLE_ROWS", "make_console", "print_table", "longest_word", "render_table", "printable"]

PIPE_WIDTH = 80
"""The width of tables written to a pipe or file when ``COLUMNS`` does not say otherwise."""

_GAP = 2
"""Spaces between a record's column name and its value."""


def make_console(file: TextIO | None = None) -> Console:
    """A rich console for tables on *file* (standard output by default).

    Its width: ``COLUMNS`` when set to a positive number; else the terminal's width when *file*
    is a terminal; else :data:`PIPE_WIDTH`. Markup and highlighting are off: data is printed as
    written, never interpreted.

    Args:
        file: The text stream to print to.

    Returns:
        A ``rich.console.Console``.
    """
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich would exit with 1 ("validation failed" for relgraph): let the command line
            # end quietly with its own code for a closed pipe instead

            self.quiet = True
            raise BrokenPipeError(errno.EPIPE, "the reader of standard output closed it")

    stream = file if file is not None else sys.stdout
    columns = os.environ.get("COLUMNS", "")
    width = None
    if not (columns.isdigit() and int(columns) > 0):
        try:
            terminal = stream.isatty()
        except (AttributeError, ValueError, OSError):
            terminal = False
        width = None if terminal else PIPE_WIDTH
    return _Console(file=stream, width=width, highlight=False, markup=False, emoji=False, soft_wrap=False)


def longest_word(text: str) -> int:
    """The width in terminal cells of the longest space-separated word of *text* (0 if none).

    Args:
        text: Any text; line feeds and spaces separate words.

    Returns:
        The cell width (wide characters count 2), as rich measures it.
    """
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.cells import cell_len

    return max((cell_len(word) for word in text.split()), default=0)


def print_table(
    console: Console,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    right: frozenset[str] | set[str] = frozenset(),
    group: int | None = None,
    references: Sequence[tuple[str, str]] = (),
    references_title: str = "",
) -> None:
    """Print rows of text as a table that fits the console, or as records when it cannot.

    Every cell is plain text (never rich markup); control characters must already be made
    visible (:func:`relgraph.query.printing.printable`). Lines never exceed ``console.width`` and
    words are never broken, except a single word longer than a whole record line, which is
    folded as the last resort.

    Args:
        console: The console to print to (see :func:`make_console`).
        headers: The column names, in order.
        rows: One sequence of cell texts per row, aligned with *headers*; a cell may hold line
            feeds.
        title: A line printed first.
        right: Names of columns to right-align in the table layout (numbers).
        group: The index of a column whose value is shown once, as a heading, over the
            consecutive rows that share it; each row's other cells follow beneath it, as
            ``key  value`` lines when two remain, else laid out like a table of their own.
        references: Numbered items listed under the table, as (marker, text) pairs such as
            ``("[1]", "Kremlin: … (rgid:source-kremlin-3506)")``.
        references_title: The line above the references.
    """
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.text import Text

    if title:
        console.print(Text(title))
    if group is None:
        _print_block(console, list(headers), [list(r) for r in rows], right)
    else:
        others = [i for i in range(len(headers)) if i != group]
        key_width = _key_width(console, [r[others[0]] for r in rows]) if len(others) == 2 else 0
        for heading, members in itertools.groupby(rows, key=lambda r: r[group]):
            console.print()
            console.print(Text(heading, style="bold"))
            cells = [[r[i] for i in others] for r in members]
            if len(others) == 2:
                _print_pairs(console, [(k, v) for k, v in cells], key_width, indent=2)
            else:
                _print_block(console, [headers[i] for i in others], cells, right)
    if references:
        if references_title:
            console.print(Text(references_title))
        _print_pairs(console, list(references), max(len(m) for m, _ in references), indent=0, gap=1, right_keys=True)


def _table(console: Console, headers: list[str], rows: list[list[str]], right: frozenset[str] | set[str]) -> Table | None:
    """A rich table whose columns are never narrower than their longest word, or ``None``
    when such a table is wider than the console."""
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.measure import Measurement
    from rich.table import Table
    from rich.text import Text

    def new_table() -> Table:
        return Table(show_lines=True)

    columns = [[name, *(row[index] for row in rows)] for index, name in enumerate(headers)]
    narrowest = [max(1, *(longest_word(cell) for cell in column)) for column in columns]
    widest = [max(narrow, *(_longest_line(cell) for cell in column)) for narrow, column in zip(narrowest, columns)]
    probe = new_table()  # borders and padding: what a table of one-cell-wide columns measures
    for _ in headers:
        probe.add_column(width=1)
    overhead = Measurement.get(console, console.options.update_width(1_000_000), probe).minimum - len(headers)
    widths = _share(console.width - overhead, narrowest, widest)
    if widths is None:
        return None
    table = new_table()
    for name, width in zip(headers, widths):
        table.add_column(Text(name), width=width, overflow="fold", justify="right" if name in right else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _share(room: int, narrowest: list[int], widest: list[int]) -> list[int] | None:
    """Column widths that fill at most *room* cells: each column as wide as its longest line
    when all fit, else the widest columns cut to one common width, never below their longest
    word. ``None`` when even the longest words do not fit."""
    if sum(narrowest) > room:
        return None
    if sum(widest) <= room:
        return list(widest)

    def total(cap: int) -> int:
        return sum(max(low, min(high, cap)) for low, high in zip(narrowest, widest))

    low, high = 1, max(widest)  # the largest common cap that fits: total() grows with cap
    while low < high:
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    widths = [max(n, min(w, low)) for n, w in zip(narrowest, widest)]
    spare = room - sum(widths)
    for index in sorted(range(len(widths)), key=lambda i: widest[i] - widths[i], reverse=True):
        if spare <= 0:
            break
        if widths[index] < widest[index]:  # the remainder goes one cell each to the columns cut most
            widths[index] += 1
            spare -= 1
    return widths


def _longest_line(text: str) -> int:
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.splitlines()), default=0)


def _print_block(console: Console, headers: list[str], rows: list[list[str]], right: frozenset[str] | set[str]) -> None:
    table = _table(console, headers, rows, right)
    if table is not None:
        console.print(table)
        return
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.rule import Rule
    from rich.text import Text

    key_width = _key_width(console, headers)
    for number, row in enumerate(rows, start=1):
        console.print(Rule(Text(f"row {number} of {len(rows)}"), align="left", characters="─"))
        _print_pairs(console, list(zip(headers, row)), key_width, indent=0)


def _key_width(console: Console, keys: Sequence[str]) -> int:
    """The width of the key column of records: the widest key when it takes at most a third
    of the line, else a third, or the longest word of a key when that is wider (up to half)."""
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.cells import cell_len

    widest = max((cell_len(line) for key in keys for line in key.splitlines() or [""]), default=0)
    word = max((longest_word(key) for key in keys), default=0)
    return max(1, min(widest, max(console.width // 3, min(word, console.width // 2))))


def _print_pairs(console: Console, pairs: list[tuple[str, str]], key_width: int, *, indent: int, gap: int = _GAP, right_keys: bool = False) -> None:
    """Print (key, value) pairs as two aligned columns; values wrap at spaces within the width."""
    # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, gap, 0, 0))
    grid.add_column(width=key_width, overflow="fold", justify="right" if right_keys else "left")
    grid.add_column(max_width=max(1, console.width - indent - key_width - gap), overflow="fold")
    for key, value in pairs:
        grid.add_row(Text(key), Text(value))
    console.print(Padding(grid, (0, 0, 0, indent)) if indent else grid)


MAX_TABLE_ROWS = 5000
"""Tables show at most this many rows; machine formats show all."""


def _cell(term, kind: str, labels: Mapping[str, str], column: str = "") -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = labels.get(term.value)
        return f"{label} ({compact(term.value)})" if label else compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):  # an RDF 1.2 triple term
        return "<< " + " ".join(_cell(t, "", labels) if not isinstance(t, ox.Literal) else str(t) for t in (term.subject, term.predicate, term.object)) + " >>"
    if kind == "iri-list":
        return "\n".join(_cell(ox.NamedNode(i), "iri", labels) for i in term.value.split())
    if kind == "date" and column in ("unconfirmed_after", "unconfirmed_before"):
        return f"{column.replace('_', ' ')} {term.value}"
    if kind == "number":
        whole, dot, fraction = term.value.partition(".")
        if whole.lstrip("+-").isdigit():
            sign = "-" if whole.startswith("-") else ""
            return f"{sign}{int(whole.lstrip('+-')):,}{dot}{fraction}"
    return term.value


def render_table(
    console,
    variables: Sequence[str],
    rows: Sequence[Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode | None]],
    labels: Mapping[str, str],
    kinds: Mapping[str, str] | None = None,
    title: str | None = None,
    group: str | None = None,
) -> None:
    """Print rows of RDF terms for people, laid out by :func:`relgraph.query.printing.print_table`.

    IRIs are shown with their label beside their prefixed name. The IRIs of ``iri-list``
    columns (a claim's sources, what disputes it) are numbered once per table: the cell holds
    their numbers (``[1] [2]``) and the numbered IRIs, each with its label, are listed under
    the table. The table fits the console's width; a table that cannot fit without breaking
    words is printed as one record per row.

    Args:
        console: A ``rich.console.Console`` to print to (:func:`relgraph.query.printing.make_console`).
        variables: Column names, in order (any names: nothing here depends on which).
        rows: Rows as variable name → term (``None`` for unbound).
        labels: IRI → label, shown beside each IRI.
        kinds: Column name → kind from the query header: ``iri-list`` columns (space-separated
            IRIs) are numbered references; ``number`` columns get thousands separators and are
            right-aligned.
        title: A title printed above the table.
        group: A column shown once as a heading over the consecutive rows that share its value
            (``describe`` groups by node).
    """

    kinds = kinds or {}
    numbers: dict[str, int] = {}
    referring: list[str] = []

    def cell(name: str, term) -> str:
        kind = kinds.get(name, "")
        if kind == "iri-list" and isinstance(term, ox.Literal):
            marks = []
            for iri in term.value.split():
                marks.append(f"[{numbers.setdefault(iri, len(numbers) + 1)}]")
            if marks and name not in referring:
                referring.append(name)
            return " ".join(marks)
        return printable(_cell(term, kind, labels, name))

    shown = rows[:MAX_TABLE_ROWS]
    cells = [[cell(name, row.get(name)) for name in variables] for row in shown]
    references = [(f"[{n}]", printable(_listed(iri, labels))) for iri, n in numbers.items()]
    print_table(
        console,
        [printable(name) for name in variables],
        cells,
        title=printable(title) if title else None,
        right={printable(n) for n in variables if kinds.get(n) == "number"},
        group=list(variables).index(group) if group is not None else None,
        references=references,
        references_title=f"[n] in {', '.join(referring)}:",
    )
    if len(rows) > len(shown):
        # imported here: rich is 27 ms (python -X importtime) that --format tsv and csv never need
        from rich.text import Text

        console.print(Text(f"… and {len(rows) - len(shown)} more rows; use --format csv, tsv, json or xml for all of them."))


def _listed(iri: str, labels: Mapping[str, str]) -> str:
    try:
        return _cell(ox.NamedNode(iri), "iri", labels)
    except ValueError:  # not an IRI after all (a list column of one's own query)
        return iri


def printable(text: str) -> str:
    """Show control characters (escape sequences a terminal would obey) as visible escapes.

    Args:
        text: Any text from the data.

    Returns:
        The text with every non-printable character except the line feed written ``\\xNN`` or
        ``\\uNNNN``.
    """
    if text.replace("\n", "").isprintable():  # nearly every cell: no character to escape
        return text
    return "".join(c if c == "\n" or c.isprintable() else (f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}") for c in text)
