"""The ontology stays in OWL Lite, reuses other vocabularies without touching their terms, and
documents every term it defines."""

from __future__ import annotations

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef
from rdflib.namespace import SKOS

from tests.conftest import REPO

RG = "https://w3id.org/relgraph/ontology#"
ONTOLOGY = REPO / "ontology" / "relgraph.ttl"
SCHEMES = REPO / "ontology" / "schemes.ttl"

FORBIDDEN = {
    OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.hasValue, OWL.disjointWith, OWL.intersectionOf,
    OWL.imports, OWL.disjointUnionOf, OWL.propertyChainAxiom, OWL.hasSelf, OWL.hasKey,
    OWL.qualifiedCardinality, OWL.minQualifiedCardinality, OWL.maxQualifiedCardinality,
    OWL.onDataRange, OWL.datatypeComplementOf, OWL.withRestrictions, OWL.members,
}
FORBIDDEN_TYPES = {
    OWL.AllDisjointClasses, OWL.AllDisjointProperties, OWL.ReflexiveProperty, OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty, OWL.DataRange, OWL.NegativePropertyAssertion,
}
CARDINALITIES = {OWL.cardinality, OWL.minCardinality, OWL.maxCardinality}
AXIOMS = {RDFS.domain, RDFS.range, RDFS.subPropertyOf, OWL.inverseOf, OWL.equivalentProperty, OWL.equivalentClass}


def owl_lite_violations(graph: rdflib.Graph) -> list[str]:
    """Return every way *graph* leaves OWL Lite or touches terms that are not relgraph's."""
    problems = []
    for s, p, o in graph:
        if p in FORBIDDEN:
            problems.append(f"{s} uses {p}")
        if p == RDF.type and o in FORBIDDEN_TYPES:
            problems.append(f"{s} is a {o}")
        if p in CARDINALITIES and not (isinstance(o, Literal) and str(o) in ("0", "1")):
            problems.append(f"{s} has cardinality {o}: OWL Lite allows 0 or 1")
        if p in (OWL.allValuesFrom, OWL.someValuesFrom) and not isinstance(o, URIRef):
            problems.append(f"{s} restricts to an anonymous class")
        if isinstance(s, URIRef) and not str(s).startswith(RG) and str(s) != "https://w3id.org/relgraph/ontology":
            if p in AXIOMS or (p == RDF.type and o in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.TransitiveProperty, OWL.SymmetricProperty)):
                problems.append(f"{s} is not relgraph's term but gets {p} {o}")
            if p == RDFS.subClassOf:
                problems.append(f"{s} is not relgraph's term but gets rdfs:subClassOf {o}")
    for node in set(graph.subjects()) | set(graph.objects()):
        if isinstance(node, rdflib.BNode) and (node, RDF.type, OWL.Restriction) not in graph:
            problems.append("an anonymous class expression other than an owl:Restriction")
    return problems


def _ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY)


def _defined_terms(graph: rdflib.Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in graph.subjects(RDF.type, k) if isinstance(s, URIRef) and str(s).startswith(RG)}


def test_ontology_is_owl_lite_and_leaves_other_vocabularies_alone() -> None:
    assert owl_lite_violations(_ontology()) == []


def test_the_profile_check_catches_each_kind_of_violation() -> None:
    bad = _ontology()
    x = rdflib.BNode()
    bad.add((URIRef(RG + "State"), OWL.disjointWith, URIRef(RG + "Person")))
    bad.add((URIRef(RG + "Claim"), OWL.unionOf, x))
    bad.add((URIRef("http://www.w3.org/ns/org#member"), RDFS.range, URIRef(RG + "State")))
    bad.add((URIRef(RG + "Membership"), OWL.imports, URIRef("http://www.w3.org/ns/org#")))
    restriction = rdflib.BNode()
    bad.add((restriction, RDF.type, OWL.Restriction))
    bad.add((restriction, OWL.maxCardinality, Literal(2)))
    problems = owl_lite_violations(bad)
    assert any("disjointWith" in p for p in problems)
    assert any("unionOf" in p for p in problems)
    assert any("org#member is not relgraph's term" in p for p in problems)
    assert any("imports" in p for p in problems)
    assert any("cardinality 2" in p for p in problems)


