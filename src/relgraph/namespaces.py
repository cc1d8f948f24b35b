"""The project's vocabulary as Python names.

Terms are plain IRI strings, so the same names serve pyoxigraph (``NamedNode(RG.start)``) and
rdflib (``URIRef(RG.start)``) without importing either. :class:`Vocabulary` lists its terms and
raises :class:`AttributeError` for any other name, like rdflib's ``DefinedNamespace`` with
``_fail = True``, so a misspelt term fails at once. ``tests/test_namespaces.py`` checks that
:data:`RG` lists exactly the terms ``ontology/relgraph.ttl`` defines.
"""

from __future__ import annotations

__all__ = [
    "Vocabulary",
    "RG",
    "RGV",
    "RGID",
    "GRAPH_BASE",
    "PREFIXES",
    "RDF",
    "RDFS",
    "SH",
    "RGSH",
    "RDF_TYPE",
    "RDF_REIFIES",
    "RDFS_LABEL",
    "RDFS_COMMENT",
    "RDFS_SUBCLASSOF",
    "RDFS_SUBPROPERTYOF",
    "SKOS_PREFLABEL",
    "SKOS_ALTLABEL",
    "SKOS_EXACTMATCH",
    "XSD",
    "WIKIDATA_ENTITY",
    "BASE",
    "WIKIBASE",
    "WIKIBASE_RANK",
    "PROV_WAS_DERIVED_FROM",
    "PROV_HAD_PRIMARY_SOURCE",
    "DCTERMS_IS_PART_OF",
    "SD",
    "FORMATS",
    "compact",
]


class Vocabulary:
    """A namespace with a closed list of terms.

    Args:
        base: The namespace IRI.
        terms: The local names it defines.

    Attribute access (``RG.start``) and item access (``RG["start"]``) return the full IRI as a
    ``str``; any other name raises :class:`AttributeError` / :class:`KeyError`.
    """

    def __init__(self, base: str, terms: frozenset[str]) -> None:
        self._base = base
        self._terms = terms

    @property
    def base(self) -> str:
        """The namespace IRI."""
        return self._base

    @property
    def terms(self) -> frozenset[str]:
        """The local names of the namespace."""
        return self._terms

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in self._terms:
            raise AttributeError(f"{name!r} is not a term of {self._base}")
        return self._base + name

    def __getitem__(self, name: str) -> str:
        if name not in self._terms:
            raise KeyError(f"{name!r} is not a term of {self._base}")
        return self._base + name

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and iri.startswith(self._base) and iri[len(self._base):] in self._terms


RG = Vocabulary(
    "https://w3id.org/relgraph/ontology#",
    frozenset(
        """
        Actor State IntergovernmentalBody InternationalOrganisation Alliance MilitaryAlliance
        InternationalCourt InternationalForum Organ NonStateArmedGroup Publisher Person PersonGroup
        Place Position MilitaryBase DiplomaticRepresentation DiplomaticMission Dyad BilateralRelation
        Treaty BilateralTreaty MultilateralTreaty Source SourcePart
        Claim Membership NonMembership PositionHolding DiplomaticPosting DiplomaticRelation
        TreatyStatusClaim MilitaryPresence Observation Policy Cooperation Assessment EventDetail
        Participation CasualtyCount Event TreatyAction Incident Attack Arrest ArrestWarrant Invasion
        Annexation Meeting Summit OrganisationFounding Renaming MissionOpening
        StateSystem StateSystemMembership CodeAssignment ConflictYear MembershipEvent
        OrganisationDissolution War ArmedConflict BorderClash
        earliestBoundOf latestBoundOf cameoCode
        organOf citizenship origin country locatedIn jurisdiction party sendingState receivingState
        seat mission holder position state organisation treaty actionType actor performedBy
        actingPosition status establishes legalBasis operator hostState base place involves inEvent
        eventDetail agent role casualtyType duringEvent relatedEvent convenedBy foundedOrganisation
        predecessor indicator unit area counterpartArea policyType adoptedBy beneficiaryNationality
        cooperationArea concerns about disputedBy disputes
        stateSystem codeList denotes obligation eventType endsClaim startsClaim dissolvedOrganisation
        side outcome conflictType incompatibility intensity treatyKind
        iso3166Alpha2 iso3166Alpha3 size start end pointInTime date effectiveDate announcedOn
        validUntil term period value approximate count charge grounds formerName statement locator
        authorName retrieved archived webDomain
        iso3166Numeric iso3166Former cowCode cowAbbreviation gwCode cowIgoAbbreviation atopId
        cowWarNumber ucdpConflictId initiator code coverageEnd file
        startEarliest startLatest endEarliest endLatest pointInTimeEarliest pointInTimeLatest
        dateEarliest dateLatest effectiveDateEarliest effectiveDateLatest announcedOnEarliest
        announcedOnLatest validUntilEarliest validUntilLatest periodEarliest periodLatest
        sourceDateEarliest sourceDateLatest confirmedUntil unconfirmedBefore memberOf hasDiplomaticRelationsWith writtenForm
        """.split()
    ),
)
"""The relgraph ontology, ``https://w3id.org/relgraph/ontology#`` (prefix ``rg``)."""

