"""Writes chalicelib/data/openapi.json, the copy of openapi.yaml that `GET /openapi.json` serves on every stage.

Run `make contract` after editing openapi.yaml; a contract test fails while the two differ. The copy is JSON so
the Lambda reads it with the standard library: no YAML parser in the package, no parse on a cold request.
"""

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "openapi.yaml"
TARGET = ROOT / "chalicelib" / "data" / "openapi.json"
_YAML_1_1_ONLY = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}


class _Yaml12Loader(yaml.SafeLoader):
    """OpenAPI 3.1 is YAML 1.2: an unquoted 2026-01-31 is a string (PyYAML's 1.1 makes it a date, which JSON has
    not), and only true/false are booleans (1.1 also reads yes/no/on/off)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _YAML_1_1_ONLY]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", yaml.resolver.re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    """YAML 1.2 requires unique keys; PyYAML keeps the last of two silently, so a merge that left two
    `RateLimited` responses would publish whichever came second."""
    keys = [loader.construct_object(key, deep=deep) for key, _ in node.value]
    duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
    if duplicates:
        raise yaml.constructor.ConstructorError(None, None, f"duplicate keys {duplicates}", node.start_mark)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Yaml12Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def contract_from_yaml(text: str) -> dict:
    return yaml.load(text, Loader=_Yaml12Loader)  # noqa: S506 - a SafeLoader subclass


def contract_json(contract: dict) -> str:
    return json.dumps(contract, ensure_ascii=False, indent=2) + "\n"


def main() -> int:
    TARGET.write_text(contract_json(contract_from_yaml(SOURCE.read_text(encoding="utf-8"))), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} from {SOURCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
