"""Writing output files atomically.

Every file relgraph writes goes to a temporary file beside the target, is flushed to disk, and
is then renamed over the target: readers see the old file or the whole new one, never part of
it, and a failure leaves no partial or temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from relgraph.errors import ExportError

__all__ = ["write_atomically"]


def write_atomically(data: bytes, path: Path) -> None:
    """Write *data* to *path* so that readers see the old file or the whole new one, never part.

    Args:
        data: The bytes to write.
        path: The target file; its folder must exist.

    Raises:
        ExportError: The folder does not exist, the target is a folder, or writing failed; no
            temporary file is left behind.
    """
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; give --output a file name")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist; create it first")
    handle = None
    temporary = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            handle = None
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if handle is not None:
            os.close(handle)
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
