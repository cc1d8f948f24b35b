"""Tables in the political-science formats, built from the graph's sourced claims: ``relgraph table``.

- :mod:`relgraph.tables.igo` — COW IGO's state-year table (``igo-state-year``).
- :mod:`relgraph.tables.writing` — CSV and Parquet, written atomically, with their codebook and
  the side file of the claims and sources behind each coded cell.
"""
