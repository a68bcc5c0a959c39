"""The configuration's YAML files, and the JSON the layer's build writes beside them.

No pydantic here: the layer's Makefile runs this module with the layer's own packages,
built for Lambda's platform, where pydantic's compiled core may not load."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

CONFIG_DIR = Path(__file__).resolve().parent


def read_yaml(path: Path) -> Any:
    """A YAML file, or the JSON the layer's build wrote beside it (`<name>.yaml.json`):
    importing PyYAML alone was about 20 ms of every cold start but the webhook's."""
    built = path.with_name(path.name + ".json")
    if built.is_file():
        return json.loads(built.read_text(encoding="utf-8"))
    return _parse(path)


def _parse(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf-8") as handle:
        # libyaml's loader (in PyYAML's wheels) reads the configuration ~10x faster.
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


def write_json_beside(folder: Path) -> list[Path]:
    """The layer's build: every YAML file under `folder` also as JSON, read as it is read
    (dates as ISO text, which the configuration models parse alike)."""
    written = []
    for path in sorted(folder.rglob("*.yaml")):
        built = path.with_name(path.name + ".json")
        data = json.dumps(_parse(path), default=_iso, ensure_ascii=False)
        built.write_text(data, encoding="utf-8")
        written.append(built)
    return written


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in a configuration file")


if __name__ == "__main__":  # the layer's build: python -m socialcare.config.yaml_files DIR
    import sys

    write_json_beside(Path(sys.argv[1]))
