"""Notebook parameters: read the typed ``parameters`` cell, and check supplied values before a run.

A parameters cell declares one parameter per statement, with a type annotation and a help comment,
Papermill's convention::

    rollcall: int = 442  # Voteview roll-call number; 0 means legislature mode [0..]
    rule: Literal["simple", "absolute"] = "simple"  # majority rule
    intervention_date: ISODate = "2020-12-19"  # when the law took effect
    votes_path: DataPath = "data/votes/voteview_S116_votes.csv"  # Voteview votes file

Types: ``int``, ``float``, ``str``, ``bool``, ``list[str]``, ``list[int]``, ``list[float]``,
``Literal[...]`` (the allowed values), and the aliases below. A trailing ``[min..max]`` in the help
comment declares a numeric range (either bound may be left out).
"""

from __future__ import annotations

ISODate = str
"""A calendar date written YYYY-MM-DD (kept as text so Papermill can inject it)."""

DataPath = str
"""A path to an input file (or folder or glob), relative to the project root unless absolute."""

import ast
import datetime as dt
import glob
import io
import json
import os
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dictamen.errors import ParameterError

if TYPE_CHECKING:
    import nbformat

SCALAR_TYPES = ("int", "float", "str", "bool", "DataPath", "ISODate")
_RANGE = re.compile(r"\[\s*(-?[\d.]+)?\s*\.\.\s*(-?[\d.]+)?\s*\]\s*$")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


@dataclass(frozen=True)
class ParameterSpec:
    """One declared parameter of a notebook."""

    name: str
    type: str  # one of SCALAR_TYPES, or "list[<scalar>]"
    default: Any
    help: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    annotation: str = ""

    @property
    def item_type(self) -> str:
        return self.type[5:-1] if self.type.startswith("list[") else self.type

    def expectation(self) -> str:
        """What a valid value looks like, in words."""
        words = {
            "int": "a whole number",
            "float": "a number",
            "str": "text",
            "bool": "true or false",
            "DataPath": "a path to an existing file (relative to the project root)",
            "ISODate": "a date written YYYY-MM-DD",
        }
        if self.choices is not None:
            text = "one of " + ", ".join(repr(choice) for choice in self.choices)
        elif self.type.startswith("list["):
            text = f"a list of {words[self.item_type]} values"
        else:
            text = words[self.type]
        if self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            text += f" in the range [{low}..{high}]"
        return text


@dataclass
class NotebookParameters:
    """All declared parameters of one notebook, in declaration order."""

    notebook: str
    specs: dict[str, ParameterSpec] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.specs.items()}


