"""Tables for people: they fit the terminal they print on (80 and 100 columns, a pipe), never
break a word, list every source once under the table, and serve query, sparql, describe and
queries through one printer (relgraph.query.printing)."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from tests.conftest import REPO, TODAY, nonempty, run_cli, hand_root_path
from relgraph.namespaces import compact
from relgraph.query.results import labels_for
from relgraph.query.printing import PIPE_WIDTH, print_table

HEADLINE = ("query", "shared-memberships", "--param", "a=RU", "--param", "b=TJ")


def _tokens(text: str) -> set[str]:
    return set(text.split())


def _assert_fits(out: str, width: int) -> None:
    lines = out.splitlines()
    assert lines, "nothing was printed"
    too_long = [line for line in lines if cell_len(line) > width]
    assert not too_long, f"{len(too_long)} lines longer than {width}: {too_long[0]!r}"


def _assert_words_whole(out: str, texts: list[str]) -> None:
    """Every word of every text appears whole in one whitespace-separated token of *out*:
    a word broken across lines ("Collect" / "ive") is in no token."""
    tokens = _tokens(out)
    for text in nonempty(texts):
        for word in text.split():
            assert any(word in token for token in tokens), f"the word {word!r} of {text!r} is broken or missing"


def _references(out: str) -> dict[int, str]:
    """The numbered list under a table: number → its text, joined across wrapped lines."""
    head = re.search(r"^\[n\] in [^\n]*:$", out, re.MULTILINE)
    assert head, "no list of references under the table"
    items: dict[int, str] = {}
    current = None
    for line in out[head.end():].splitlines():
        m = re.match(r"^ *\[(\d+)\] (.*)$", line.rstrip())  # numbers are right-aligned from [10] on
        if m:
            current = int(m.group(1))
            items[current] = m.group(2).strip()
        elif current is not None and line.startswith(" ") and line.strip():
            items[current] += " " + line.strip()
        elif line.strip():
            break
    return items


def _headline_answer() -> tuple[list[dict], list[str]]:
    """The headline's rows from its JSON results, and every label its table shows."""
    from relgraph.paths import Layout
    from relgraph.graph.store import query_store

    rows = json.loads(run_cli(*HEADLINE, "--format", "json").stdout)["results"]["bindings"]
    iris = set()
    for row in rows:
        for name, cell in row.items():
            if cell["type"] == "uri":
                iris.add(cell["value"])
            elif name.startswith("sources_"):
                iris.update(cell["value"].split())
    labels = labels_for(query_store(Layout(hand_root_path()), None), iris)
    return rows, sorted(labels.values())


