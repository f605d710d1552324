"""Notebook parameters: read the ``parameters`` cell, and check supplied values before a run.

A parameters cell declares one parameter per statement, with a type annotation and a help comment::

    rollcall: int = 442  # Voteview roll-call number; 0 means legislature mode [0..]
    rule: Literal["simple", "absolute"] = "simple"  # majority rule
    intervention_date: ISODate = "2020-12-19"  # when the law took effect
    votes_path: DataPath = "data/votes/voteview_S116_votes.csv"  # Voteview votes file

Types: ``int``, ``float``, ``str``, ``bool``, ``list[str]``, ``list[int]``, ``list[float]``,
``Literal[...]`` (the allowed values), and the aliases below; also ``dict``, ``Optional[...]``
(``... | None``), ``Any`` and the ``typing`` spellings (``List[str]``, ``Dict``). A trailing
``[min..max]`` in the help comment declares a numeric range (either bound may be left out).

Papermill's own convention is read as well, as papermill reads it: a plain assignment ``a = 1``
declares a parameter whose type is inferred from its default (``int``, ``float``, ``bool``, ``str``,
a list, a dict; ``None`` means any value), a ``# type: List[str]`` comment or a string annotation
``c: "NoneType" = None`` declares the type, literals may span lines with comments inside, and a
line that is not a parameter (``d = a == 3``, a magic, a broken line) is skipped with a one-line
warning. Declared types are checked strictly; inferred ones as far as the default tells.
"""

from __future__ import annotations

ISODate = str
"""A calendar date written YYYY-MM-DD (kept as text so Papermill can inject it)."""

DataPath = str
"""A path to an input file (or folder or glob), relative to the project root unless absolute."""

import ast
import datetime as dt
import functools
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
TEXT_TYPES = ("str", "DataPath", "ISODate", "any")
_RANGE = re.compile(r"\[\s*(-?[\d.]+)?\s*\.\.\s*(-?[\d.]+)?\s*\]\s*$")
_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}
_LIST_NAMES = {"list", "List", "Sequence"}
_DICT_NAMES = {"dict", "Dict", "Mapping"}
_ANY_NAMES = {"Any", "object"}

# How a supplied value was written, which decides how it is read (see ``validate``).
TEXT = "text"  # command-line text to parse (-p): "3" becomes 3 for an int parameter
RAW = "raw"  # command-line text kept as it is (-r): only for parameters that take text
VALUE = "value"  # an already typed value (reports.toml, YAML from -f/-y): checked, never converted


@dataclass(frozen=True)
class ParameterSpec:
    """One declared parameter of a notebook."""

    name: str
    type: str  # one of SCALAR_TYPES, "any", "dict", or "list[<scalar or any>]"
    default: Any
    help: str = ""
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    annotation: str = ""
    inferred: bool = False  # a plain assignment: the type is the type of its default
    nullable: bool = False  # Optional[...] / ... | None: None is allowed too

    @property
    def item_type(self) -> str:
        return self.type[5:-1] if self.type.startswith("list[") else self.type

    @property
    def takes_text(self) -> bool:
        """Whether a raw string (-r) is a possible value."""
        return self.type in TEXT_TYPES

    @property
    def type_shown(self) -> str:
        """The type as `dictamen params` shows it."""
        if not self.inferred:
            return self.annotation
        return f"{'list' if self.type == 'list[any]' else self.type} (inferred)"

    def expectation(self) -> str:
        """What a valid value looks like, in words."""
        words = {
            "int": "a whole number",
            "float": "a number",
            "str": "text",
            "bool": "true or false",
            "DataPath": "a path to an existing file (relative to the project root)",
            "ISODate": "a date written YYYY-MM-DD",
            "any": "any value",
            "dict": "a mapping of names to values",
        }
        if self.choices is not None:
            text = "one of " + ", ".join(repr(choice) for choice in self.choices)
        elif self.type == "list[any]":
            text = "a list"
        elif self.type.startswith("list["):
            text = f"a list of {words[self.item_type]} values"
        else:
            text = words[self.type]
        if self.minimum is not None or self.maximum is not None:
            low = "" if self.minimum is None else f"{self.minimum:g}"
            high = "" if self.maximum is None else f"{self.maximum:g}"
            text += f" in the range [{low}..{high}]"
        if self.nullable:
            text += " or None"
        if self.inferred and self.type != "any":
            text += " (the type of its default)"
        return text


