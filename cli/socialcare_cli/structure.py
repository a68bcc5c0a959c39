"""The structure check, run by `make lint` (python -m socialcare_cli.structure [root]): the
rules of the house's layout that neither ruff nor the import contracts of pyproject.toml
can state. Exit 1 with one line per finding.

- Handlers are thin: functions/<name>/app.py has at most 70 lines.
- Files do one thing: no file of layers/, cli/, functions/ or tests/ past 350 lines (the
  exceptions in LONG_FILES, each with its reason).
- One composition root: only socialcare/bootstrap/ calls a class of socialcare.adapters
  (an adapter may build its own parts; tests build what they fake around).
- No import circle between modules of socialcare, socialcare_cli or functions (grimp, the
  graph import-linter reads; imports made for type checking count: they are circles too).
- What Lambda runs ships with it: the layer imports only the standard library, itself, its
  requirements and the runtime's boto3 (with what they require); a handler, those and its
  own folder. Every folder of the layer's code is a regular package.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import grimp

MAX_HANDLER_LINES = 70
MAX_FILE_LINES = 350
SIZED = ("layers", "cli", "functions", "tests")
# Longer files that stay whole, each with its reason (paths from the repository's root).
LONG_FILES: dict[str, str] = {}
LAYER = "layers/socialcare/socialcare"
ROOT_PACKAGES = ("socialcare", "socialcare_cli", "functions")
# Where each root package is imported from, under the repository's root.
IMPORT_ROOTS = ("layers/socialcare", "cli", ".")
# What Lambda's Python runtime brings: boto3, with what it requires.
RUNTIME = ("boto3",)


@dataclass(frozen=True, order=True)
class Finding:
    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


def python_files(root: Path, *folders: str) -> Iterator[Path]:
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            if "__pycache__" not in path.parts:
                yield path


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def handler_sizes(root: Path) -> list[Finding]:
    return [
        Finding(_relative(root, path), "handler", f"{lines} lines > {MAX_HANDLER_LINES}")
        for path in sorted((root / "functions").glob("*/app.py"))
        if (lines := _lines(path)) > MAX_HANDLER_LINES
    ]


def file_sizes(root: Path, allowed: Iterable[str] = LONG_FILES) -> list[Finding]:
    exceptions = set(allowed)
    return [
        Finding(where, "file size", f"{lines} lines > {MAX_FILE_LINES}")
        for path in python_files(root, *SIZED)
        if (where := _relative(root, path)) not in exceptions
        and (lines := _lines(path)) > MAX_FILE_LINES
    ]


def adapter_construction(root: Path) -> list[Finding]:
    """Calls of socialcare.adapters' classes outside bootstrap/, adapters/ and tests/."""
    classes = _adapter_classes(root / LAYER / "adapters")
    inside = (root / LAYER / "bootstrap", root / LAYER / "adapters")
    findings = []
    for path in python_files(root, LAYER, "cli", "functions"):
        if any(path.is_relative_to(folder) for folder in inside):
            continue
        for line, name in _adapter_calls(ast.parse(path.read_text(encoding="utf-8")), classes):
            where = f"{_relative(root, path)}:{line}"
            findings.append(Finding(where, "adapter built outside bootstrap", name))
    return findings