@pytest.mark.parametrize("width", [80, 100])
def test_the_headline_table_fits_the_terminal_and_breaks_no_word(width, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli(*HEADLINE)
    assert result.code == 0 and f"As of {TODAY}" in result.stderr
    out = result.stdout
    _assert_fits(out, width)
    rows, labels = _headline_answer()
    assert len(rows) == 3
    _assert_words_whole(out, labels)
    for organisation in ("Collective Security Treaty Organization (rgid:csto)", "Commonwealth of Independent States (rgid:cis)", "Shanghai Cooperation Organisation (rgid:sco)"):
        assert organisation in out  # each on one line: the value column is wider than it
    assert len(out.splitlines()) < 60, "the headline should be short enough to read (149 lines before)"
    # every source is listed once under the table, each with its label and prefixed name,
    # and each row's cell numbers name exactly that row's sources
    listed = _references(out)
    by_iri = {}
    for number, text in listed.items():
        m = re.search(r"\((rgid:[^)\s]+)\)$", text)
        assert m, f"reference [{number}] has no IRI: {text!r}"
        by_iri[m.group(1)] = number
    sources = {compact(i) for row in rows for name in ("sources_a", "sources_b") for i in row[name]["value"].split()}
    # nine, and the pages that confirm the memberships later (Asia-Plus, 22 October 2024, and
    # 24.kg, 27 November 2025, the CSTO; TRT World, 10 October 2025, the CIS)
    assert set(by_iri) == sources and len(listed) == len(sources) == 12
    assert " [1] Wikipedia: Russia–Tajikistan relations, paragraph on alliances and" in out
    records = re.split(r"^row \d of 3 ─+\s*$", out, flags=re.MULTILINE)[1:]
    assert len(records) == 3, "at this width the headline is one record per row"
    for record, row in zip(records, rows):
        for name in ("sources_a", "sources_b"):
            shown = re.search(rf"^{name} +((?:\[\d+\] ?)+)", record, re.MULTILINE).group(1)
            numbers = {int(n) for n in re.findall(r"\d+", shown)}
            assert numbers == {by_iri[compact(i)] for i in row[name]["value"].split()}


def test_a_wide_terminal_gets_a_table_with_the_same_references(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")  # wide enough for every column, unconfirmed_before included
    out = run_cli(*HEADLINE).stdout
    _assert_fits(out, 220)
    assert "┃ organisation" in out and "row 1 of 3" not in out
    assert "│ [1] [2] [3] [4] │ [1] [2] [3] [4] │" in out
    _assert_words_whole(out, _headline_answer()[1])
    assert len(_references(out)) == 12


def test_piped_output_is_as_wide_as_80_columns(monkeypatch) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run([sys.executable, "-m", "relgraph", *HEADLINE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert PIPE_WIDTH == 80
    _assert_fits(done.stdout, 80)
    assert max(cell_len(line) for line in done.stdout.splitlines()) > 60  # it uses the width, not a sliver of it
    _assert_words_whole(done.stdout, _headline_answer()[1])


@pytest.mark.parametrize("width", [80, 100])
def test_describe_groups_statements_by_node_within_the_width(width, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run_cli("describe", "csto")
    assert result.code == 0
    _assert_fits(result.stdout, width)
    lines = result.stdout.splitlines()
    assert "Collective Security Treaty Organization (rgid:csto)" in lines  # a heading of its own
    assert any(re.match(r"^  rdfs:label +Collective Security Treaty Organization$", line.rstrip()) for line in lines)
    assert "rgid:membership-tajikistan-csto" in lines
    _assert_words_whole(result.stdout, ["Kremlin: text of the Charter of the Collective Security Treaty Organization", "The article calls it 'the military alliance formed by the Collective Security Treaty Organization'."])


@pytest.mark.parametrize("width", [80, 100])
def test_sparql_tables_of_any_columns_fit(width, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    query = (
        "SELECT ?organisation ?unconfirmed_before ?note WHERE { VALUES ?organisation { rgid:csto rgid:cis } "
        'BIND ("2022-01-01"^^xsd:date AS ?unconfirmed_before) '
        'BIND ("a deliberately long note that has many ordinary words and one unbreakable-word-of-forty-characters" AS ?note) }'
    )
    result = run_cli("sparql", query)
    assert result.code == 0, result.stderr
    _assert_fits(result.stdout, width)
    _assert_words_whole(result.stdout, ["Collective Security Treaty Organization (rgid:csto)", "unbreakable-word-of-forty-characters", "unconfirmed_before 2022-01-01"])


def test_the_catalogue_fits_80_columns(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run_cli("queries").stdout
    _assert_fits(out, 80)
    assert "┃ name" in out  # a table: every column fits at its longest word
    _assert_words_whole(out, ["shared-memberships military-presence treaties-between unconfirmed_after,"])


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzБЖЯ中()-:", min_size=1, max_size=12)
cells = st.lists(words, min_size=0, max_size=14).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    width=st.integers(min_value=40, max_value=160),
    columns=st.integers(min_value=1, max_value=9),
    data=st.data(),
)
def test_any_table_fits_any_width_without_breaking_a_word(width, columns, data) -> None:
    headers = [f"c{i}_{data.draw(words)}" for i in range(columns)]
    rows = data.draw(st.lists(st.lists(cells, min_size=columns, max_size=columns), min_size=1, max_size=5))
    references = [(f"[{n}]", data.draw(cells)) for n in range(1, data.draw(st.integers(0, 3)) + 1)]
    out = io.StringIO()
    console = Console(file=out, width=width, highlight=False, markup=False, soft_wrap=False)
    print_table(console, headers, rows, title=data.draw(cells), references=references, references_title="[n] in c0:")
    text = out.getvalue()
    _assert_fits(text, width)
    tokens = _tokens(text)
    for word in [w for row in rows for cell in row for w in cell.split()] + [w for h in headers for w in h.split()] + [w for _, c in references for w in c.split()]:
        assert any(word in token for token in tokens), f"{word!r} broken at width {width}"
