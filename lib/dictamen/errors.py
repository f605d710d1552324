"""Errors that explain themselves: what was wrong, where, and what was expected."""

from __future__ import annotations

from pathlib import Path

from dictamen.paths import display_path


class InputError(ValueError):
    """Bad input data: names the file, the row and column when known, and what was expected.

    The message is one paragraph meant for the analyst who supplied the file, not a traceback.
    """

    def __init__(
        self,
        problem: str,
        *,
        path: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.path = str(path) if path is not None else None
        self.row = row
        self.column = column
        self.expected = expected
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.path:
            where.append(f"in {_shown_path(self.path)}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = self.problem.rstrip(".")
        if where:
            text = f"{text} ({', '.join(where)})"
        if self.expected:
            text += f"; expected {self.expected.rstrip('.')}"
        return text + "."


class ParameterError(ValueError):
    """A report parameter that cannot be used: names the report, parameter, value and expectation."""


class ConfigError(ValueError):
    """A reports.toml (or other configuration) problem; the CLI exits with status 2."""


def _shown_path(path: str) -> str:
    """A path as it may appear in a shared report: project-relative, never absolute."""
    return display_path(path)
