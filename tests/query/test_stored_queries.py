"""Stored queries: each answers its fixture cases exactly; headers match the queries; parameters
are resolved to terms and bound in a VALUES block where it binds them; the headline answers hold
on the shipped graph."""

from __future__ import annotations

import datetime as dt
import json

import pyoxigraph as ox
import pytest
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from tests.conftest import DATA, REPO, RGID, nonempty
from tests.utils.answers import case_period
from relgraph.query.catalogue import AS_OF, PERIOD_END, PERIOD_START, load_catalogue
from relgraph.errors import ParameterError, QueryError
from relgraph.graph.loading import load
from relgraph.namespaces import compact
from relgraph.query import binding
from relgraph.query.binding import bind, resolve, run
from relgraph.sparqltext import insert_values, outermost_pattern_start

CATALOGUE = load_catalogue(sorted((REPO / "queries").glob("*.rq")))
QUERIES = nonempty(sorted(CATALOGUE))
FIXTURE = "https://example.org/fixture/"


def term_text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return "ex:" + term.value[len(FIXTURE):] if term.value.startswith(FIXTURE) else compact(term.value)
    if term.language:
        return f"{term.value}@{term.language}"
    if term.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        parts = term.value.split()
        if parts and all(p.startswith(FIXTURE) for p in parts):
            return " ".join(sorted("ex:" + p[len(FIXTURE):] for p in parts))
        return term.value
    return f"{term.value}^^{compact(term.datatype.value)}"


def rows_of(solutions) -> list[dict[str, str | None]] | list[str]:
    if isinstance(solutions, ox.QueryTriples):
        return sorted(" ".join(term_text(term) for term in (t.subject, t.predicate, t.object)) for t in solutions)
    names = [v.value for v in solutions.variables]
    return [{n: term_text(s[n]) for n in names} for s in solutions]


def cases() -> list[tuple[str, int, dict]]:
    found = []
    for name in QUERIES:
        path = DATA / "queries" / name / "cases.json"
        for index, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            found.append((name, index, case))
    return nonempty(found)


