"""Paths as the project sees them: the project root, parameter paths resolved from it, and paths fit to show.

Imports nothing of dictamen, so errors and catalog can both use it without importing each other.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path


def project_root() -> Path:
    """The project's root folder (holds pyproject.toml); ``DICTAMEN_ROOT`` overrides it."""
    return _root_for(os.environ.get("DICTAMEN_ROOT"))


@lru_cache(maxsize=4)
def _root_for(configured: str | None) -> Path:
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parents[2]


def resolve_path(path: str | os.PathLike[str]) -> Path:
    """Resolve a parameter path: absolute stays, relative is taken from the project root.

    Never from the kernel's working directory, which differs between JupyterLab and the runner.
    """
    candidate = Path(path).expanduser()
    if not candidate.is_absolute():
        candidate = project_root() / candidate
    return candidate.resolve()


def display_path(path: str | os.PathLike[str]) -> str:
    """A path fit for a shared report: relative to the project root, or the bare file name."""
    resolved = Path(path).expanduser()
    if not resolved.is_absolute():
        return resolved.as_posix()
    try:
        return resolved.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return resolved.name


def resolved_display_path(resolved: Path) -> str:
    """:func:`display_path` of a path already resolved, without resolving it again (a corpus
    opens thousands of files): project-relative inside the project, else the bare file name."""
    where = str(resolved)
    root = _root_prefix()
    return Path(where[len(root):]).as_posix() if where.startswith(root) else resolved.name


def is_inside_root(resolved: Path) -> bool:
    """Whether a resolved path lies inside the project root."""
    return str(resolved).startswith(_root_prefix())


def _root_prefix() -> str:
    # both resolved, so "inside the root" is a prefix of the text
    return str(project_root()).rstrip(os.sep) + os.sep


def location(path: str | os.PathLike[str]) -> str:
    """Where to find a file again: project-relative inside the project, absolute outside it.

    For caches and configuration only; use :func:`display_path` for anything a report shows.
    """
    resolved = resolve_path(path)
    try:
        return resolved.relative_to(project_root()).as_posix()
    except ValueError:
        return str(resolved)
