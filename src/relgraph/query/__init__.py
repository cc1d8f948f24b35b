"""Queries: the stored-query catalogue, parameter binding, descriptions, ad-hoc SPARQL, results.

- :mod:`relgraph.query.catalogue`: ``queries/*.rq`` and their headers;
- :mod:`relgraph.query.binding`: parameter values resolved to RDF terms and bound with
  ``VALUES``; the day a stored query answers for (``--as-of``, ``as-of=``, today);
- :mod:`relgraph.query.describe`: everything the graph says about one entity;
- :mod:`relgraph.query.adhoc`: a user's query, checked, then run in a worker that is killed at
  its time limit (``relgraph sparql``, the server's ``/sparql``);
- :mod:`relgraph.query.results`: the W3C SPARQL results formats, labels of IRIs, the notices
  for empty answers;
- :mod:`relgraph.query.confirmation`: notes on rows resting on unconfirmed claims;
- :mod:`relgraph.query.printing`: tables for people, on a terminal or in a pipe.

Imports the core, :mod:`relgraph.graph` and :mod:`relgraph.publish`.
"""