@pytest.mark.parametrize("name", QUERIES)
def test_every_stored_query_has_a_fixture_with_cases(name) -> None:
    folder = DATA / "queries" / name
    assert (folder / "data.ttl").is_file()
    assert json.loads((folder / "cases.json").read_text(encoding="utf-8")), f"{name} has no cases"
    assert any(case["expected"] for case in json.loads((folder / "cases.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize(("name", "index", "case"), cases(), ids=lambda x: x if isinstance(x, str) else str(x) if isinstance(x, int) else "")
def test_stored_query_answers_its_fixture_case(layout, name, index, case) -> None:
    loaded = load(layout, [DATA / "queries" / name / "data.ttl"], include_root_facts=False)
    as_of = dt.date.fromisoformat(case["as_of"]) if "as_of" in case else None
    assert rows_of(run(loaded.store, CATALOGUE[name], case["params"], as_of, case.get("all_claims", False), period=case_period(case))) == case["expected"]


@pytest.mark.parametrize("name", QUERIES)
def test_query_fixture_data_is_valid(layout, name) -> None:
    from relgraph.validate.whole import validate

    assert validate(layout, [DATA / "queries" / name / "data.ttl"], standalone=True).results == ()


# ----------------------------------------------------------------------------- headers


def _projection(name: str) -> list[str]:
    tree = parseQuery(CATALOGUE[name].text)[1]
    names = []
    for item in tree["projection"]:
        names.append(str(item["var"] if "var" in item else item["evar"]))
    return names


@pytest.mark.parametrize("name", QUERIES)
def test_header_columns_are_the_projection(name) -> None:
    query = CATALOGUE[name]
    assert query.title and query.description
    form = parseQuery(query.text)[1].name
    if form == "ConstructQuery":
        assert query.columns == ()
    else:
        assert [c.name for c in query.columns] == _projection(name)


@pytest.mark.parametrize("name", QUERIES)
def test_every_parameter_and_as_of_is_used(name) -> None:
    query = CATALOGUE[name]
    variables = {str(v) for v in _walk_variables(parseQuery(query.text))}
    for parameter in query.parameters:
        assert parameter.name in variables, f"{name}: parameter {parameter.name} is never used"
    assert (AS_OF in variables) == query.time_aware, f"{name}: time-aware header and ?asOf disagree"
    assert ({PERIOD_START, PERIOD_END} <= variables) == query.period, f"{name}: period header and ?periodStart, ?periodEnd disagree"
    assert bool({PERIOD_START, PERIOD_END} & variables) == query.period


def test_the_queries_with_a_period_are_timeline_wars_and_organisation_history() -> None:
    assert sorted(name for name, query in CATALOGUE.items() if query.period) == ["organisation-history", "timeline", "wars"]


# --------------------------------------------------------- parameter scoping (the lint)


def _walk(node):
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk(value)


def _walk_variables(node):
    if isinstance(node, Variable):
        yield node
    elif isinstance(node, CompValue):
        for value in node.values():
            yield from _walk_variables(value)
    elif isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        for value in node:
            yield from _walk_variables(value)


ALLOWED_AT_TOP = {"TriplesBlock", "Filter", "OptionalGraphPattern", "Bind"}


def scoping_problems(text: str, parameters: list[str]) -> list[str]:
    """Where would a VALUES block at the start of the outermost pattern fail to bind a parameter?

    Parameter variables may appear in the outermost group's triple patterns and filters, in
    OPTIONAL groups' own triple patterns and filters, and in BIND expressions; never in a
    sub-SELECT, a nested group, a UNION or MINUS branch, a GRAPH or SERVICE block, an inline
    VALUES, or as the target of a BIND.
    """
    wanted = set(parameters)
    problems = []
    where = parseQuery(text)[1]["where"]
    for part in where["part"]:
        used = {str(v) for v in _walk_variables(part)} & wanted
        if not used:
            continue
        if part.name not in ALLOWED_AT_TOP:
            problems.append(f"{sorted(used)} used inside {part.name}")
        elif part.name == "Bind" and str(part["var"]) in wanted:
            problems.append(f"{part['var']} is the target of a BIND")
        elif part.name == "OptionalGraphPattern":
            for inner in part["graph"]["part"]:
                inner_used = {str(v) for v in _walk_variables(inner)} & wanted
                if inner_used and inner.name not in {"TriplesBlock", "Filter"}:
                    problems.append(f"{sorted(inner_used)} used inside {inner.name} within OPTIONAL")
    for node in _walk(where):
        if node.name == "SubSelect" and {str(v) for v in _walk_variables(node)} & wanted:
            problems.append("parameter used inside a sub-SELECT")
    return problems


@pytest.mark.parametrize("name", QUERIES)
def test_parameters_are_only_used_where_values_binds_them(name) -> None:
    query = CATALOGUE[name]
    names = [p.name for p in query.parameters] + ([AS_OF] if query.time_aware else []) + ([PERIOD_START, PERIOD_END] if query.period else [])
    assert scoping_problems(query.text, names) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{ ?x ?p ?state } UNION { ?state ?p ?x }", "GroupOrUnionGraphPattern"),
        ("?x ?p ?y . MINUS { ?x ?q ?state }", "MinusGraphPattern"),
        ("{ SELECT ?x WHERE { ?x ?p ?state } }", "GroupOrUnionGraphPattern"),
        ("?x ?p ?y . BIND (?y AS ?state)", "target of a BIND"),
        ("?x ?p ?y . OPTIONAL { { ?x ?q ?state } }", "within OPTIONAL"),
    ],
)
def test_the_scoping_lint_catches_each_forbidden_place(body, problem) -> None:
    problems = scoping_problems(f"SELECT * WHERE {{ {body} }}", ["state"])
    assert any(problem in p for p in problems), problems


# ------------------------------------------------------------------ VALUES insertion


def test_values_go_after_the_brace_that_opens_the_outermost_pattern() -> None:
    text = 'PREFIX ex: <http://ex.org/a#>\n# a comment with { braces }\nSELECT ("{" AS ?s) ?x WHERE { ?x ?p "}" }'
    bound = insert_values(text, ["x"], ["<http://ex.org/x>"])
    assert bound.index("VALUES (?x) { (<http://ex.org/x>) }") == outermost_pattern_start(text) + 3
    assert ox.Store().query(bound) is not None


def test_values_skip_a_construct_template() -> None:
    text = "CONSTRUCT { ?s <http://ex.org/p> ?o } WHERE { ?s ?q ?o }"
    bound = insert_values(text, ["s"], ["<http://ex.org/s>"])
    assert bound.startswith("CONSTRUCT { ?s <http://ex.org/p> ?o } WHERE {\n  VALUES (?s)")


def test_construct_where_short_form_cannot_take_parameters() -> None:
    with pytest.raises(QueryError):
        insert_values("CONSTRUCT WHERE { ?s ?p ?o }", ["s"], ["<http://ex.org/s>"])


def test_bound_text_never_contains_the_raw_value(loaded) -> None:
    query = CATALOGUE["memberships"]
    text = bind(loaded.store, query, {"state": "Russia"}, dt.date(2026, 11, 29))
    assert "Russia" not in text.split("VALUES", 1)[1].split("}", 1)[0]
    assert (
        f"VALUES (?state ?asOf ?allClaims) {{ (<{RGID}russia> \"2026-11-29\"^^<http://www.w3.org/2001/XMLSchema#date> "
        f"\"false\"^^<http://www.w3.org/2001/XMLSchema#boolean>) }}"
    ) in text


# ----------------------------------------------------------------- parameter values


@pytest.mark.parametrize("value", ["RU", "ru", "RUS", "Q159", "q159", "Russia", "russia", "Russian Federation", f"{RGID}russia"])
def test_a_state_can_be_named_many_ways(loaded, value) -> None:
    assert resolve(loaded.store, CATALOGUE["memberships"], "state", value) == ox.NamedNode(RGID + "russia")


@pytest.mark.parametrize(("value", "iri"), [("rome-statute", "rome-statute"), ("Rome Statute", "rome-statute"), ("ICC Rome Statute", "rome-statute"),
                                             ("Treaty of Friendship, Cooperation and Mutual Assistance", "treaty-friendship-1993")])
def test_a_treaty_can_be_named_by_local_name_or_label(loaded, value, iri) -> None:
    assert resolve(loaded.store, CATALOGUE["treaty-status"], "treaty", value) == ox.NamedNode(RGID + iri)


def test_an_entity_can_be_a_wikidata_id(loaded) -> None:
    assert resolve(loaded.store, CATALOGUE["sources"], "entity", "Q7747") == ox.NamedNode(RGID + "vladimir-putin")


def test_a_value_naming_nothing_lists_the_choices(loaded) -> None:
    with pytest.raises(ParameterError) as info:
        resolve(loaded.store, CATALOGUE["memberships"], "state", "Atlantis")
    assert "names no state" in str(info.value) and "RU (Russia)" in str(info.value) and "TJ (Tajikistan)" in str(info.value)


def test_a_value_naming_several_things_lists_them(layout, tmp_path) -> None:
    extra = tmp_path / "twins.ttl"
    extra.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/relgraph/id/moscow-idaho> a rg:Place ; rdfs:label \"Moscow\"@en .\n",
        encoding="utf-8",
    )
    loaded = load(layout, [extra])
    with pytest.raises(ParameterError) as info:
        resolve(loaded.store, CATALOGUE["sources"], "entity", "Moscow")
    assert "names 2 entities" in str(info.value)
    assert "moscow (Moscow)" in str(info.value) and "moscow-idaho" in str(info.value)


