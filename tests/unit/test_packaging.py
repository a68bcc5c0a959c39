"""A wheel built from the repository, as any install gets it, holds every package and
every file the code reads at run time."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT

SOURCES = {
    "socialcare": ROOT / "layers/socialcare/socialcare",
    "socialcare_cli": ROOT / "cli/socialcare_cli",
}


def shipped_files() -> set[str]:
    """What the wheel must hold: every module and every data file under both packages."""
    wanted = set()
    for package, folder in SOURCES.items():
        for path in folder.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                wanted.add(f"{package}/{path.relative_to(folder).as_posix()}")
    return wanted


def test_a_wheel_holds_every_package_and_data_file(tmp_path: Path):
    # Given a wheel built from a clean copy of the sources (a build/ folder left in the
    # repository would hide a missing package; no network: this venv's setuptools)
    source = tmp_path / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source / "pyproject.toml")
    for folder in SOURCES.values():
        shutil.copytree(
            folder, source / folder.relative_to(ROOT), ignore=shutil.ignore_patterns("__pycache__")
        )
    subprocess.run(  # noqa: S603 (this interpreter, pip)
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("socialcare-*.whl")
    # Then every module (socialcare_cli.bench among them) and data file is in it
    names = set(zipfile.ZipFile(wheel).namelist())
    assert shipped_files() - names == set()
    assert "socialcare_cli/bench/__init__.py" in names
