"""The ad-hoc query worker process: ``python -m relgraph._worker`` (see :mod:`relgraph.adhoc`)."""

from relgraph.adhoc import _worker_main

if __name__ == "__main__":
    _worker_main()
