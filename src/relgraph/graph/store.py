"""On-disk Oxigraph stores: the cache of a root's graph, and large stores built by ``relgraph load``.

A relgraph store is a folder that holds

- ``oxigraph/``: a pyoxigraph (RocksDB) store with one named graph per loaded file, the ontology
  and the derived graph (:mod:`relgraph.graph.loading` names them), queried with the union of all
  graphs as the default graph;
- ``relgraph-store.json``: what it was built from (:class:`StoreInfo`).

Stores are built in a temporary folder next to their target and renamed into place, so a
reader never sees a half-built store, and they are opened with ``Store.read_only`` so that any
number of processes (two queries, a test run, a server) can read one store at once. A store is
never written after it is in place.

The cache: every command that reads the graph of a root (``--root``, ``RELGRAPH_ROOT``, the
checkout or the shipped graph) uses the cache entry whose key is the SHA-256 of everything that
goes into the store: the content of ``ontology/*.ttl``, ``graph/*.ttl`` and
``queries/derive/*.rq``, the ``--infer`` regime, the relgraph version and the source of the
modules that build the store, and the pyoxigraph version. Any change gives a new key, so a
stale entry is never used; a missing entry is built on first use. Entries live in
``RELGRAPH_CACHE_DIR`` (else ``$XDG_CACHE_HOME/relgraph``, else ``~/.cache/relgraph``); setting
``RELGRAPH_CACHE_DIR`` to ``off`` turns the cache off (the graph is then loaded in memory for
each command). The newest :data:`KEEP_ENTRIES` entries are kept.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gzip
import hashlib
import io
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

import click
import pyoxigraph as ox

from relgraph.errors import InputError, RelgraphError
from relgraph.graph.langtags import TagScanner, tag_quads
from relgraph.paths import Layout
from relgraph.version import __version__

__all__ = [
    "CACHE_ENV",
    "KEEP_ENTRIES",
    "STORE_FORMAT",
    "DATA_FORMATS",
    "StoreInfo",
    "FileRecord",
    "cache_dir",
    "cache_key",
    "cached_store",
    "cached_store_folder",
    "open_store",
    "query_store",
    "build_store",
    "data_format",
    "store_info",
]

CACHE_ENV = "RELGRAPH_CACHE_DIR"
KEEP_ENTRIES = 8
STORE_FORMAT = 1
INFO_FILE = "relgraph-store.json"
DATA_DIR = "oxigraph"

DATA_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
"""File name extensions ``relgraph load`` reads (each optionally followed by ``.gz``)."""

# The modules whose code decides what a store holds: a change to them invalidates the cache even
# when the version number stays the same (as it does between releases).
_BUILDER_MODULES = ("graph/loading.py", "graph/parsing.py", "graph/tables.py", "graph/dates.py", "graph/langtags.py", "namespaces.py", "graph/store.py", "graph/inference.py")
"""Paths relative to the package folder; a test checks that each exists."""


@dataclass(frozen=True)
class FileRecord:
    """One input file of a store.

    Attributes:
        path: The file as given (absolute).
        graph: The named graph its triples went to (``None`` for N-Quads and TriG, whose quads
            keep their own graphs).
        bytes: Its size in bytes (compressed size for ``.gz``).
        sha256: The SHA-256 of its bytes as read (compressed bytes for ``.gz``), hexadecimal.
    """

    path: str
    graph: str | None
    bytes: int
    sha256: str


@dataclass(frozen=True)
class StoreInfo:
    """What a store was built from (the content of ``relgraph-store.json``).

    Attributes:
        format: The layout version of relgraph stores (:data:`STORE_FORMAT`).
        relgraph: The relgraph version that built it.
        pyoxigraph: The pyoxigraph version that built it.
        root: The root whose ontology and derivations it holds.
        ontology_key: SHA-256 of the ontology and derivation queries it was built with; a store
            is only used with a root whose ontology has the same key.
        key: The cache key (cache entries only; ``None`` for stores built by ``relgraph load``).
        infer: The ``--infer`` regime of its inferred graph (``none``, ``rdfs``, ``owl-rl``).
        quads: The number of quads in it, derived ones included.
        built: When it was built (UTC, ISO 8601).
        files: The facts files loaded into it.
    """

    format: int
    relgraph: str
    pyoxigraph: str
    root: str
    ontology_key: str
    key: str | None
    infer: str
    quads: int
    built: str
    files: list[FileRecord] = field(default_factory=list)

    @classmethod
    def read(cls, folder: Path) -> StoreInfo:
        """Read ``relgraph-store.json`` of a store folder.

        Args:
            folder: The store folder.

        Returns:
            The description.

        Raises:
            InputError: The folder is not a relgraph store, or was made by an incompatible
                version.
        """
        path = folder / INFO_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            files = [FileRecord(**f) for f in raw.pop("files", [])]
            info = cls(files=files, **raw)
        except FileNotFoundError:
            raise InputError(folder, f"not a relgraph store (no {INFO_FILE}); build one with: relgraph load FILES --store {folder}") from None
        except (OSError, ValueError, TypeError) as exc:
            raise InputError(path, f"unreadable store description ({exc}); rebuild the store with relgraph load --replace") from None
        if info.format != STORE_FORMAT:
            raise InputError(folder, f"a store of format {info.format}, but this relgraph reads format {STORE_FORMAT}; rebuild it with relgraph load --replace")
        return info

    def write(self, folder: Path) -> None:
        """Write ``relgraph-store.json`` into a store folder that is being built."""
        (folder / INFO_FILE).write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def cache_dir() -> Path | None:
    """The folder of cache entries, or ``None`` if the cache is turned off.

    Returns:
        ``$RELGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/relgraph``, else ``~/.cache/relgraph``
        (``None`` if ``RELGRAPH_CACHE_DIR=off``).
    """
    configured = os.environ.get(CACHE_ENV)
    if configured is not None and configured.strip().lower() in ("off", "none", "0", ""):
        return None
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "relgraph"


def _hash_files(digest, paths: Sequence[Path], layout: Layout) -> None:
    for path in paths:
        try:
            name = path.relative_to(layout.root).as_posix()
        except ValueError:
            name = str(path)
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")  # loading reports it; never a key of a real state
        digest.update(b"\0")


def ontology_key(layout: Layout) -> str:
    """The SHA-256 (hexadecimal) of a root's ontology files and derivation queries.

    Args:
        layout: The root.

    Returns:
        64 hexadecimal digits.
    """
    digest = hashlib.sha256(b"relgraph ontology\0")
    _hash_files(digest, [*layout.ontology_files(), *layout.derivation_files()], layout)
    return digest.hexdigest()


def cache_key(layout: Layout, infer: str = "none") -> str:
    """The cache key of a root's graph: SHA-256 of all that goes into its store.

    Hashing the root's files (about 7 MB with the world layer) takes 6 to 10 ms, which the main
    job would pay on every run; so the key is remembered in the cache folder under a signature
    of the files' names, sizes, inodes and change times (``st_ctime_ns``, which every write
    moves and no program can set back), as git's index remembers content hashes. A key is only
    remembered when every file last changed more than :data:`_SETTLED_NS` before, so a file
    written in the same clock tick as the signature was taken is hashed again (git's "racy"
    rule).

    Args:
        layout: The root.
        infer: The ``--infer`` regime (``none``, ``rdfs``, ``owl-rl``).

    Returns:
        64 hexadecimal digits.
    """
    header = f"relgraph store {STORE_FORMAT}\0{__version__}\0{_pyoxigraph_version()}\0{infer}\0".encode()
    package = Path(__file__).parent.parent
    builders = [package / name for name in _BUILDER_MODULES]
    inputs = [*layout.ontology_files(), *layout.derivation_files(), *layout.graph_files(), *layout.table_files()]
    signature, settled = _stat_signature(header, [*builders, *inputs])
    memo = _read_key_memo()
    if signature in memo:
        return memo[signature]
    digest = hashlib.sha256(header)
    for path in builders:
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    _hash_files(digest, inputs, layout)
    key = digest.hexdigest()
    if settled:
        _remember_key(memo, signature, key)
    return key


_KEY_MEMO = "keys.json"
"""The file in the cache folder that maps file signatures to cache keys (see :func:`cache_key`)."""

_KEY_MEMO_ENTRIES = 32
"""The most signatures remembered (the newest are kept)."""

_SETTLED_NS = 2_000_000_000
"""How long before now every input must have last changed for its key to be remembered (2 s)."""


def _stat_signature(header: bytes, paths: Sequence[Path]) -> tuple[str, bool]:
    """A SHA-256 of each file's absolute name, size, inode and change time, and whether every
    file last changed more than :data:`_SETTLED_NS` ago (a missing file counts as changed now)."""
    digest = hashlib.sha256(header)
    now = _dt.datetime.now().timestamp() * 1e9
    settled = True
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            digest.update(f"{os.path.abspath(path)}\0missing\0".encode("utf-8", "surrogateescape"))
            settled = False
            continue
        digest.update(f"{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_ino}\0{stat.st_dev}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}\0".encode("utf-8", "surrogateescape"))
        settled = settled and stat.st_ctime_ns < now - _SETTLED_NS and stat.st_mtime_ns < now - _SETTLED_NS
    return digest.hexdigest(), settled


def _read_key_memo() -> dict[str, str]:
    folder = cache_dir()
    if folder is None:
        return {}
    try:
        memo = json.loads((folder / _KEY_MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(memo, dict):
        return {}
    return {k: v for k, v in memo.items() if isinstance(k, str) and isinstance(v, str) and len(v) == 64}


def _remember_key(memo: dict[str, str], signature: str, key: str) -> None:
    """Add one signature to the memo and write it atomically; a cache folder that cannot be
    written is left as it is (the key is then hashed again next time)."""
    folder = cache_dir()
    if folder is None:
        return
    memo = dict(list(memo.items())[-(_KEY_MEMO_ENTRIES - 1) :])
    memo[signature] = key
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{_KEY_MEMO}.{os.getpid()}.{threading.get_ident()}"
        temporary.write_text(json.dumps(memo), encoding="utf-8")
        os.replace(temporary, folder / _KEY_MEMO)


def _pyoxigraph_version() -> str:
    return str(getattr(ox, "__version__", "unknown"))


def _open_read_only(folder: Path) -> ox.Store:
    try:
        return ox.Store.read_only(str(folder / DATA_DIR))
    except OSError as exc:
        raise InputError(folder, f"cannot open the store ({' '.join(str(exc).split())}); rebuild it with relgraph load --replace") from None


def cached_store(layout: Layout, infer: str = "none") -> ox.Store:
    """The query store of a root's graph, from the cache (built there on first use).

    Args:
        layout: The root.
        infer: The ``--infer`` regime (``none``, ``rdfs``, ``owl-rl``).

    Returns:
        A read-only on-disk store, or an in-memory one if the cache is off or cannot be written
        (a note says why on standard error).

    Raises:
        InputError: A file of the root cannot be read or is not valid Turtle.
    """
    store, _ = cached_store_folder(layout, infer)
    return store


def cached_store_folder(layout: Layout, infer: str = "none") -> tuple[ox.Store, Path | None]:
    """As :func:`cached_store`, and the cache entry's folder (``None`` for an in-memory store).

    Args:
        layout: The root.
        infer: The ``--infer`` regime.

    Returns:
        The store and its folder.

    Raises:
        InputError: As :func:`cached_store`.
    """
    folder = cache_dir()
    if folder is None:
        return _in_memory(layout, infer), None
    entry = folder / cache_key(layout, infer)
    if (entry / INFO_FILE).is_file():
        with contextlib.suppress(InputError):
            return _open_read_only(entry), entry
        # a damaged entry (a disk that filled up while it was written): build it again
        # imported here, off the main job's path (a cached store is only opened): python -X importtime shows shutil 2.2 ms and tempfile 2.6 ms
        import shutil

        shutil.rmtree(entry, ignore_errors=True)

    # graph.loading (with the parsers): 12 ms to import (python -X importtime), and the main job
    # only opens a cached store: loaded where a store is built
    # imported here, off the main job's path (a cached store needs no loading): python -X importtime shows 37 ms
    from relgraph.graph.loading import load

    loaded = load(layout, infer=infer)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _building(entry) as work:
            disk = ox.Store(str(work / DATA_DIR))
            disk.bulk_extend(loaded.store)
            disk.flush()
            quads = len(disk)
            del disk
            _info(layout, key=entry.name, infer=infer, quads=quads, files=[]).write(work)
    except OSError as exc:

        click.echo(f"relgraph: note: cannot write the cache in {folder} ({exc.strerror or exc}); loading in memory (set {CACHE_ENV} to a writable folder, or to off)", err=True)
        return loaded.store, None
    _prune(folder, keep=entry)
    return _open_read_only(entry), entry


def _in_memory(layout: Layout, infer: str) -> ox.Store:

    # graph.loading (with the parsers): 12 ms to import (python -X importtime), and the main job
    # only opens a cached store: loaded where a store is built
    # imported here, off the main job's path (a cached store needs no loading): python -X importtime shows 37 ms
    from relgraph.graph.loading import load

    return load(layout, infer=infer).store


def _info(layout: Layout, *, key: str | None, infer: str, quads: int, files: list[FileRecord]) -> StoreInfo:
    return StoreInfo(
        format=STORE_FORMAT,
        relgraph=__version__,
        pyoxigraph=_pyoxigraph_version(),
        root=str(layout.root),
        ontology_key=ontology_key(layout),
        key=key,
        infer=infer,
        quads=quads,
        built=_dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        files=files,
    )


@contextlib.contextmanager
def _building(target: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield a temporary folder next to *target*; when the block ends without error, move it to
    *target* atomically (replacing a previous store if *replace*); otherwise remove it.

    If another process put a store at *target* meanwhile (a concurrent cache build), that one
    is kept and this one discarded: both hold the same content.
    """
    # imported here, off the main job's path (a cached store is only opened): python -X importtime shows shutil 2.2 ms and tempfile 2.6 ms
    import shutil
    import tempfile

    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        yield work
        if replace and target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, old / "store")
            os.rename(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                os.rename(work, target)
            except OSError:
                if not (target / INFO_FILE).is_file():
                    raise
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _prune(folder: Path, keep: Path) -> None:
    """Remove all but the newest :data:`KEEP_ENTRIES` cache entries, and failed builds older
    than a day."""
    # imported here, off the main job's path (a cached store is only opened): python -X importtime shows shutil 2.2 ms and tempfile 2.6 ms
    import shutil


    entries = []
    now = _dt.datetime.now().timestamp()
    for child in folder.iterdir():
        try:
            stat = child.stat()
        except OSError:
            continue
        if child.name.startswith(".") and ".building-" in child.name:
            if now - stat.st_mtime > 86400:
                shutil.rmtree(child, ignore_errors=True)
        elif len(child.name) == 64 and child != keep:
            entries.append((stat.st_mtime, child))
    for _, child in sorted(entries, reverse=True)[KEEP_ENTRIES - 1 :]:
        shutil.rmtree(child, ignore_errors=True)


def open_store(folder: Path, layout: Layout) -> ox.Store:
    """Open a store built by ``relgraph load`` for reading (``--store PATH``).

    Args:
        folder: The store folder.
        layout: The root whose queries will run on it; its ontology must be the one the store
            was built with.

    Returns:
        The store, opened read-only.

    Raises:
        InputError: The folder is not a relgraph store, was built by an incompatible version,
            or was built with another ontology or other derivation queries.
    """
    if not folder.is_dir():
        raise InputError(folder, f"no such store; build one with: relgraph load FILES --store {folder}")
    info = StoreInfo.read(folder)
    if info.ontology_key != ontology_key(layout):
        raise InputError(
            folder,
            f"built with another ontology or other derivation queries than the root {layout.root}; rebuild it with relgraph load --replace --store {folder}",
        )
    return _open_read_only(folder)


def query_store(layout: Layout, store: Path | None = None, infer: str = "none") -> ox.Store:
    """The store that answers queries for a command: ``--store PATH`` if given, else the cache.

    Args:
        layout: The root (its ontology must match a given store's).
        store: A store folder built by ``relgraph load``, or ``None`` for the root's graph.
        infer: The ``--infer`` regime; only ``none`` with *store* (inference over a large
            store would hold it all in memory).

    Returns:
        A store to query with ``use_default_graph_as_union=True``.

    Raises:
        InputError: As :func:`open_store` and :func:`cached_store`.
        RelgraphError: *infer* is not ``none`` with *store*.
    """
    if store is not None:
        if infer != "none":
            raise RelgraphError("--infer works on the root's graph in memory, not with --store; leave out one of them")
        return open_store(store, layout)
    return cached_store(layout, infer)


def data_format(path: Path) -> tuple[ox.RdfFormat, bool]:
    """The RDF format of a data file, from its name.

    Args:
        path: The file; ``.ttl``, ``.nt``, ``.nq`` or ``.trig``, each optionally followed by
            ``.gz``.

    Returns:
        The format, and whether the file is gzip-compressed.

    Raises:
        InputError: Another extension.
    """
    name = path.name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    for suffix, fmt in DATA_FORMATS.items():
        if name.endswith(suffix):
            return fmt, compressed
    known = ", ".join(DATA_FORMATS)
    raise InputError(path, f"unknown RDF format; name the file with one of the extensions {known} (optionally followed by .gz)")


class _Counting(io.RawIOBase):
    """A raw binary reader that hashes the bytes it reads and reports their number (for the
    progress bar and the store description)."""

    def __init__(self, path: Path, progress: Callable[[int], None] | None) -> None:
        self.raw = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.digest = hashlib.sha256()
        self.progress = progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.digest.update(memoryview(buffer)[:n])
            if self.progress is not None:
                self.progress(n)
        return n or 0

    def close(self) -> None:
        self.raw.close()
        super().close()


def build_store(
    target: Path,
    layout: Layout,
    files: Sequence[Path],
    *,
    replace: bool = False,
    progress: Callable[[int], None] | None = None,
    on_file: Callable[[Path, int], None] | None = None,
) -> StoreInfo:
    """Build an on-disk store from data files with pyoxigraph's bulk loader (``relgraph load``).

    The store holds the root's ontology (one named graph per file), each data file (Turtle and
    N-Triples into the named graph ``https://w3id.org/relgraph/graph/facts/<stem>``; N-Quads
    and TriG keep their own graphs) and the derived graph (:func:`relgraph.graph.loading.derive`).

    Args:
        target: The store folder to create.
        layout: The root whose ontology and derivation queries go into the store.
        files: The data files: ``.ttl``, ``.nt``, ``.nq``, ``.trig``, optionally ``.gz``.
        replace: Replace an existing store at *target* (atomically: readers see the old store
            or the new one).
        progress: Called with the number of bytes read from the files (compressed bytes for
            ``.gz``), as they are read.
        on_file: Called with each file and its size in bytes before it is read.

    Returns:
        The description written into the store.

    Raises:
        InputError: *target* exists and *replace* is false, or is not a folder; a file cannot
            be read, has an unknown extension or is not valid RDF (the message names the file
            and line); the disk is full. Nothing is left at *target* then.
    """
    # imported here, off the main job's path (a cached store needs no loading): python -X importtime shows 37 ms,
    # and 2.5 ms for the parsers of graph.parsing alone (with xml.parsers.expat)
    from relgraph.graph.loading import DERIVED_GRAPH, FACTS_GRAPH_BASE, ONTOLOGY_GRAPH_BASE, derive
    from relgraph.graph.parsing import resolved

    if target.exists() and not replace:
        raise InputError(target, "already exists; give another --store folder, or --replace to rebuild it")
    if target.exists() and not (target / INFO_FILE).is_file():
        raise InputError(target, f"exists and is not a relgraph store (no {INFO_FILE}); refusing to replace it")
    formats = {path: data_format(path) for path in files}
    for path in files:
        if not path.is_file():
            raise InputError(path, "no such file" if not path.exists() else "not a file")
    stems: dict[str, Path] = {}
    records: list[FileRecord] = []
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _building(target, replace=replace) as work:
            store = ox.Store(str(work / DATA_DIR))
            try:
                tags: dict[str, str] = {}
                for path in layout.ontology_files():
                    _bulk_load(store, path, ox.RdfFormat.TURTLE, False, ox.NamedNode(ONTOLOGY_GRAPH_BASE + path.stem), None, layout.display(path), tags)
                for path in files:
                    fmt, compressed = formats[path]
                    graph = None
                    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES):
                        stem = path.name.split(".")[0]
                        if stem in stems and stems[stem] != path:
                            raise InputError(path, f"has the same name as {stems[stem]}, so both would be loaded into one named graph; rename one")
                        stems[stem] = path
                        graph = ox.NamedNode(FACTS_GRAPH_BASE + stem)
                    if on_file is not None:
                        on_file(path, path.stat().st_size)
                    digest, _ = _bulk_load(store, path, fmt, compressed, graph, progress, str(path), tags)
                    records.append(FileRecord(path=str(resolved(path)), graph=graph.value if graph else None, bytes=path.stat().st_size, sha256=digest))
                derive(store, layout, bulk=True)
                store.bulk_extend(tag_quads(tags, DERIVED_GRAPH))  # language tags as written (relgraph.graph.langtags)
                store.flush()
                info = _info(layout, key=None, infer="none", quads=len(store), files=records)
                del store
            except BaseException as exc:
                # close the database before its folder is removed: no frame may keep it open
                # imported here, only on an error: traceback is 3 to 5 ms (python -X importtime) on the main job's path
                import traceback

                traceback.clear_frames(exc.__traceback__)
                del store
                raise
            info.write(work)
    except OSError as exc:
        raise InputError(target, f"cannot build the store: {exc.strerror or exc}") from None
    return info