def _adapter_classes(adapters: Path) -> dict[str, set[str]]:
    """The classes each module of the adapters defines, by module name."""
    classes = {}
    for path in python_files(adapters.parent, adapters.name):
        parts = path.relative_to(adapters.parent.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes[module] = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    return classes


def _adapter_calls(tree: ast.Module, classes: dict[str, set[str]]) -> Iterator[tuple[int, str]]:
    """(line, class) for each call of an adapter class: imported by name, or through the
    module that defines it."""
    names, modules = _imported_adapters(tree, classes)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        if isinstance(called, ast.Name) and called.id in names:
            yield node.lineno, names[called.id]
        elif (
            isinstance(called, ast.Attribute)
            and isinstance(called.value, ast.Name)
            and called.attr in classes.get(modules.get(called.value.id, ""), ())
        ):
            yield node.lineno, f"{modules[called.value.id]}.{called.attr}"


def _imported_adapters(
    tree: ast.Module, classes: dict[str, set[str]]
) -> tuple[dict[str, str], dict[str, str]]:
    """Local names bound to adapter classes (-> module.Class) and to adapter modules."""
    names: dict[str, str] = {}
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in classes.get(node.module, ()):
                    names[local] = f"{node.module}.{alias.name}"
                elif f"{node.module}.{alias.name}" in classes:
                    modules[local] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in classes and alias.asname:
                    modules[alias.asname] = alias.name
    return names, modules


def import_cycles(packages: Sequence[str]) -> list[Finding]:
    """Each circle of modules importing each other, directly or not, named by its modules:
    a module with the modules it imports that also import it."""
    graph = grimp.build_graph(*packages, include_external_packages=False, cache_dir=None)
    circles = set()
    for module in graph.modules:
        around = graph.find_upstream_modules(module) & graph.find_downstream_modules(module)
        if around:
            circles.add(tuple(sorted({module, *around})))
    return [Finding(circle[0], "import circle", " <-> ".join(circle)) for circle in sorted(circles)]


def packaging(root: Path) -> list[Finding]:
    """Every folder of the layer's code is a regular package, and what Lambda runs imports
    only what ships with it."""
    findings = [
        Finding(_relative(root, folder), "packaging", "modules without an __init__.py")
        for folder in sorted({path.parent for path in python_files(root, LAYER)})
        if not (folder / "__init__.py").exists()
    ]
    shipped = shipped_names((root / "layers/socialcare/requirements.txt").read_text())
    shipped |= {"socialcare"}
    findings += _unshipped(root, python_files(root, LAYER), shipped)
    for handler in sorted((root / "functions").glob("*/app.py")):
        own = {path.stem for path in handler.parent.glob("*.py")}  # the handler's folder
        folder = _relative(root, handler.parent)
        findings += _unshipped(root, python_files(root, folder), shipped | own)
    return findings


def shipped_names(requirements: str) -> set[str]:
    """The top-level names importable in Lambda: the standard library's, and those of the
    requirements and of the runtime's boto3, with every distribution they require."""
    wanted = [
        _requirement_name(line)
        for line in requirements.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    distributions = _required(wanted + list(RUNTIME))
    names = set(sys.stdlib_module_names)
    for name, providers in metadata.packages_distributions().items():
        if distributions & {_normalised(provider) for provider in providers}:
            names.add(name)
    return names


def _required(names: Iterable[str]) -> set[str]:
    """The distributions named and all they require, extras left out (normalised names)."""
    seen: set[str] = set()
    waiting = [_normalised(name) for name in names]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        waiting += [_requirement_name(r) for r in requires if "extra ==" not in r]
    return seen


def _requirement_name(requirement: str) -> str:
    return _normalised(re.split(r"[\s\[<>=!~;(]", requirement.strip(), maxsplit=1)[0])


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _unshipped(root: Path, paths: Iterable[Path], shipped: set[str]) -> list[Finding]:
    return [
        Finding(f"{_relative(root, path)}:{line}", "packaging", f"imports {name}, not shipped")
        for path in paths
        for line, name in run_time_imports(ast.parse(path.read_text(encoding="utf-8")))
        if name not in shipped
    ]


def run_time_imports(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """(line, top-level name) of each absolute import, but those made for type checking."""
    checking_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in _TYPE_CHECKING
        for statement in node.body
        for inner in ast.walk(statement)
    }
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


_TYPE_CHECKING = ("TYPE_CHECKING", "typing.TYPE_CHECKING")


def findings(root: Path) -> list[Finding]:
    return sorted(
        [
            *handler_sizes(root),
            *file_sizes(root),
            *adapter_construction(root),
            *import_cycles(ROOT_PACKAGES),
            *packaging(root),
        ]
    )


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def main(argv: Sequence[str] = ()) -> int:
    root = Path(argv[0]).resolve() if argv else Path.cwd()
    sys.path[:0] = [str(root / folder) for folder in IMPORT_ROOTS]  # functions/ is no install
    found = findings(root)
    for finding in found:
        print(finding)
    print(f"structure: {len(found)} findings", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