def test_state_codes_bound_in_one_lookup_are_what_resolve_gives(layout, tmp_path) -> None:
    # bind asks the ISO letter codes of all state parameters in one query; any value that is not
    # such a code, names several states or a retired one is left to resolve, which has the last word
    extra = tmp_path / "retired.ttl"
    extra.write_text(
        "@prefix rg: <https://w3id.org/relgraph/ontology#> . @prefix rgid: <https://w3id.org/relgraph/id/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix dcterms: <http://purl.org/dc/terms/> .\n"
        'rgid:old-tajikistan a rg:State ; rg:iso3166Alpha3 "OTJ" ; owl:deprecated true ; dcterms:isReplacedBy rgid:tajikistan .\n',
        encoding="utf-8",
    )
    store = load(layout, [extra]).store
    found = binding._states_by_iso_code(store, ["RU", " tjk", "ru", "Russia", "russia", "XX", "OTJ", f"{RGID}russia"])
    assert found == {"RU": ox.NamedNode(RGID + "russia"), " tjk": ox.NamedNode(RGID + "tajikistan"), "ru": ox.NamedNode(RGID + "russia")}
    for value, term in found.items():
        assert resolve(store, CATALOGUE["ambassadors"], "sending", value) == term
    with pytest.raises(ParameterError, match="old-tajikistan, which is retired"):
        bind(store, CATALOGUE["ambassadors"], {"sending": "OTJ", "receiving": "RU"})
    assert f"(<{RGID}tajikistan> <{RGID}russia> " in bind(store, CATALOGUE["ambassadors"], {"sending": "tjk", "receiving": "russia"})


