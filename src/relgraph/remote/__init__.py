"""Remote stores: SPARQL endpoints and graph stores over HTTP.

- :mod:`relgraph.remote.endpoint`: stored queries on a SPARQL 1.1 endpoint (``query --endpoint``),
  answers checked before they are believed;
- :mod:`relgraph.remote.graph_store`: publishing the graph through the SPARQL 1.1 Graph Store
  HTTP Protocol (``relgraph push``);
- :mod:`relgraph.remote.http`: what both share: requests read within limits, a time limit over
  a whole answer, authentication, redaction.

Imports the core, :mod:`relgraph.graph`, :mod:`relgraph.publish` and :mod:`relgraph.query`.
"""
