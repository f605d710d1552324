"""Data files: where they are, what they hash to, where they came from, and which ones a run opened.

Every loader in a domain module opens its input through :func:`open_data`, so that the run records
the file's content hash (the runner uses it for caching and the report's provenance footer).
The provenance of each bundled file lives in ``data/catalog.toml``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Any

from dictamen import record
from dictamen.errors import InputError
from dictamen.paths import (display_path, is_inside_root, location, project_root, resolve_path,
                            resolved_display_path)

CATALOG_FILE = "data/catalog.toml"


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes, cached on (path, size, mtime)."""
    stat = Path(path).stat()
    return _sha256_cached(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=512)
def _sha256_cached(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def open_data(path: str | os.PathLike[str], *, parameter: str | None = None) -> Path:
    """Resolve a data file, check it exists, hash it and record that this run read it.

    ``parameter`` names the notebook parameter the path came from, for the error message.
    """
    resolved = _existing_file(path, parameter)
    stat = resolved.stat()
    _note_read(resolved, _sha256_cached(str(resolved), stat.st_size, stat.st_mtime_ns))
    return resolved


def read_data(path: str | os.PathLike[str], *, parameter: str | None = None,
              max_bytes: int | None = None, already_resolved: bool = False
              ) -> tuple[Path, int, bytes | None]:
    """:func:`open_data` that also returns the file's size and bytes, read once and hashed from
    memory (a corpus reads thousands of files, each was read twice: to hash, then to use). A file
    over ``max_bytes`` is hashed as open_data does, without being held whole; its bytes are None.
    ``already_resolved`` says ``path`` is absolute with no symbolic link in it (a listing of a
    resolved folder), so it is not resolved again: resolving costs a system call per component."""
    resolved = _existing_file(path, parameter, already_resolved)
    with open(resolved, "rb") as handle:
        stat = os.fstat(handle.fileno())
        raw = handle.read() if max_bytes is None or stat.st_size <= max_bytes else None
    if raw is None:
        size, digest = stat.st_size, _sha256_cached(str(resolved), stat.st_size, stat.st_mtime_ns)
    else:
        size, digest = len(raw), hashlib.sha256(raw).hexdigest()
    _note_read(resolved, digest)
    return resolved, size, raw


_MISSING = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _existing_file(path: str | os.PathLike[str], parameter: str | None,
                   already_resolved: bool = False) -> Path:
    """``path`` resolved; InputError naming the parameter when it is missing or not a file."""
    resolved_path = Path(path) if already_resolved else resolve_path(path)
    source = f"parameter '{parameter}'" if parameter else "a data path"
    try:
        mode = resolved_path.stat().st_mode  # one system call for "exists" and "is a file"
    except OSError as error:  # the errors Path.exists() takes for "does not exist"
        if error.errno not in _MISSING:
            raise
        mode = None
    if mode is None:
        raise InputError(
            f"The file given by {source} does not exist: {display_path(path)}",
            expected="a path relative to the project root, or an absolute path",
        )
    if not S_ISREG(mode):
        raise InputError(
            f"The path given by {source} is not a file: {display_path(path)}",
            expected="a single data file",
        )
    return resolved_path


def _note_read(resolved: Path, digest: str) -> None:
    shown = resolved_display_path(resolved)
    record.note_data_read(shown, digest, shown if is_inside_root(resolved) else str(resolved))


@lru_cache(maxsize=4)
def _load_catalog(path: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    with open(path, "rb") as handle:
        parsed = tomllib.load(handle)
    return {entry["path"]: entry for entry in parsed.get("files", [])}


def catalog_entries() -> dict[str, dict[str, Any]]:
    """The data catalogue keyed by project-relative path (``data/...``)."""
    path = project_root() / CATALOG_FILE
    if not path.exists():
        return {}
    return _load_catalog(str(path), path.stat().st_mtime_ns)


def provenance(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The catalogue entry for a data file (publisher, url, licence, citation, caveats), if any."""
    return catalog_entries().get(display_path(resolve_path(path)))
