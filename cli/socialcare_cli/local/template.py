"""Reads template.yaml the way the local stack needs it: resources, routes, environments."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_SHORT_TAGS = {
    "Ref": "Ref",
    "GetAtt": "Fn::GetAtt",
    "Sub": "Fn::Sub",
    "Join": "Fn::Join",
    "If": "Fn::If",
    "Equals": "Fn::Equals",
    "Select": "Fn::Select",
    "Split": "Fn::Split",
    "FindInMap": "Fn::FindInMap",
    "ImportValue": "Fn::ImportValue",
    "GetAZs": "Fn::GetAZs",
    "Base64": "Fn::Base64",
    "Not": "Fn::Not",
    "And": "Fn::And",
    "Or": "Fn::Or",
    "Condition": "Condition",
}


class _CfnLoader(yaml.SafeLoader):
    """SafeLoader that understands CloudFormation's short intrinsic-function tags."""


def _tag_constructor(full_name: str):
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> dict[str, Any]:
        if isinstance(node, yaml.ScalarNode):
            value: Any = loader.construct_scalar(node)
            if full_name == "Fn::GetAtt":
                value = str(value).split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        elif isinstance(node, yaml.MappingNode):
            value = loader.construct_mapping(node, deep=True)
        else:
            raise yaml.constructor.ConstructorError(
                None, None, f"{full_name}: no value", node.start_mark
            )
        return {full_name: value}

    return construct


for _short, _full in _SHORT_TAGS.items():
    _CfnLoader.add_constructor(f"!{_short}", _tag_constructor(_full))


@dataclass(frozen=True)
class HttpRoute:
    method: str
    path: str  # API Gateway form: /webhooks/{platform}
    function: str  # logical id

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    def match(self, method: str, path: str) -> dict[str, str] | None:
        """As API Gateway matches: ANY takes every method; {name} one path segment,
        {name+} (a greedy path variable) the rest of the path, here also an empty rest
        (`/console/`: the console's router reads the raw path either way)."""
        if self.method not in (method.upper(), "ANY"):
            return None
        pattern = re.sub(r"\\\{(\w+)\\\+\\\}", r"(?P<\1>.*)", re.escape(self.path))
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern)
        found = re.fullmatch(pattern, path)
        return found.groupdict() if found else None


@dataclass
class Template:
    root: Path
    body: dict[str, Any]
    resources: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        self.resources = self.body.get("Resources", {})

    @classmethod
    def load(cls, root: Path) -> Template:
        text = (root / "template.yaml").read_text(encoding="utf-8")
        return cls(root, yaml.load(text, Loader=_CfnLoader))  # noqa: S506 (SafeLoader subclass)

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {k: v for k, v in self.resources.items() if v.get("Type") == resource_type}

    def parameter_defaults(self) -> dict[str, str]:
        return {
            name: str(spec.get("Default", ""))
            for name, spec in self.body.get("Parameters", {}).items()
        }

    def conditions(self, values: dict[str, str]) -> dict[str, bool]:
        """Each of the template's Conditions for these parameter values."""
        found: dict[str, bool] = {}
        declared = self.body.get("Conditions") or {}

        def holds(node: Any) -> Any:
            if isinstance(node, dict) and set(node) == {"Condition"}:
                name = node["Condition"]
                if name not in found:
                    found[name] = bool(holds(declared[name]))
                return found[name]
            if isinstance(node, dict) and len(node) == 1:
                [(function, arguments)] = node.items()
                if function == "Ref":
                    return values[arguments]
                if function in _CONDITION_FUNCTIONS:
                    return _CONDITION_FUNCTIONS[function](holds, arguments)
            return node

        for name in declared:
            holds({"Condition": name})
        return found

    def functions(self) -> dict[str, dict[str, Any]]:
        return self.of_type("AWS::Serverless::Function")

    def function_memory(self, logical_id: str) -> int:
        """MB, the function's own or the Globals' (Lambda's default 128 otherwise)."""
        own = self.functions()[logical_id].get("Properties", {}).get("MemorySize")
        shared = self.body.get("Globals", {}).get("Function", {}).get("MemorySize", 128)
        return int(own or shared)

    def function_environment(self, logical_id: str) -> dict[str, Any]:
        shared = (
            self.body.get("Globals", {})
            .get("Function", {})
            .get("Environment", {})
            .get("Variables", {})
        )
        own = (
            self.functions()[logical_id]
            .get("Properties", {})
            .get("Environment", {})
            .get("Variables", {})
        )
        return {**shared, **own}

    def http_routes(self) -> list[HttpRoute]:
        routes = []
        for logical_id, function in self.functions().items():
            for event in function.get("Properties", {}).get("Events", {}).values():
                if event.get("Type") == "HttpApi":
                    props = event["Properties"]
                    routes.append(HttpRoute(props["Method"].upper(), props["Path"], logical_id))
        return routes


def resolve(
    value: Any,
    refs: Mapping[str, str | None],  # None: AWS::NoValue, where the caller resolves it
    attributes: dict[str, str],
    conditions: dict[str, bool] | None = None,
) -> Any:
    """Evaluate the intrinsic functions the local stack needs: Ref, GetAtt, Sub, and If
    (with the Conditions as Template.conditions evaluates them)."""
    if isinstance(value, list):
        return [resolve(v, refs, attributes, conditions) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"Fn::If"}:
        name, when_true, when_false = value["Fn::If"]
        chosen = when_true if (conditions or {})[name] else when_false
        return resolve(chosen, refs, attributes, conditions)
    if set(value) == {"Ref"}:
        return refs[value["Ref"]]
    if set(value) == {"Fn::GetAtt"}:
        resource, attribute = value["Fn::GetAtt"]
        return attributes[f"{resource}.{attribute}"]
    if set(value) == {"Fn::Sub"}:
        text = value["Fn::Sub"]
        variables: dict[str, Any] = {}
        if isinstance(text, list):
            text, variables = text[0], resolve(text[1], refs, attributes, conditions)

        def substitute(found: re.Match[str]) -> str:
            name = found.group(1)
            if name in variables:
                return str(variables[name])
            return str(attributes[name] if "." in name else refs[name])

        return re.sub(r"\$\{([^}!]+)\}", substitute, text)
    return {k: resolve(v, refs, attributes, conditions) for k, v in value.items()}


# CloudFormation's condition functions, over `holds` (a node's value, conditions resolved).
_CONDITION_FUNCTIONS: dict[str, Callable[[Callable[[Any], Any], list[Any]], Any]] = {
    "Fn::Equals": lambda holds, a: str(holds(a[0])) == str(holds(a[1])),
    "Fn::Not": lambda holds, a: not holds(a[0]),
    "Fn::And": lambda holds, a: all(holds(x) for x in a),
    "Fn::Or": lambda holds, a: any(holds(x) for x in a),
}