def test_every_term_has_an_english_label_and_comment() -> None:
    graph = _ontology()
    terms = _defined_terms(graph)
    assert len(terms) > 100
    for term in sorted(terms):
        labels = [o for o in graph.objects(term, RDFS.label) if o.language == "en"]
        comments = [o for o in graph.objects(term, RDFS.comment) if o.language == "en"]
        assert labels, f"{term} has no English rdfs:label"
        assert comments, f"{term} has no English rdfs:comment"


def test_every_object_and_datatype_property_has_a_domain_and_a_range() -> None:
    graph = _ontology()
    properties = [s for k in (OWL.ObjectProperty, OWL.DatatypeProperty) for s in graph.subjects(RDF.type, k)]
    assert len(properties) > 80
    for prop in properties:
        assert graph.value(prop, RDFS.domain) is not None, f"{prop} has no rdfs:domain"
        assert graph.value(prop, RDFS.range) is not None, f"{prop} has no rdfs:range"


def test_ontology_has_a_version_iri_and_a_licence() -> None:
    graph = _ontology()
    ontology = URIRef("https://w3id.org/relgraph/ontology")
    assert (ontology, RDF.type, OWL.Ontology) in graph
    assert str(graph.value(ontology, OWL.versionIRI)) == "https://w3id.org/relgraph/ontology/0.1.0"
    assert str(graph.value(ontology, OWL.versionInfo)) == "0.1.0"
    assert str(graph.value(ontology, URIRef("http://purl.org/dc/terms/license"))) == "https://creativecommons.org/licenses/by/4.0/"


def test_military_alliances_are_organisations_and_forums_share_a_superclass() -> None:
    graph = _ontology()
    chain = set(graph.transitive_objects(URIRef(RG + "MilitaryAlliance"), RDFS.subClassOf))
    assert URIRef(RG + "InternationalOrganisation") in chain
    assert URIRef(RG + "IntergovernmentalBody") in chain
    assert (URIRef(RG + "InternationalForum"), RDFS.subClassOf, URIRef(RG + "IntergovernmentalBody")) in graph


def test_schemes_define_every_concept() -> None:
    graph = rdflib.Graph().parse(SCHEMES)
    schemes = set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(schemes) == 18 and len(concepts) > 100
    for concept in concepts:
        assert graph.value(concept, SKOS.inScheme) in schemes, concept
        assert any(o.language == "en" for o in graph.objects(concept, SKOS.prefLabel)), concept
        assert any(o.language == "en" for o in graph.objects(concept, SKOS.definition)), concept
    assert owl_lite_violations(graph) == []


def test_treaty_status_scheme_has_the_seven_statuses() -> None:
    graph = rdflib.Graph().parse(SCHEMES)
    scheme = URIRef("https://w3id.org/relgraph/vocab/treaty-status")
    labels = {str(graph.value(c, SKOS.prefLabel)) for c in graph.subjects(SKOS.inScheme, scheme)}
    assert labels == {
        "not a signatory", "signatory", "consented, not yet in force for it", "State Party",
        "signature withdrawn", "withdrawn after denunciation", "treaty terminated",
    }


RGV = "https://w3id.org/relgraph/vocab/"
CODED_SCHEMES = {
    # scheme: {concept: notations}, the data sets' own codes
    "membership-roles": {"member": {"1"}, "associate-member": {"2"}, "observer": {"3"}},  # COW IGO v3
    "intensity-levels": {"minor-conflict": {"1"}, "war-intensity": {"2"}},  # UCDP intensity_level
    "conflict-types": {"extrasystemic": {"1"}, "interstate": {"2"}, "intrastate": {"3"}, "internationalized-intrastate": {"4"}},  # UCDP type_of_conflict
    "incompatibilities": {"territory": {"1"}, "government": {"2"}, "government-and-territory": {"3"}},  # UCDP incompatibility
    "war-outcomes": {  # COW inter-state war outcome
        "winner": {"1"}, "loser": {"2"}, "compromise-or-tie": {"3"}, "transformed-war": {"4"},
        "war-ongoing": {"5"}, "stalemate": {"6"}, "below-war-level": {"7"}, "changed-sides": {"8"},
    },
    "alliance-obligations": {  # ATOP's member-level variables
        "defence": {"defense"}, "offence": {"offense"}, "neutrality": {"neutral"}, "non-aggression": {"nonagg"}, "consultation": {"consul"},
    },
    "sides": {"side-a": {"1", "A"}, "side-b": {"2", "B"}},  # COW side, UCDP side
}


