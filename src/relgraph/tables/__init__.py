"""Tables in the political-science formats, built from the graph's sourced claims: ``relgraph table``.

- :mod:`relgraph.tables.common` — what every table shares (year rules, the COW state system's
  state-years, the states' codes).
- :mod:`relgraph.tables.igo` — COW IGO's state-year and dyad-year tables (``igo-state-year``,
  ``igo-dyad-year``).
- :mod:`relgraph.tables.dyads` — the dyad-year tables of bilateral treaties in force and of
  diplomatic relations and ambassadors (``treaty-dyad-year``, ``relations-dyad-year``).
- :mod:`relgraph.tables.writing` — CSV and Parquet, written atomically, with their codebook and
  the side file of the claims and sources behind each coded cell.
"""
