"""Writing output files atomically.

Every file relgraph writes goes to a temporary file beside the target, is flushed to disk, and
is then renamed over the target: readers see the old file or the whole new one, never part of
it, and a failure leaves no partial or temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from relgraph.errors import ExportError

__all__ = ["write_atomically", "atomic_file"]


def write_atomically(data: bytes, path: Path) -> None:
    """Write *data* to *path* so that readers see the old file or the whole new one, never part.

    Args:
        data: The bytes to write.
        path: The target file; its folder must exist.

    Raises:
        ExportError: As :func:`atomic_file`.
    """
    with atomic_file(path) as out:
        out.write(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Open a binary stream whose content replaces *path* when the block ends without error.

    For outputs too large to hold in memory (exports of a store). A symbolic link is followed
    (its target is replaced, the link stays). An existing file keeps its permission bits; a new
    one gets those the umask allows. Only regular files are written: a device, FIFO or socket is
    refused, never replaced. If the block raises, the target is untouched and no temporary file
    is left behind.

    Args:
        path: The target file; its folder must exist.

    Yields:
        A binary file to write to.

    Raises:
        ExportError: The folder does not exist, the target is a folder or not a regular file, or
            writing failed.
    """

    try:
        target = path.resolve(strict=False) if path.is_symlink() else path
        exists = target.exists()
        info = target.stat() if exists else None
    except (OSError, RuntimeError) as exc:
        raise ExportError(f"{path}: cannot use this path: {getattr(exc, 'strerror', None) or exc}") from exc
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise ExportError(f"{path}: is a folder; give --output a file name")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise ExportError(f"{path}: is not a regular file (a device, pipe or socket); give --output a file name, or leave it out to write to standard output")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"{path}: the folder {folder} does not exist; create it first")
    if info is not None:
        mode = stat.S_IMODE(info.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle = None
    temporary = None
    try:
        # imported here, only when a file is written: python -X importtime shows tempfile (with shutil) 2.6 ms on the main job's path
        import tempfile

        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        temporary = Path(name)
        with os.fdopen(handle, "wb") as out:
            handle = None
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    finally:
        if handle is not None:
            os.close(handle)
        if temporary is not None:
            with contextlib.suppress(OSError):
                temporary.unlink()
