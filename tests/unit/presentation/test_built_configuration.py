"""The layer ships its YAML files also as JSON (PyYAML stays off the cold start): the
configuration read from the JSON must be the configuration read from the YAML."""

from __future__ import annotations

import shutil

from socialcare.config import loaders
from socialcare.config.files import CONFIG_DIR
from socialcare.config.yaml_files import read_yaml, write_json_beside
from socialcare.presentation.rendering import TEMPLATES


def test_the_built_json_is_read_as_the_yaml_is(tmp_path):
    # Given a copy of the configuration with the JSON the layer's build writes
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copy(TEMPLATES / "strings.yaml", folder / "strings.yaml")
    written = write_json_beside(folder)
    # When each is read, from its JSON then (the JSON gone) from its YAML
    from_json = {p.name: read_yaml(p.with_name(p.name.removesuffix(".json"))) for p in written}
    models = (loaders.routing_config, loaders.triage_config, loaders.replies_config)
    built = [load.__wrapped__(folder) for load in models]
    for path in written:
        path.unlink()
    from_yaml = {p.name: read_yaml(p.with_name(p.name.removesuffix(".json"))) for p in written}
    # Then the validated models are equal, and so is every file's text content
    assert [load.__wrapped__(folder) for load in models] == built
    assert {"routing.yaml.json", "strings.yaml.json"} <= set(from_json)
    assert from_json["strings.yaml.json"] == from_yaml["strings.yaml.json"]
