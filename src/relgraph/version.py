"""The version of relgraph (PEP 440), the one place it is written in the code."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
