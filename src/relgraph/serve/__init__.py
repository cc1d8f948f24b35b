"""The server: ``relgraph serve``, a read-only SPARQL endpoint with stored queries and linked data.

- :mod:`relgraph.serve.app`: the HTTP layer (Starlette on uvicorn): routes, content
  negotiation, caching, limits;
- :mod:`relgraph.serve.handlers`: what a worker does with one request (it runs in the workers);
- :mod:`relgraph.serve.pool`: the pool of killable query workers (:mod:`relgraph.workers`);
- :mod:`relgraph.serve.pages`: the HTML pages, from the Jinja2 templates in ``templates/``.

Imports the core, :mod:`relgraph.graph`, :mod:`relgraph.publish` and :mod:`relgraph.query`.
"""