@dataclass
class NotebookParameters:
    """All declared parameters of one notebook, in declaration order, and the lines skipped."""

    notebook: str
    specs: dict[str, ParameterSpec] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    preflight: str = ""  # "module:function" from the notebook's metadata.dictamen.preflight (see validate)
    check_inputs: str = ""  # "module:function" from metadata.dictamen.check_inputs (see check_inputs)

    def defaults(self) -> dict[str, Any]:
        return {name: spec.default for name, spec in self.specs.items()}


def parameters_cell(nb: "nbformat.NotebookNode | dict") -> "dict | None":
    """The code cell tagged ``parameters``, if any (a notebook node or the plain notebook JSON)."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    return None


def read_parameters(notebook: str | os.PathLike[str], *, shown: str | None = None) -> NotebookParameters:
    """Parse the parameters cell of a notebook file (``shown``: how messages name it)."""
    path = Path(notebook)
    # Plain JSON rather than nbformat: importing nbformat costs over a second (its schema validator),
    # which alone would break the "no-change run in under a second" target.
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ParameterError(f"{notebook} cannot be read as a notebook: {error}") from None
    if not isinstance(nb, dict):
        raise ParameterError(f"{notebook} cannot be read as a notebook: it holds no notebook JSON object")
    declared = parse_parameters_source(cell_source(parameters_cell(nb)), notebook=shown or str(notebook))
    metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    declared.preflight = str((metadata.get("dictamen") or {}).get("preflight", "") or "")
    declared.check_inputs = str((metadata.get("dictamen") or {}).get("check_inputs", "") or "")
    return declared


def cell_source(cell: "dict | None") -> str:
    if cell is None:
        return ""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def parse_parameters_source(source: str, *, notebook: str = "<notebook>") -> NotebookParameters:
    """Parse the source of a parameters cell into parameter specs (lines that are not parameters skipped)."""
    result = NotebookParameters(notebook=notebook)
    skipped: list[tuple[int, str]] = []
    source, module = _readable_module(source, skipped)
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    for statement in module.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Pass)):
            continue
        target = _single_target(statement)
        if target is None or (isinstance(statement, ast.Assign) and not _is_literal(statement.value)):
            reason = "not a `name = value` assignment" if target is None else "its value is an expression, not a literal"
            skipped.append(_skipped(statement.lineno, ast.get_source_segment(source, statement) or "", reason))
            continue
        help_text = comments.get(statement.end_lineno) or comments.get(statement.lineno, "")
        type_comment, help_text = _split_type_comment(help_text)
        result.specs[target] = _spec(statement, target, type_comment, help_text, notebook)
    result.warnings = [f"{notebook}: {text}" for _, text in sorted(skipped)]
    return result


def _readable_module(source: str, skipped: list[tuple[int, str]]) -> tuple[str, ast.Module]:
    """Parse the cell; a statement Python cannot parse (a magic, ``= 2``) is blanked out and added to ``skipped``."""
    lines = source.splitlines(keepends=True)
    for _ in range(len(lines) + 1):
        text = "".join(lines)
        try:
            return text, ast.parse(text)
        except SyntaxError as error:
            first, last = _statement_around(text, min(max(error.lineno or 1, 1), max(len(lines), 1)))
            shown = " ".join(line.strip() for line in lines[first - 1:last])
            skipped.append(_skipped(first, shown, f"Python cannot parse it: {error.msg}"))
            if not shown:
                break
            for index in range(first - 1, last):
                lines[index] = "\n"
    return "", ast.parse("")


def _statement_around(source: str, line: int) -> tuple[int, int]:
    """First and last line of the logical line (a statement, brackets included) holding ``line``."""
    start = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
                continue
            if start is None:
                start = token.start[0]
            if token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
                if start <= line <= token.start[0]:
                    return start, max(start, token.start[0] if token.type == tokenize.NEWLINE else line)
                start = None
    except (tokenize.TokenError, SyntaxError):
        pass
    return line, line


def _skipped(line: int, text: str, reason: str) -> tuple[int, str]:
    text = " ".join(text.split())
    text = text if len(text) <= 60 else text[:57] + "..."
    return line, f"line {line} of the parameters cell (`{text}`) is not a parameter and was skipped ({reason})"


def _single_target(statement: ast.stmt) -> str | None:
    """The parameter name of ``name = ...`` or ``name: type = ...``, else None."""
    if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id
    if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)):
        return statement.targets[0].id
    return None


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _split_type_comment(comment: str) -> tuple[str, str]:
    """``type: List[str] Nice list`` -> ("List[str]", "Nice list"); other comments are all help."""
    match = re.match(r"type:\s*(.*)$", comment)
    if not match or not match.group(1):
        return "", comment
    rest = match.group(1)
    if rest.split(" ")[0] == "ignore":  # a type checker's "type: ignore", not a type
        return "", rest[len("ignore"):].strip()
    # The type ends where the expression does: try each space as the end ("Dict[str, int] the help").
    for end in [index for index, char in enumerate(rest) if char == " "] + [len(rest)]:
        try:
            ast.parse(rest[:end], mode="eval")
        except SyntaxError:
            continue
        return rest[:end].strip(), rest[end:].strip()
    return rest.split(" ")[0], " ".join(rest.split(" ")[1:]).strip()


def _spec(statement: ast.AnnAssign | ast.Assign, name: str, type_comment: str, help_text: str,
          notebook: str) -> ParameterSpec:
    annotation: ast.expr | None = statement.annotation if isinstance(statement, ast.AnnAssign) else None
    if annotation is None and type_comment:
        try:
            annotation = ast.parse(type_comment, mode="eval").body
        except SyntaxError:
            annotation = ast.Constant(type_comment)
    try:
        default = ast.literal_eval(statement.value) if statement.value is not None else None
    except ValueError:
        raise ParameterError(
            f"{notebook}: the default of parameter '{name}' is not a literal value; "
            "expected a number, text, true/false or a list of those"
        ) from None
    if annotation is None:
        kind, choices, nullable, inferred = _type_of_default(default), None, False, True
    else:
        known = _annotation_type(annotation)
        if known is None:
            raise ParameterError(
                f"{notebook}: parameter '{name}' has the annotation `{_annotation_text(annotation)}`, which "
                f"dictamen cannot check; expected one of {', '.join(SCALAR_TYPES)}, list[...] of those, dict, "
                "Literal[...], Optional[...] or Any, or a plain assignment `name = default` whose type is "
                "inferred from the default"
            )
        (kind, choices, nullable), inferred = known, False
    minimum = maximum = None
    match = _RANGE.search(help_text)
    if match:
        minimum = float(match.group(1)) if match.group(1) else None
        maximum = float(match.group(2)) if match.group(2) else None
        help_text = help_text[: match.start()].rstrip()
    return ParameterSpec(
        name=name,
        type=kind,
        default=default,
        help=help_text,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        annotation="" if annotation is None else _annotation_text(annotation),
        inferred=inferred,
        nullable=nullable,
    )


def _annotation_text(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ast.unparse(node)


def _type_of_default(default: Any) -> str:
    """The inferred type of a plain assignment: that of its literal default (None: any value)."""
    for python_type, kind in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str"),
                              (list, "list[any]"), (dict, "dict")):
        if isinstance(default, python_type):
            return kind
    return "any"


def _type_name(node: ast.expr) -> str | None:
    """``List`` for ``List`` and ``typing.List``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _is_none(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or _type_name(node) == "NoneType"


def _annotation_type(node: ast.expr) -> tuple[str, tuple[Any, ...] | None, bool] | None:
    """(type, allowed values, None allowed) of an annotation, or None when dictamen cannot check it."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):  # a string annotation: "List[str]"
        try:
            return _annotation_type(ast.parse(node.value.strip(), mode="eval").body)
        except SyntaxError:
            return None
    if _is_none(node):
        return "any", None, True
    name = _type_name(node)
    if name is not None:
        if name in SCALAR_TYPES:
            return name, None, False
        if name in _LIST_NAMES:
            return "list[any]", None, False
        if name in _DICT_NAMES:
            return "dict", None, False
        if name in _ANY_NAMES:
            return "any", None, False
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):  # X | None
        return _optional([node.left, node.right])
    if isinstance(node, ast.Subscript):
        base = _type_name(node.value)
        elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base in _LIST_NAMES and len(elements) == 1:
            item = _annotation_type(elements[0])
            if item is not None and item[1] is None and not item[2] and not item[0].startswith(("list", "dict")):
                return f"list[{item[0]}]", None, False
            return None
        if base in _DICT_NAMES:
            return "dict", None, False
        if base == "Optional" and len(elements) == 1:
            return _optional([elements[0], ast.Constant(None)])
        if base == "Union":
            return _optional(elements)
        if base == "Literal":
            try:
                choices = tuple(ast.literal_eval(element) for element in elements)
            except ValueError:
                return None
            base_type = {bool: "bool", int: "int", float: "float", str: "str"}.get(type(choices[0])) if choices else None
            return None if base_type is None else (base_type, choices, False)
    return None


def _optional(members: list[ast.expr]) -> tuple[str, tuple[Any, ...] | None, bool] | None:
    """``X | None``, ``Optional[X]``, ``Union[X, None]``: X with None allowed (other unions: unchecked)."""
    others = [member for member in members if not _is_none(member)]
    if len(others) != 1 or len(others) == len(members):
        return None
    inner = _annotation_type(others[0])
    return None if inner is None else (inner[0], inner[1], True)


# ---------------------------------------------------------------------------------------------
# Values from YAML (papermill's -f/-y, reports.toml's parameters_file)


@functools.cache
def _yaml_loader() -> type:
    import yaml

    class NoDatesSafeLoader(yaml.SafeLoader):
        """YAML's safe loader, with dates left as text as papermill does (an ISODate stays a string)."""

    NoDatesSafeLoader.yaml_implicit_resolvers = {
        first: [resolver for resolver in resolvers if resolver[0] != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return NoDatesSafeLoader


def parameters_from_yaml(text: str, *, source: str) -> dict[str, Any]:
    """Parameter values from YAML text (``name: value`` per line); ``source`` names it in errors."""
    import yaml

    try:
        loaded = yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{source}, line {mark.line + 1}, column {mark.column + 1}" if mark else source
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        raise ParameterError(
            f"{where} is not valid YAML ({problem}); expected one `name: value` per line, "
            "such as `rollcall: 442`. Nothing was run."
        ) from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(key, str) for key in loaded):
        raise ParameterError(
            f"{source} holds {type(loaded).__name__ if not isinstance(loaded, dict) else 'a non-text name'}, "
            "not parameters; expected one `name: value` per line, such as `rollcall: 442`. Nothing was run."
        )
    return loaded


def parameters_from_file(path: str | os.PathLike[str], *, shown: str | None = None) -> dict[str, Any]:
    """Parameter values from a YAML (or JSON) file, as papermill's ``-f`` reads it."""
    shown = shown or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"parameters file {shown} does not exist. Nothing was run.") from None
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        raise ParameterError(f"parameters file {shown} cannot be read ({reason}). Nothing was run.") from None
    return parameters_from_yaml(text, source=shown)


# ---------------------------------------------------------------------------------------------
# Checking supplied values


def coerce_value(spec: ParameterSpec, value: Any, *, from_text: bool = False) -> Any:
    """Parse (from command-line text) or check (from TOML) one value; raise ValueError with the reason."""
    if spec.nullable and (value is None or (from_text and str(value).strip() == "None")):
        return None
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
    if spec.type in ("int", "float"):
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
    if kind == "any":
        return papermill_value(text)
    if kind == "dict":
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError:
            loaded = None
        if not isinstance(loaded, dict):
            raise ValueError('not a mapping written as JSON, such as {"a": 1}')
        return loaded
    return _check_type(kind, text)


def papermill_value(text: str) -> Any:
    """What papermill's ``-p`` makes of text for a parameter of any type: True, False, None, int, float, text."""
    constants = {"True": True, "False": False, "None": None}
    if text in constants:
        return constants[text]
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            continue
    return text


def _check_type(kind: str, value: Any) -> Any:
    if kind == "any":
        return value
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
    if kind == "dict":
        if not isinstance(value, dict):
            raise ValueError("not a mapping")
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


def _named_function(notebook: str, key: str, named: str) -> Any:
    """The function a notebook's metadata ``dictamen.KEY`` names, "module:function" of the dictamen package."""
    import importlib

    module, _, function = named.partition(":")
    if not module.startswith("dictamen."):
        raise ParameterError(f"{notebook}: metadata dictamen.{key} names {named!r}; "
                             "expected a function of the dictamen package, written module:function")
    return getattr(importlib.import_module(module), function)


def check_inputs(declared: NotebookParameters, supplied: dict[str, Any], *, report: str) -> None:
    """Run the notebook's check of its input data (metadata ``dictamen.check_inputs``, "module:function").

    Unlike the ``preflight`` of parameter combinations (:func:`validate`, every run, kept cheap), this
    one may read the data files (pandas, the network): the runner calls it only for reports about to
    run, before any kernel starts. ``supplied`` are the report's validated values; the function gets
    them over the defaults, and the names given. Raises ParameterError, one paragraph naming the
    report, when the function refuses the input (ParameterError or InputError).
    """
    if not declared.check_inputs:
        return
    from dictamen.errors import InputError

    check = _named_function(declared.notebook, "check_inputs", declared.check_inputs)
    try:
        check({**declared.defaults(), **supplied}, set(supplied))
    except (ParameterError, InputError) as error:
        raise ParameterError(f"Report '{report}' ({declared.notebook}) cannot run: {error} Nothing was run.") from None
    except OSError as error:  # a file the check reads (or the page cache it writes) that the system refuses
        from dictamen.paths import display_path

        where = f" {display_path(error.filename)}" if error.filename else ""
        raise ParameterError(f"Report '{report}' ({declared.notebook}) cannot run: checking its input failed on"
                             f"{where} ({error.strerror or error}). Nothing was run.") from None


def run_preflight(declared: NotebookParameters, supplied: dict[str, Any], *, report: str) -> None:
    """The notebook's own check of parameter combinations (``metadata.dictamen.preflight``), before any
    kernel starts: ParameterError naming the report when it refuses them."""
    if not declared.preflight:
        return
    preflight = _named_function(declared.notebook, "preflight", declared.preflight)
    try:
        preflight({**declared.defaults(), **supplied}, set(supplied))
    except ParameterError as error:
        raise ParameterError(f"Report '{report}' ({declared.notebook}) cannot run: {error} Nothing was run.") from None


def validate(
    declared: NotebookParameters,
    supplied: dict[str, Any],
    *,
    report: str,
    from_text: bool = False,
    origins: dict[str, tuple[str, str]] | None = None,
    preflight: bool = True,
) -> dict[str, Any]:
    """Check every supplied value against the notebook's declarations; one error lists every problem.

    ``origins`` says, per name, how its value was written (TEXT, RAW or VALUE) and where ("-r",
    "params.yaml"); without it every value is TEXT when ``from_text`` and VALUE otherwise.
    ``preflight=False`` leaves the notebook's own check (:func:`run_preflight`) to a caller that runs
    it only when the report is about to run; it still runs here when the values are refused anyway,
    because its message is the more specific one (a parameter that was renamed, say).
    """
    problems = []
    checked: dict[str, Any] = {}
    if preflight:
        run_preflight(declared, supplied, report=report)
    for name, value in supplied.items():
        mode, where = (origins or {}).get(name, (TEXT if from_text else VALUE, ""))
        given = f" (from {where})" if where else ""
        spec = declared.specs.get(name)
        if spec is None:
            known = ", ".join(declared.specs) or "none"
            problems.append(f"unknown parameter '{name}'{given} (the notebook declares: {known})")
            continue
        if mode == RAW and not spec.takes_text:
            problems.append(f"parameter '{name}' = {value!r}{given} is raw text, but '{name}' takes "
                            f"{spec.expectation()}; pass it with -p, -y or -f instead")
            continue
        try:
            checked[name] = coerce_value(spec, value, from_text=mode == TEXT)
        except ValueError as reason:
            problems.append(f"parameter '{name}' = {value!r}{given}: {reason}; expected {spec.expectation()}")
    if problems:
        if not preflight:
            run_preflight(declared, supplied, report=report)
        raise ParameterError(
            f"Report '{report}' ({declared.notebook}) cannot run: " + "; ".join(problems) + ". Nothing was run."
        )
    return checked