def test_coded_schemes_carry_exactly_the_data_sets_codes_as_notations() -> None:
    graph = rdflib.Graph().parse(SCHEMES)
    for scheme, expected in CODED_SCHEMES.items():
        found = {}
        for concept in graph.subjects(SKOS.inScheme, URIRef(RGV + scheme)):
            notations = {str(n) for n in graph.objects(concept, SKOS.notation)}
            if notations:
                found[str(concept)[len(RGV):]] = notations
        assert found == expected, scheme


def test_new_schemes_list_their_top_concepts_with_one_label_per_language() -> None:
    graph = rdflib.Graph().parse(SCHEMES)
    new = {
        "membership-event-types", "alliance-obligations", "war-outcomes", "conflict-types", "incompatibilities",
        "intensity-levels", "sides", "code-lists", "treaty-kinds", "membership-roles", "participant-roles",
    }
    sizes = {}
    for name in sorted(new):
        scheme = URIRef(RGV + name)
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph, name
        members = set(graph.subjects(SKOS.inScheme, scheme))
        assert members == set(graph.subjects(SKOS.topConceptOf, scheme)), name
        sizes[name] = len(members)
    assert sizes == {
        "membership-event-types": 12, "alliance-obligations": 5, "war-outcomes": 8, "conflict-types": 4,
        "incompatibilities": 3, "intensity-levels": 2, "sides": 2, "code-lists": 9, "treaty-kinds": 8,
        "membership-roles": 8, "participant-roles": 15,
    }
    for concept in set(graph.subjects(RDF.type, SKOS.Concept)):
        languages = [o.language for o in graph.objects(concept, SKOS.prefLabel)]
        assert len(languages) == len(set(languages)), f"{concept} has two preferred labels in one language"
    roles = {str(graph.value(URIRef(RGV + c), SKOS.prefLabel)) for c in ("associate-member", "dialogue-partner", "partner", "suspended-member", "participation-frozen")}
    assert roles >= {"associate member", "dialogue partner", "partner", "suspended member", "participation frozen"}


def test_world_layer_terms_have_their_place_in_the_hierarchy() -> None:
    graph = _ontology()
    sem_event = URIRef("http://semanticweb.cs.vu.nl/2009/11/sem/Event")
    for name in ("War", "ArmedConflict", "BorderClash"):
        chain = set(graph.transitive_objects(URIRef(RG + name), RDFS.subClassOf))
        assert {URIRef(RG + "Incident"), URIRef(RG + "Event"), URIRef(RG + "Claim"), sem_event} <= chain, name
    for name, parent in (("ConflictYear", "EventDetail"), ("MembershipEvent", "Event"), ("OrganisationDissolution", "Event"),
                         ("StateSystemMembership", "Claim"), ("CodeAssignment", "Claim")):
        assert (URIRef(RG + name), RDFS.subClassOf, URIRef(RG + parent)) in graph, name
    coverage = URIRef(RG + "coverageEnd")
    assert (coverage, RDF.type, OWL.FunctionalProperty) in graph
    assert graph.value(coverage, RDFS.domain) == URIRef(RG + "Source")
    assert graph.value(coverage, RDFS.range) == rdflib.XSD.date
    functional = {str(s)[len(RG):] for s in graph.subjects(RDF.type, OWL.FunctionalProperty) if str(s).startswith(RG)}
    assert {"stateSystem", "codeList", "code", "denotes", "eventType", "side", "initiator", "outcome", "intensity", "cowWarNumber", "ucdpConflictId", "file"} <= functional
    # several values are normal for these: a treaty of several kinds, codes that changed, obligations
    assert {"treatyKind", "obligation", "cowCode", "gwCode", "iso3166Former", "endsClaim", "startsClaim"}.isdisjoint(functional)