def test_unknown_and_missing_parameters_are_errors(loaded) -> None:
    with pytest.raises(ParameterError, match="has no parameter 'country'"):
        bind(loaded.store, CATALOGUE["memberships"], {"country": "RU"})
    with pytest.raises(ParameterError, match=r"needs --param b=…"):
        bind(loaded.store, CATALOGUE["shared-memberships"], {"a": "RU"})


# ------------------------------------------------------------- on the shipped graph

def shipped(loaded, name: str, params: dict[str, str], as_of: str = "2026-11-29") -> list[dict[str, str | None]]:
    return rows_of(run(loaded.store, CATALOGUE[name], params, dt.date.fromisoformat(as_of)))


def test_russia_and_tajikistan_share_exactly_cis_csto_and_sco_today(loaded) -> None:
    rows = shipped(loaded, "shared-memberships", {"a": "RU", "b": "TJ"})
    assert sorted(r["organisation"] for r in rows) == ["rgid:cis", "rgid:csto", "rgid:sco"]
    assert {r["role_a"] for r in rows} == {"rgv:founding-member"}
    csto = next(r for r in rows if r["organisation"] == "rgid:csto")
    expected = {f"{RGID}{s}" for s in ("source-wp-rt-allies", "source-kremlin-3506", "source-tass-1451189", "source-kazinform-2022-05-16-csto-summit")}
    # and the pages that confirm both memberships later: Asia-Plus of 22 October 2024 and 24.kg on
    # the CSTO summit of 27 November 2025
    later = {f"{RGID}page-asia-plus-c0d941b0", f"{RGID}source-24kg-2025-11-27-csto-summit"}
    assert set(csto["sources_a"].split()) == set(csto["sources_b"].split()) == expected | later


def test_in_2000_they_shared_cis_and_the_shanghai_five(loaded) -> None:
    rows = shipped(loaded, "shared-memberships", {"a": "RU", "b": "TJ"}, "2000-01-01")
    assert sorted(r["organisation"] for r in rows) == ["rgid:cis", "rgid:shanghai-five"]


def test_russia_belongs_to_cis_csto_eaeu_and_sco_today(loaded) -> None:
    rows = shipped(loaded, "memberships", {"state": "RU"})
    assert sorted(r["organisation"] for r in rows) == ["rgid:cis", "rgid:csto", "rgid:eaeu", "rgid:sco"]


def test_rome_statute_status_is_derived_from_actions(loaded) -> None:
    today = {r["state"]: r["status"] for r in shipped(loaded, "treaty-status", {"treaty": "rome-statute"})}
    assert today == {"rgid:russia": "rgv:signature-withdrawn", "rgid:tajikistan": "rgv:state-party"}
    in_2010 = {r["state"]: r["status"] for r in shipped(loaded, "treaty-status", {"treaty": "rome-statute"}, "2010-01-01")}
    assert in_2010 == {"rgid:russia": "rgv:signatory", "rgid:tajikistan": "rgv:state-party"}
    in_2001 = {r["state"]: r["status"] for r in shipped(loaded, "treaty-status", {"treaty": "rome-statute"}, "2001-01-01")}
    assert in_2001 == {"rgid:russia": "rgv:signatory", "rgid:tajikistan": "rgv:consented-not-in-force"}