BASE = "https://w3id.org/relgraph/"
"""The IRI prefix under which relgraph's IRIs live (the server's default ``--base``)."""

RGV = "https://w3id.org/relgraph/vocab/"
"""The relgraph SKOS concept schemes (prefix ``rgv``)."""

RGID = "https://w3id.org/relgraph/id/"
"""The base of relgraph's entity and claim IRIs (prefix ``rgid``)."""

GRAPH_BASE = "https://w3id.org/relgraph/graph/"
"""The base of the named graphs relgraph loads files into."""

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
"""Wikidata entity IRIs, linked with ``skos:exactMatch``."""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
"""RDF (prefix ``rdf``)."""
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
"""RDF Schema (prefix ``rdfs``)."""
SH = "http://www.w3.org/ns/shacl#"
"""SHACL (prefix ``sh``)."""
RGSH = "https://w3id.org/relgraph/shapes#"
"""relgraph's shapes and its own constraint components (prefix ``rgsh``)."""

RDF_TYPE = RDF + "type"
RDF_REIFIES = RDF + "reifies"
RDFS_LABEL = RDFS + "label"
RDFS_COMMENT = RDFS + "comment"
RDFS_SUBCLASSOF = RDFS + "subClassOf"
RDFS_SUBPROPERTYOF = RDFS + "subPropertyOf"
SKOS_PREFLABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALTLABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_EXACTMATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
XSD = "http://www.w3.org/2001/XMLSchema#"
WIKIBASE = "http://wikiba.se/ontology#"
"""The Wikibase ontology (prefix ``wikibase``): statement ranks."""
WIKIBASE_RANK = WIKIBASE + "rank"
PROV_WAS_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
PROV_HAD_PRIMARY_SOURCE = "http://www.w3.org/ns/prov#hadPrimarySource"
DCTERMS_IS_PART_OF = "http://purl.org/dc/terms/isPartOf"
SD = "http://www.w3.org/ns/sparql-service-description#"
"""SPARQL 1.1 Service Description (prefix ``sd``)."""
FORMATS = "http://www.w3.org/ns/formats/"
"""The W3C's IRIs for data formats (``formats:Turtle``, ...)."""

PREFIXES: dict[str, str] = {
    "rg": RG.base,
    "rgv": RGV,
    "rgid": RGID,
    "wikibase": WIKIBASE,
    "wd": WIKIDATA_ENTITY,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "qb": "http://purl.org/linked-data/cube#",
    "vann": "http://purl.org/vocab/vann/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "rgsh": RGSH,
}
"""The prefixes relgraph writes and shows, prefix → namespace IRI."""


def compact(iri: str) -> str:
    """Return *iri* as a prefixed name if one of :data:`PREFIXES` fits, else ``<iri>``.

    Args:
        iri: An absolute IRI.

    Returns:
        For example ``rgid:russia`` for ``https://w3id.org/relgraph/id/russia``.
    """
    best = ""
    best_prefix = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            local = iri[len(namespace):]
            if local and all(c.isalnum() or c in "-_." for c in local) and not local.endswith("."):
                best, best_prefix = namespace, prefix
    if best:
        return f"{best_prefix}:{iri[len(best):]}"
    return f"<{iri}>"
