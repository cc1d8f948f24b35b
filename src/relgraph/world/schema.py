"""The claim tables the import writes: their names, columns and templates (one place).

Each table is ``graph/tables/NAME.csv``; its columns are (name, ROBOT-style template) pairs
(:mod:`relgraph.graph.tables`). Rows are dicts keyed by column name; a missing key is an empty
cell.
"""

from __future__ import annotations

__all__ = ["TABLES"]

_CLAIM = [("rank", "I wikibase:rank"), ("source", "I prov:wasDerivedFrom"), ("locator", "S rg:locator"), ("note", "S skos:note@en")]

TABLES: dict[str, list[tuple[str, str]]] = {
    # states and the intergovernmental bodies the data sets name, with their codes
    "states": [
        ("id", "ID"), ("type", "TYPE"), ("label", "S rdfs:label@en"), ("label_ru", "S rdfs:label@ru"),
        ("cow_code", "S rg:cowCode SPLIT=|"), ("cow_abbreviation", "S rg:cowAbbreviation SPLIT=|"), ("gw_code", "S rg:gwCode SPLIT=|"),
        ("iso_alpha2", "S rg:iso3166Alpha2"), ("iso_alpha3", "S rg:iso3166Alpha3"), ("iso_numeric", "S rg:iso3166Numeric"),
        ("iso_former", "S rg:iso3166Former"), ("source", "I prov:wasDerivedFrom"), ("note", "S skos:note@en"),
    ],
    "state-system": [
        ("id", "ID"), ("type", "TYPE"), ("state", "I rg:state"), ("system", "I rg:stateSystem"),
        ("start", "D rg:start"), ("end", "D rg:end"), *_CLAIM,
    ],
    "codes": [
        ("id", "ID"), ("type", "TYPE"), ("code_list", "I rg:codeList"), ("code", "S rg:code"), ("denotes", "I rg:denotes"),
        ("start", "D rg:start"), ("end", "D rg:end"), *_CLAIM,
    ],
    "organisations": [
        ("id", "ID"), ("type", "TYPE"), ("label", "S rdfs:label@en"), ("cow_igo", "S rg:cowIgoAbbreviation"),
        ("atop_id", "S rg:atopId"), ("source", "I prov:wasDerivedFrom"), ("note", "S skos:note@en"),
    ],
    "organisation-events": [
        ("id", "ID"), ("type", "TYPE"), ("label", "S rdfs:label@en"), ("organisation", "I rg:foundedOrganisation"), ("dissolved", "I rg:dissolvedOrganisation"),
        ("date", "D rg:date"), *_CLAIM,
    ],
    "memberships": [
        ("id", "ID"), ("type", "TYPE"), ("member", "I org:member"), ("organisation", "I org:organization"), ("role", "I org:role"),
        ("start", "D rg:start"), ("end", "D rg:end"), ("approximate", "S rg:approximate^^xsd:boolean"),
        ("obligations", "I rg:obligation"), ("disputed_by", "I rg:disputedBy"), *_CLAIM,
    ],
    "conflicts": [
        ("id", "ID"), ("type", "TYPE"), ("label", "S rdfs:label@en"), ("cow_war", "S rg:cowWarNumber"), ("ucdp_id", "S rg:ucdpConflictId"),
        ("start", "D rg:start"), ("end", "D rg:end"), ("conflict_type", "I rg:conflictType"), ("incompatibility", "I rg:incompatibility"),
        ("involves", "I rg:involves"), *_CLAIM,
    ],
    "participants": [
        ("id", "ID"), ("type", "TYPE"), ("conflict", "I rg:inEvent"), ("agent", "I rg:agent"), ("role", "I rg:role"), ("side", "I rg:side"),
        ("initiator", "S rg:initiator^^xsd:boolean"), ("outcome", "I rg:outcome"), ("start", "D rg:start"), ("end", "D rg:end"), *_CLAIM,
    ],
    "conflict-years": [
        ("id", "ID"), ("type", "TYPE"), ("conflict", "I rg:inEvent"), ("year", "D rg:pointInTime"), ("intensity", "I rg:intensity"),
        ("conflict_type", "I rg:conflictType"), ("incompatibility", "I rg:incompatibility"), *_CLAIM,
    ],
}
"""Table name → its columns, in order: (column name, template)."""
