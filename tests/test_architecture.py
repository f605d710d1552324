"""The tree says the architecture: the pipeline knows no domain, a domain never reaches the pipeline,
and the shared toolkit imports neither (nor does it import itself in a cycle)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lib" / "dictamen"
TOOLKIT = {"catalog", "errors", "params", "paths", "prose", "figures", "record", "messages", "locale", "lazy"}
DOMAINS = {"votes", "impact", "sources", "laws", "dossier"}


def _room(module: str) -> str:
    """'pipeline', 'domain', 'toolkit' or 'package' for a dotted module name under dictamen."""
    parts = module.split(".")
    if parts[0] != "dictamen" or len(parts) == 1:
        return "package"
    head = parts[1]
    if head == "pipeline":
        return "pipeline"
    if head in DOMAINS:
        return "domain"
    if head in TOOLKIT:
        return "toolkit"
    return "unknown:" + head


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every dictamen module a file imports, at any depth (lazy imports inside functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("dictamen"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("dictamen"):
            found.add(node.module)
            if node.module == "dictamen":
                found.update(f"dictamen.{alias.name}" for alias in node.names)
    return found


def _edges() -> list[tuple[str, str]]:
    return [(_module_name(path), target) for path in sorted(PACKAGE.rglob("*.py"))
            for target in sorted(_imports(path))]


def test_every_module_lives_in_one_of_the_three_rooms():
    rooms = {_room(_module_name(path)) for path in PACKAGE.rglob("*.py")}
    assert rooms <= {"pipeline", "domain", "toolkit", "package"}, rooms
    assert {path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__"} >= \
        {"pipeline", "votes", "impact", "sources"}


def test_imports_flow_one_way():
    wrong = []
    for source, target in _edges():
        here, there = _room(source), _room(target)
        if there == "package":
            continue
        if here == "domain" and there == "pipeline":
            wrong.append(f"{source} (domain) imports {target} (pipeline)")
        if here == "pipeline" and there == "domain":
            wrong.append(f"{source} (pipeline) imports {target} (domain)")
        if here == "toolkit" and there in {"pipeline", "domain"}:
            wrong.append(f"{source} (toolkit) imports {target} ({there})")
    assert not wrong, "\n".join(wrong)


def test_the_toolkit_has_no_import_cycle():
    graph: dict[str, set[str]] = {}
    for source, target in _edges():
        if _room(source) == "toolkit" and _room(target) == "toolkit" and source != target:
            graph.setdefault(source, set()).add(target)

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    cycles = sorted(module for module in graph if reaches(module, module, {module}))
    assert not cycles, f"toolkit modules in an import cycle: {cycles}"