class _Scanning(io.RawIOBase):
    """A raw binary reader that passes what it reads to a :class:`relgraph.graph.langtags.TagScanner`."""

    def __init__(self, source: BinaryIO, scanner: TagScanner) -> None:
        self.source = source
        self.scanner = scanner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.source.read(len(buffer))
        if not data:
            return 0
        buffer[: len(data)] = data
        self.scanner.feed(data)
        return len(data)


def _open_data(path: Path, compressed: bool, progress) -> tuple[_Counting, BinaryIO]:

    counting = _Counting(path, progress)
    reader = io.BufferedReader(counting, buffer_size=1 << 20)
    return counting, (gzip.GzipFile(fileobj=reader, mode="rb") if compressed else reader)


def _bulk_load(
    store: ox.Store, path: Path, fmt: ox.RdfFormat, compressed: bool, graph: ox.NamedNode | None, progress, shown: str, tags: dict[str, str]
) -> tuple[str, int]:
    """Bulk-load one file; meanwhile, a second reader in a thread hashes the file, reports
    progress and finds the literals the store will hold in another form than written, and the
    language tags written with capitals, added to *tags* (pyoxigraph parses and loads without
    holding Python's lock, so both run at once).

    Returns:
        The file's SHA-256 and the number of quads added for written forms.
    """
    # imported here, off the main job's path (a cached store needs no loading): python -X importtime shows 37 ms,
    # and 2.5 ms for the parsers of graph.parsing alone (with xml.parsers.expat)
    from relgraph.graph.loading import lexical_forms
    from relgraph.graph.parsing import parser_message


    counting, source = _open_data(path, compressed, progress)

    forms: list[ox.Quad] = []
    failure: list[BaseException] = []

    scanner_of_tags = TagScanner()

    def scan() -> None:
        try:
            parsed = ox.parse(input=_Scanning(source, scanner_of_tags), format=fmt)
            forms.extend(lexical_forms(q.triple for q in parsed if isinstance(q.graph_name, ox.DefaultGraph) or graph is None))
        except BaseException as exc:  # noqa: BLE001 - reported after the load, which names the error itself
            failure.append(exc)

    scanner = threading.Thread(target=scan, name=f"relgraph-scan-{path.name}")
    scanner.start()
    loading = None
    try:
        if compressed:
            loading = gzip.open(path, "rb")
            store.bulk_load(input=loading, format=fmt, to_graph=graph) if graph is not None else store.bulk_load(input=loading, format=fmt)
        elif graph is not None:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        else:
            store.bulk_load(path=str(path), format=fmt)
    except SyntaxError as exc:
        raise InputError(shown, f"syntax error (column {exc.offset}): {parser_message(str(exc))}; fix the file at this line", line=exc.lineno) from None
    except (gzip.BadGzipFile, EOFError) as exc:
        raise InputError(shown, f"not a valid gzip file ({exc}); compress it with gzip or drop the .gz extension") from None
    except ValueError as exc:
        raise InputError(shown, f"cannot load: {parser_message(str(exc))}") from None
    finally:
        scanner.join()
        if loading is not None:
            loading.close()
        source.close()
        counting.close()
    if failure:
        raise InputError(shown, f"cannot read: {failure[0]}")
    store.bulk_extend(forms)
    tags.update({lower: written for lower, written in scanner_of_tags.tags.items() if lower not in tags})
    return counting.digest.hexdigest(), len(forms)


def store_info(folder: Path) -> StoreInfo:
    """Read what a store was built from.

    Args:
        folder: The store folder.

    Returns:
        Its description.

    Raises:
        InputError: The folder is not a relgraph store.
    """
    if not folder.is_dir():
        raise InputError(folder, "no such store")
    return StoreInfo.read(folder)
