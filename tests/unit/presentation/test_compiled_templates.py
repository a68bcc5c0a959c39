"""The layer ships its templates compiled to Python (the Makefile runs the rendering
module): what they render must be what the templates render."""

from __future__ import annotations

import subprocess
import sys

from socialcare.config.loaders import routing_config
from socialcare.presentation import rendering
from socialcare.presentation.case_emails import CaseEmailComposer
from tests.fakes import a_case
from tests.unit.test_workflow_steps import a_plan


def emails() -> list:
    composer = CaseEmailComposer(routing_config(), "https://api.example")
    case = a_case()
    return [
        composer.autonomous(case),
        composer.autonomous_digest([case, a_case("20261124-fedcba9876543210")]),
        composer.derivation(case, a_plan(), "A" * 32, "es"),
    ]


def test_compiled_templates_render_what_the_templates_render(tmp_path, monkeypatch):
    # Given every template compiled as the layer's build compiles them
    target = tmp_path / "templates_compiled"
    subprocess.run(  # noqa: S603 (this interpreter, our module)
        [sys.executable, "-m", "socialcare.presentation.rendering", str(target)], check=True
    )
    from_files = emails()
    # When the emails are composed from the compiled ones
    monkeypatch.setattr(rendering, "COMPILED", target)
    rendering.environment.cache_clear()
    try:
        compiled = emails()
    finally:
        rendering.environment.cache_clear()
    # Then they are the same, and every template was compiled
    assert compiled == from_files
    names = {p.suffix for p in rendering.TEMPLATES.iterdir()} & {".html", ".txt"}
    assert names and len(list(target.glob("tmpl_*.py"))) == sum(
        1 for p in rendering.TEMPLATES.rglob("*") if p.suffix in (".html", ".txt")
    )  # the console's templates in their folder too
