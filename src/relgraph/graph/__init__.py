"""The graph: reading RDF files, loading a root, the stores and their cache, and days.

- :mod:`relgraph.graph.parsing`: reading RDF files safely (the only module that parses them);
- :mod:`relgraph.graph.loading`: a root's ontology and facts in a store, with what is derived
  when the graph is loaded (date bounds, best ranks, written forms);
- :mod:`relgraph.graph.store`: on-disk Oxigraph stores, the content-keyed cache, ``relgraph load``;
- :mod:`relgraph.graph.dates`: the day bounds of partial dates, the parser of a day, and "today";
- :mod:`relgraph.graph.inference`: what RDFS or OWL RL entails (owlrl);
- :mod:`relgraph.graph.diff`: the facts added, removed and changed between git revisions;
- :mod:`relgraph.graph.langtags`: language tags as the files wrote them;
- :mod:`relgraph.graph.rdflib_bridge`: pyoxigraph terms as rdflib terms.

Imports only the core (:mod:`relgraph.errors`, :mod:`relgraph.namespaces`, :mod:`relgraph.paths`,
:mod:`relgraph.sparqltext`).
"""
