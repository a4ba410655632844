"""The import contract of issue 12, read from the source with ``ast`` (nothing is imported or run):

- the layers: which planner package may import which (the table below), and which libraries the domain may not;
- nothing but ``planner.wsgi`` imports ``planner.web``;
- only ``planner.store`` runs SQL;
- no module over 500 lines, at most 8 modules at ``planner/``'s top level;
- no import cycle between modules at module level.

Every failure lists each offender as ``file:line: what``, so one run shows all of them.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "planner"

LAYERS = ("core", "optimize", "store", "planning", "accounts", "ops", "web", "cli")
SHARED = {"context", "logging_setup"}  # top-level infrastructure (with planner/__init__): usable by all but core
ALLOWED = {
    "core": {"core"},
    "optimize": {"core", "optimize"},
    "store": {"core", "store"},
    "planning": {"core", "optimize", "store", "planning"},
    "accounts": {"core", "store", "accounts"},
    # The demo (ops/demo.py) creates its users through accounts, so they get the password policy and the audit.
    "ops": {"core", "store", "planning", "accounts", "ops"},
    "web": set(LAYERS) - {"cli"},
    # cli reaches the app factory only through planner.wsgi (below), never planner.web itself.
    "cli": set(LAYERS) - {"web"} | {"wsgi"},
}
# Libraries of the web and the database, which the domain does without.
CORE_FORBIDDEN = re.compile(r"^(flask|flask_\w+|sqlite3|sqlite_utils|babel|werkzeug)(\.|$)")

MAX_LINES = 500
MAX_TOP_LEVEL = 8

# Running SQL: these calls on anything (a Database, a connection, a cursor) ...
SQL_CALLS = {"execute", "executescript", "executemany", "query", "backup", "iterdump"}
# ... and a sqlite-utils table, ``db["visits"]`` or ``db.table("visits")``, whatever is done with it; a subscript
# counts when its receiver is named like a database (``db``, ``self.db``, ``get_db()``): ``row["id"]`` does not.
TABLE_METHODS = {"insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where", "count_where",
                 "rows_where", "get", "lookup", "create", "transform", "exists", "create_index", "add_column"}
DB_NAME = re.compile(r"(^|_)db$")


@dataclass(frozen=True)
class Import:
    module: str       # the importing module, 'planner.web.auth'
    target: str       # what it imports, resolved: 'planner.store.users', 'flask'
    line: int
    top_level: bool   # runs when the module is loaded (not inside a function)


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name ('planner.store' for planner/store/__init__.py)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not _is_package(module):
        base.pop()  # a module's own package is the starting point of '.'
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


class _ImportVisitor(ast.NodeVisitor):
    def __init__(self, module: str):
        self.module, self.depth, self.found = module, 0, []

    def _inside_function(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _inside_function

    def visit_If(self, node: ast.If):
        # ``if TYPE_CHECKING:`` imports never run; they are annotations, not dependencies.
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import):
        for alias in node.names:
            self.found.append(Import(self.module, alias.name, node.lineno, self.depth == 0))

    def visit_ImportFrom(self, node: ast.ImportFrom):
        base = _resolve(self.module, node)
        for alias in node.names:
            # 'from ..store import users' imports the module planner.store.users; 'from .db import audit' a name.
            target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            self.found.append(Import(self.module, target, node.lineno, self.depth == 0))


TREES = {name: ast.parse(path.read_text(), str(path)) for name, path in MODULES.items()}


def imports() -> list[Import]:
    found = []
    for name, tree in TREES.items():
        visitor = _ImportVisitor(name)
        visitor.visit(tree)
        found += visitor.found
    return found


IMPORTS = imports()


def layer(module: str) -> str | None:
    """'core' … 'cli' for a module of a layer; 'shared' for context, logging_setup and the package itself (its
    ``STARTED`` clock); else the module's own name ('wsgi'). None outside the planner package."""
    parts = module.split(".")
    if parts[0] != "planner":
        return None
    return "shared" if len(parts) == 1 or parts[1] in SHARED else parts[1]


def test_every_layer_imports_only_the_layers_below_it():
    """The table of issue 12; imports inside functions count too (a dependency is one wherever it is written)."""
    problems = []
    for imp in IMPORTS:
        source, target = layer(imp.module), layer(imp.target)
        if source not in ALLOWED or target is None:
            continue
        allowed = ALLOWED[source] | ({"shared"} if source != "core" else set())
        if target not in allowed:
            problems.append(f"{where(MODULES[imp.module], imp.line)}: {source} imports {imp.target}")
    assert not problems, "imports across the layers' rule:\n" + "\n".join(problems)