def parameters_cell(nb: "nbformat.NotebookNode | dict") -> "dict | None":
    """The code cell tagged ``parameters``, if any (a notebook node or the plain notebook JSON)."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def read_parameters(notebook: str | os.PathLike[str]) -> NotebookParameters:
    """Parse the typed parameters cell of a notebook file."""
    path = Path(notebook)
    # Plain JSON rather than nbformat: importing nbformat costs over a second (its schema validator),
    # which alone would break the "no-change run in under a second" target.
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParameterError(f"{notebook} cannot be read as a notebook: {error}") from None
    return parse_parameters_source(cell_source(parameters_cell(nb)), notebook=str(notebook))


def cell_source(cell: "dict | None") -> str:
    if cell is None:
        return ""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parse_parameters_source(source: str, *, notebook: str = "<notebook>") -> NotebookParameters:
    """Parse the source of a parameters cell into parameter specs."""
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    result = NotebookParameters(notebook=notebook)
    for statement in ast.parse(source).body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            continue
        if not isinstance(statement, ast.AnnAssign) or not isinstance(statement.target, ast.Name):
            raise ParameterError(
                f"{notebook}: line {statement.lineno} of the parameters cell is not a typed parameter; "
                "expected `name: type = default  # help`"
            )
        name = statement.target.id
        kind, choices = _annotation_type(statement.annotation, notebook, name)
        try:
            default = ast.literal_eval(statement.value) if statement.value is not None else None
        except ValueError:
            raise ParameterError(
                f"{notebook}: the default of parameter '{name}' is not a literal value; "
                "expected a number, text, true/false or a list of those"
            ) from None
        help_text = comments.get(statement.end_lineno) or comments.get(statement.lineno, "")
        minimum = maximum = None
        match = _RANGE.search(help_text)
        if match:
            minimum = float(match.group(1)) if match.group(1) else None
            maximum = float(match.group(2)) if match.group(2) else None
            help_text = help_text[: match.start()].rstrip()
        result.specs[name] = ParameterSpec(
            name=name,
            type=kind,
            default=default,
            help=help_text,
            choices=choices,
            minimum=minimum,
            maximum=maximum,
            annotation=ast.unparse(statement.annotation),
        )
    return result


def _annotation_type(node: ast.expr, notebook: str, name: str) -> tuple[str, tuple[Any, ...] | None]:
    if isinstance(node, ast.Name) and node.id in SCALAR_TYPES:
        return node.id, None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "list" and isinstance(node.slice, ast.Name) and node.slice.id in SCALAR_TYPES:
            return f"list[{node.slice.id}]", None
        if node.value.id == "Literal":
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            choices = tuple(ast.literal_eval(element) for element in elements)
            base = {bool: "bool", int: "int", float: "float", str: "str"}[type(choices[0])]
            return base, choices
    raise ParameterError(
        f"{notebook}: parameter '{name}' has the annotation `{ast.unparse(node)}`, which dictamen cannot check; "
        f"expected one of {', '.join(SCALAR_TYPES)}, list[...] of those, or Literal[...]"
    )


def coerce_value(spec: ParameterSpec, value: Any, *, from_text: bool = False) -> Any:
    """Parse (from command-line text) or check (from TOML) one value; raise ValueError with the reason."""
    if spec.type.startswith("list["):
        if from_text:
            value = _split_list_text(value)
        if not isinstance(value, list):
            raise ValueError("not a list")
        item = ParameterSpec(spec.name, spec.item_type, None, choices=spec.choices,
                             minimum=spec.minimum, maximum=spec.maximum)
        return [coerce_value(item, element, from_text=from_text) for element in value]
    parsed = _parse_text(spec.type, value) if from_text else _check_type(spec.type, value)
    if spec.choices is not None and parsed not in spec.choices:
        raise ValueError("not one of the allowed values")
    if spec.minimum is not None and parsed < spec.minimum:
        raise ValueError(f"below the minimum {spec.minimum:g}")
    if spec.maximum is not None and parsed > spec.maximum:
        raise ValueError(f"above the maximum {spec.maximum:g}")
    if spec.type == "DataPath" and parsed:
        _check_path_exists(parsed)
    return parsed


def _split_list_text(text: str) -> list[str]:
    text = text.strip()
    if text.startswith("["):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not a JSON list ({error.msg})") from None
        return [str(element) if not isinstance(element, str) else element for element in loaded]
    return [part.strip() for part in text.split(",") if part.strip()] if text else []


def _parse_text(kind: str, text: Any) -> Any:
    text = str(text).strip()
    if kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError("not a whole number") from None
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError("not a number") from None
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError("not true or false")
    return _check_type(kind, text)


def _check_type(kind: str, value: Any) -> Any:
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not a whole number")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError("not a number")
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value
    if not isinstance(value, str):
        raise ValueError("not text")
    if kind == "ISODate" and value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError("not a date written YYYY-MM-DD") from None
    return value


def _check_path_exists(path: str) -> None:
    from dictamen.catalog import resolve_path

    if re.match(r"https?://", str(path), re.I):
        return  # a web address: the notebook that reads it checks it
    resolved = resolve_path(path)
    if glob.has_magic(str(resolved)):
        if not glob.glob(str(resolved), recursive=True):
            raise ValueError("no file matches this pattern")
    elif not resolved.exists():
        raise ValueError("no such file or folder")


def validate(
    declared: NotebookParameters,
    supplied: dict[str, Any],
    *,
    report: str,
    from_text: bool = False,
) -> dict[str, Any]:
    """Check every supplied value against the notebook's declarations; one error lists every problem."""
    problems = []
    checked: dict[str, Any] = {}
    for name, value in supplied.items():
        spec = declared.specs.get(name)
        if spec is None:
            known = ", ".join(declared.specs) or "none"
            problems.append(f"unknown parameter '{name}' (the notebook declares: {known})")
            continue
        try:
            checked[name] = coerce_value(spec, value, from_text=from_text)
        except ValueError as reason:
            problems.append(f"parameter '{name}' = {value!r}: {reason}; expected {spec.expectation()}")
    if problems:
        raise ParameterError(
            f"Report '{report}' ({declared.notebook}) cannot run: " + "; ".join(problems) + ". Nothing was run."
        )
    return checked
