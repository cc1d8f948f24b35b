"""Pictures for analysts (matplotlib): ``relgraph plot``.

- :mod:`relgraph.plots.membership` — an organisation's membership chart: one bar per state over
  time, its roles distinguished.
"""
