"""Writing RDF: serializations, canonical forms, JSON-LD, the exports and atomic files.

- :mod:`relgraph.publish.serialize`: the one writer of RDF answers and exports (Turtle,
  N-Triples, JSON-LD, RDF/XML) with relgraph's prefixes and language tags as written;
- :mod:`relgraph.publish.rdfxml`: what RDF/XML can hold, checked before and after writing;
- :mod:`relgraph.publish.canonical`: canonical order and canonical Turtle (``relgraph format``);
- :mod:`relgraph.publish.jsonld`: JSON-LD compacted with the committed context, or framed;
- :mod:`relgraph.publish.export`: ``relgraph export`` (the data set, its description, per-source graphs);
- :mod:`relgraph.publish.output`: files written atomically.

Imports the core and :mod:`relgraph.graph`.
"""
