"""Validation: the SHACL shapes (pySHACL), the quality checks and the literal checks.

- :mod:`relgraph.validate.report`: results and reports, in every output format;
- :mod:`relgraph.validate.shacl`: a root's shapes, the checks of their SPARQL, pySHACL;
- :mod:`relgraph.validate.quality`: the quality checks (``queries/qc/*-violation.rq``);
- :mod:`relgraph.validate.literals`: literals as written (XSD lexical spaces, Unicode NFC);
- :mod:`relgraph.validate.whole`: a root's graph validated at once;
- :mod:`relgraph.validate.parts`: validated in parts (``--changed-since``, ``--store``,
  ``--jobs``), in worker processes;
- :mod:`relgraph.validate.reach`: which triples validating a node reads;
- :mod:`relgraph.validate.shapes_only`: any RDF files against shapes files only (``--shapes``);
- :mod:`relgraph.validate.deadline`: the time limit, naming the shape being checked.

Imports the core, :mod:`relgraph.graph`, :mod:`relgraph.publish` and :mod:`relgraph.query`
(the quality checks are stored queries).
"""
