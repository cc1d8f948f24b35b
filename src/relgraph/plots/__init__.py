"""Pictures for analysts (matplotlib): ``relgraph plot``.

- :mod:`relgraph.plots.drawing` — what every picture shares: matplotlib, the settings that make
  an SVG the same bytes for the same graph, the role colours, the legend's count of sources;
- :mod:`relgraph.plots.membership` — an organisation's membership chart: one bar per state over
  time, its roles distinguished;
- :mod:`relgraph.plots.timeline` — a dyad's timeline: relations, ambassadors, treaties, shared
  organisations and conflicts as bars, dated events as points;
- :mod:`relgraph.plots.network` — the network of a day: states linked by shared memberships or
  bilateral treaties in force.

Imports :mod:`relgraph.query` (stored queries and :mod:`relgraph.query.spans`).
"""
