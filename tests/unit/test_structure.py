"""The structure check of `make lint` (socialcare_cli.structure): each rule, on a small
synthetic tree, finds what breaks it and nothing else."""

from __future__ import annotations

from pathlib import Path

from socialcare_cli.structure import (
    LAYER,
    adapter_construction,
    file_sizes,
    handler_sizes,
    import_cycles,
    packaging,
    shipped_names,
)


def write(root: Path, path: str, text: str = "") -> Path:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def lines(count: int) -> str:
    return "".join(f"x{n} = {n}\n" for n in range(count))


def test_a_handler_past_70_lines_is_found(tmp_path):
    write(tmp_path, "functions/thin/app.py", lines(70))
    write(tmp_path, "functions/thick/app.py", lines(71))
    write(tmp_path, "functions/thick/helpers.py", lines(71))  # only app.py is the handler
    found = handler_sizes(tmp_path)
    assert [(f.where, f.rule) for f in found] == [("functions/thick/app.py", "handler")]


def test_a_file_past_350_lines_is_found_unless_allowed(tmp_path):
    write(tmp_path, "layers/socialcare/socialcare/short.py", lines(350))
    write(tmp_path, "tests/unit/test_long.py", lines(351))
    write(tmp_path, "cli/socialcare_cli/long.py", lines(351))
    found = file_sizes(tmp_path, allowed={"cli/socialcare_cli/long.py"})
    assert [f.where for f in found] == ["tests/unit/test_long.py"]


ADAPTER = "class Store:\n    pass\n\n\ndef helper():\n    return 1\n"


def test_only_the_composition_root_builds_adapters(tmp_path):
    # Given an adapter module with a class and a function
    write(tmp_path, f"{LAYER}/adapters/__init__.py")
    write(tmp_path, f"{LAYER}/adapters/store.py", ADAPTER)
    # When the class is called by a handler (by name), the CLI (through its module) and
    # the composition root, and the function by a use case
    write(tmp_path, "functions/a/app.py", "from socialcare.adapters.store import Store\nStore()\n")
    write(
        tmp_path,
        "cli/socialcare_cli/tool.py",
        "from socialcare.adapters import store\n\n\ndef run():\n    return store.Store()\n",
    )
    write(
        tmp_path,
        f"{LAYER}/bootstrap/adapters.py",
        "from socialcare.adapters.store import Store\nStore()\n",
    )
    write(
        tmp_path, f"{LAYER}/app/use.py", "from socialcare.adapters.store import helper\nhelper()\n"
    )
    # Then the handler and the CLI are found, the root and the function call are not
    found = adapter_construction(tmp_path)
    assert [(f.where, f.detail) for f in found] == [
        ("cli/socialcare_cli/tool.py:5", "socialcare.adapters.store.Store"),
        ("functions/a/app.py:2", "socialcare.adapters.store.Store"),
    ]


def test_an_import_circle_is_found_even_through_type_checking(tmp_path, monkeypatch):
    # Given a package whose modules a and b import each other (b only for type checking),
    # and c, which imports a without being imported back
    write(tmp_path, "structure_circle/__init__.py")
    write(tmp_path, "structure_circle/a.py", "from structure_circle import b\n")
    write(
        tmp_path,
        "structure_circle/b.py",
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n    from structure_circle import a\n",
    )
    write(tmp_path, "structure_circle/c.py", "import structure_circle.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # Then the circle is found, named by its modules, and c is not in it
    found = import_cycles(["structure_circle"])
    assert [f.detail for f in found] == ["structure_circle.a <-> structure_circle.b"]


def test_a_tree_without_circles_has_no_finding(tmp_path, monkeypatch):
    write(tmp_path, "structure_line/__init__.py")
    write(tmp_path, "structure_line/a.py", "from structure_line import b\n")
    write(tmp_path, "structure_line/b.py", "import json\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert import_cycles(["structure_line"]) == []


def test_what_lambda_runs_imports_only_what_ships_with_it(tmp_path):
    # Given a layer that requires PyYAML, and a handler with a helper module of its own
    write(tmp_path, "layers/socialcare/requirements.txt", "# config\npyyaml>=6\n")
    write(tmp_path, f"{LAYER}/__init__.py")
    write(tmp_path, f"{LAYER}/domain/__init__.py")
    write(
        tmp_path,
        f"{LAYER}/domain/shipped.py",
        "import json\nimport yaml\nimport boto3\nfrom typing import TYPE_CHECKING\n\n"
        "from socialcare.domain import other\n\nif TYPE_CHECKING:\n    import moto\n",
    )
    write(tmp_path, f"{LAYER}/domain/dev_only.py", "def f():\n    import moto\n")
    write(tmp_path, f"{LAYER}/loose/module.py", "")  # a folder of code without __init__.py
    write(tmp_path, "functions/a/app.py", "import helpers\nfrom socialcare import domain\n")
    write(tmp_path, "functions/a/helpers.py", "from socialcare_cli import main\n")
    # Then the import of a dev dependency, the folder and the CLI import are found
    found = packaging(tmp_path)
    assert [(f.where, f.detail) for f in found] == [
        (f"{LAYER}/loose", "modules without an __init__.py"),
        (f"{LAYER}/domain/dev_only.py:2", "imports moto, not shipped"),
        ("functions/a/helpers.py:1", "imports socialcare_cli, not shipped"),
    ]


def test_what_ships_is_the_requirements_with_what_they_require():
    names = shipped_names("jinja2>=3.1\n")
    # jinja2 and MarkupSafe (which it requires), the runtime's boto3 and botocore, the
    # standard library; never a dev dependency
    assert {"jinja2", "markupsafe", "boto3", "botocore", "json"} <= names
    assert not {"moto", "pytest", "socialcare_cli"} & names
