"""Names of a package loaded on first use (PEP 562), so that importing the package stays cheap.

A domain package lists which submodule defines each public name; checking a run's parameters or
inputs before any kernel starts imports the package without pandas or matplotlib.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, sources: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``sources[name]`` when ``name`` is first used
    and keeps the value in the package, so later uses cost nothing."""

    def __getattr__(name: str) -> Any:
        if name in sources:
            value = getattr(importlib.import_module(sources[name]), name)
            setattr(sys.modules[package], name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
