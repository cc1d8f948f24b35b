"""The world layer: the field's data sets (COW, Gleditsch–Ward, COW IGO v3, ATOP, COW wars,
UCDP/PRIO) imported from the files under ``graph/datasets/`` into the claim tables of
``graph/tables/`` (:mod:`relgraph.graph.tables`), deterministically and offline."""