def test_the_domain_does_without_the_web_and_the_database():
    problems = [f"{where(MODULES[imp.module], imp.line)}: core imports {imp.target}" for imp in IMPORTS
                if layer(imp.module) == "core" and CORE_FORBIDDEN.match(imp.target)]
    assert not problems, "planner.core imports web or database libraries:\n" + "\n".join(problems)


def test_only_wsgi_imports_the_web_app():
    problems = [f"{where(MODULES[imp.module], imp.line)}: imports {imp.target}" for imp in IMPORTS
                if layer(imp.target) == "web" and layer(imp.module) not in ("web", "wsgi")]
    assert not problems, "only planner.wsgi may import planner.web:\n" + "\n".join(problems)


def _names_a_database(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return bool(DB_NAME.search(node.id))
    if isinstance(node, ast.Attribute):
        return bool(DB_NAME.search(node.attr))
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Name) and node.func.id == "get_db"
    return False


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str)


def _sql_in(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    sqlite_names = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
                    and n.module == "sqlite3" for a in n.names if a.name == "connect"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute):
                receiver = func.value
                if func.attr in SQL_CALLS:
                    found.append((node.lineno, f".{func.attr}("))
                elif func.attr == "connect" and isinstance(receiver, ast.Name) and receiver.id == "sqlite3":
                    found.append((node.lineno, "sqlite3.connect("))
                elif func.attr == "table" and _names_a_database(receiver):
                    found.append((node.lineno, ".table("))
                elif func.attr in TABLE_METHODS and isinstance(receiver, ast.Subscript) and _is_text(
                        receiver.slice) and not _names_a_database(receiver.value):
                    found.append((node.lineno, f'[...].{func.attr}('))  # a table reached some other way
            elif isinstance(func, ast.Name) and func.id in sqlite_names:
                found.append((node.lineno, "sqlite3.connect("))
        elif isinstance(node, ast.Subscript) and _names_a_database(node.value):
            found.append((node.lineno, 'db["table"]'))
    return sorted(set(found))


def test_only_the_store_runs_sql():
    """Outside planner/store/ (and its migrations), no statement is run and no table is touched: taking a Database
    and handing it to store functions is all the other layers do with it."""
    problems = []
    for name, tree in TREES.items():
        if layer(name) == "store":
            continue
        problems += [f"{where(MODULES[name], line)}: {what}" for line, what in _sql_in(tree)]
    assert not problems, f"SQL outside planner.store ({len(problems)}):\n" + "\n".join(problems)


def test_no_module_is_over_500_lines():
    problems = [f"{where(path, 1)}: {n} lines" for path in MODULES.values()
                if (n := len(path.read_text().splitlines())) > MAX_LINES]
    assert not problems, f"modules over {MAX_LINES} lines:\n" + "\n".join(problems)


def test_the_package_top_level_stays_small():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, (f"{PACKAGE.relative_to(ROOT)}/:1: {len(top)} modules at the top level "
                                       f"(at most {MAX_TOP_LEVEL}): {', '.join(top)}")


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself), by Tarjan."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                result.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return result


def test_no_import_cycles_at_module_level():
    """Imports inside functions are left out: they run when the function is called, after every module has
    loaded, so they cannot fail the way a cycle at load time does (a half-initialised module). The layer test
    still counts them, so they cannot smuggle in a forbidden dependency."""
    edges: dict[str, set[str]] = {}
    lines: dict[tuple[str, str], int] = {}
    for imp in IMPORTS:
        if imp.top_level and imp.target in MODULES and imp.target != imp.module:
            edges.setdefault(imp.module, set()).add(imp.target)
            lines.setdefault((imp.module, imp.target), imp.line)
    problems = []
    for component in _cycles(edges):
        members = set(component)
        problems.append("cycle: " + ", ".join(component) + "\n" + "\n".join(
            f"  {where(MODULES[a], lines[a, b])}: {a} imports {b}"
            for a in component for b in sorted(edges.get(a, ())) if b in members))
    assert not problems, "import cycles at module level:\n" + "\n".join(problems)


def test_the_checks_see_what_they_look_for():
    """The checks above would pass on an empty tree: make sure they read the package and would catch a breach."""
    assert {"planner.core.records", "planner.store.db", "planner.web.auth", "planner.wsgi"} <= MODULES.keys()
    assert Import("planner.wsgi", "planner.web.app", 8, True) in IMPORTS
    sample = ast.parse('db.execute("x")\nget_db()["users"].get(1)\nrow["id"]\nrows[0].update(a=1)\n'
                       'self.db.table("t")\nsqlite3.connect(p)\nx["offices"].upsert(r)\n')
    assert [what for _line, what in _sql_in(sample)] == [
        ".execute(", 'db["table"]', ".table(", "sqlite3.connect(", "[...].upsert("]
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