def test_the_ambassadors_today_and_across_each_change(loaded) -> None:
    """Lyakin-Frolov from 2013 until the decree of 2022-08-16 that appointed Grigoryev (news-asia.ru,
    16 August 2022; Imruz); Sattorov from 2014 until the decree of 2021-08-02 that appointed
    Gulmahmadzoda (Asia-Plus, 3 August 2021)."""
    def who(sending: str, receiving: str, day: str = "2026-11-29") -> list[str]:
        return [r["person"] for r in shipped(loaded, "ambassadors", {"sending": sending, "receiving": receiving}, day)]

    assert who("RU", "TJ") == ["rgid:semyon-grigoryev"]
    assert who("TJ", "RU") == ["rgid:davlatshoh-gulmahmadzoda"]
    assert who("RU", "TJ", "2012-12-31") == []
    assert (who("RU", "TJ", "2022-08-15"), who("RU", "TJ", "2022-08-17")) == (["rgid:igor-lyakin-frolov"], ["rgid:semyon-grigoryev"])
    assert (who("TJ", "RU", "2021-08-01"), who("TJ", "RU", "2021-08-03")) == (["rgid:imomuddin-sattorov"], ["rgid:davlatshoh-gulmahmadzoda"])


def test_russian_military_presence_in_tajikistan(loaded) -> None:
    # two successive claims: under the 2012 agreement (to 2042), and under the 1999 treaty and the
    # 2004 agreement from the base's opening, which the 2012 agreement ends on its entry into force
    # (a day no page found gives: the earlier claim has no end, and is stale today)
    rows = shipped(loaded, "military-presence", {"host": "TJ"})
    assert {(r["operator"], r["base"]) for r in rows} == {("rgid:russia", "rgid:201st-military-base")}
    by_basis = {r["legal_basis"]: r for r in rows}
    now = by_basis[f"{RGID}agreement-military-base-extension-2012"]
    assert sorted(now["places"].split()) == [f"{RGID}bokhtar", f"{RGID}dushanbe"]
    assert now["valid_until"] == "2042^^xsd:gYear" and now["start"] is None
    [before] = [r for r in rows if r is not now]
    assert sorted(before["legal_basis"].split()) == [f"{RGID}agreement-military-base-2004", f"{RGID}treaty-military-bases-status-1999"]
    assert before["start"] == "2004-10-17^^xsd:date" and before["unconfirmed_after"] == "2013-04-29^^xsd:date"
    assert sorted(before["places"].split()) == [f"{RGID}bokhtar", f"{RGID}dushanbe", f"{RGID}kulob"]


def test_treaties_between_russia_and_tajikistan(loaded) -> None:
    rows = shipped(loaded, "treaties-between", {"a": "RU", "b": "TJ"})
    assert [r["treaty"] for r in rows][:3] == ["rgid:protocol-diplomatic-relations-1992", "rgid:collective-security-treaty", "rgid:treaty-friendship-1993"]
    assert len(rows) == 9
    friendship = next(r for r in rows if r["treaty"] == "rgid:treaty-friendship-1993")
    assert friendship["signed_a"] == friendship["signed_b"] == "1993-05-25^^xsd:date"


def test_timeline_of_russia_and_tajikistan(loaded) -> None:
    rows = shipped(loaded, "timeline", {"a": "RU", "b": "TJ"})
    assert rows[0]["date"] == "1992-04-08^^xsd:date"
    events = [r["event"] for r in rows]
    assert events.index("rgid:embassy-of-russia-in-tajikistan-opening") < events.index("rgid:medvedev-rahmon-talks-2011") < events.index("rgid:crocus-city-hall-attack")
    assert "rgid:vahdat-arrests" not in events


