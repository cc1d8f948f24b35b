"""relgraph: a sourced, validated knowledge graph of relations between states.

The package is a small typed library with a thin command-line interface (:mod:`relgraph.cli`):

- :mod:`relgraph.paths` knows where the ontology, shapes, facts and stored queries live;
- :mod:`relgraph.loading` parses them (the only module that parses RDF files);
- :mod:`relgraph.validation` runs the SHACL shapes and quality checks;
- :mod:`relgraph.queries` is the stored-query catalogue and its parameter mechanism;
- :mod:`relgraph.adhoc` checks and runs ad-hoc SPARQL safely;
- :mod:`relgraph.export` writes serializations of the graph.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
