"""``python -m relgraph``: the same as the ``relgraph`` command."""

import sys

from relgraph.cli import main

sys.exit(main())