def test_incidents_of_tajikistan_record_suspects_and_authorities(loaded) -> None:
    rows = shipped(loaded, "incidents", {"state": "TJ"})
    roles = {(r["incident"], r["participant"], r["role"]) for r in rows}
    assert ("rgid:crocus-city-hall-attack", "rgid:crocus-suspected-gunmen", "rgv:suspect") in roles
    assert ("rgid:vahdat-arrests", "rgid:tajikistan-state-committee-for-national-security", "rgv:authority") in roles
    assert not any(role == "rgv:perpetrator" for _, _, role in roles)
    russia = shipped(loaded, "incidents", {"state": "RU"})
    assert ("rgid:icc-warrant-vladimir-putin", "rgid:vladimir-putin", "rgv:suspect") in {(r["incident"], r["participant"], r["role"]) for r in russia}


def test_remittances_of_tajikistan(loaded) -> None:
    rows = shipped(loaded, "remittances", {"state": "TJ"})
    values = {(r["indicator"], r["period"]): r["value"] for r in rows}
    assert values[("rgv:remittances-received", "2012^^xsd:gYear")] == "3595000000^^xsd:decimal"
    assert values[("rgv:money-transfers-from-counterpart", "2012^^xsd:gYear")] == "3651000000^^xsd:decimal"
    # 2011: money transfers from Russia as Tajikistan's National Bank reported them (The Moscow Times)
    assert values[("rgv:money-transfers-received-from-counterpart", "2011^^xsd:gYear")] == "2960000000^^xsd:decimal"
    assert values[("rgv:money-transfers-received-from-counterpart-share-of-gdp", "2011^^xsd:gYear")] == "45.4^^xsd:decimal"
    assert len(rows) == 7


def test_sources_of_what_is_said_about_tajikistan(loaded) -> None:
    rows = shipped(loaded, "sources", {"entity": "Tajikistan"})
    statements = {r["statement"] for r in rows}
    assert {"rgid:tajikistan", "rgid:membership-tajikistan-cis", "rgid:posting-imomuddin-sattorov",
            "rgid:rome-statute-status-tajikistan-signatory-article"} <= statements
    article = [r for r in rows if r["statement"] == "rgid:rome-statute-status-tajikistan-signatory-article"]
    assert {r["locator"] for r in article} == {"footnote 5", "footnote 6"}


# ----------------------------------------------------------------- headers and checks


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        ("# description: d\nSELECT * WHERE {}", 1, "no '# title:' line"),
        ("# title: t\n# description: d\n# param: a | country | RU | x\nSELECT * WHERE {}", 3, "with type one of state"),
        ("# title: t\n# description: d\n# column: a | colour | x\nSELECT * WHERE {}", 3, "with kind one of iri"),
        ("# title: t\n# description: d\n# time-aware: maybe\nSELECT * WHERE {}", 3, "time-aware: yes"),
        ("# title: t\n# description: d\n# all-claims: yes\n# period: sometimes\nSELECT * WHERE {}", 4, "write '# period: yes' or '# period: no'"),
        ("# title: t\n# colour: blue\nSELECT * WHERE {}", 2, "header line is not 'key: value'"),
    ],
)
def test_a_malformed_header_names_the_file_and_line(tmp_path, header, line, message) -> None:
    from relgraph.query.catalogue import parse_stored_query
    from relgraph.errors import InputError

    path = tmp_path / "broken.rq"
    path.write_text(header, encoding="utf-8")
    with pytest.raises(InputError) as info:
        parse_stored_query(path)
    assert f"broken.rq:{line}:" in str(info.value) and message in str(info.value)


@pytest.mark.parametrize("check", nonempty(sorted((REPO / "queries" / "qc").glob("*-violation.rq"))), ids=lambda p: p.stem)
def test_every_quality_check_has_a_fixture_that_makes_it_fire(check) -> None:
    expected = "\n".join(p.read_text(encoding="utf-8") for p in [*(DATA / "shapes" / "invalid").glob("*.expected.tsv"), *(DATA / "additions").glob("*.expected.tsv")])
    assert f"qc:{check.stem}\t" in expected
