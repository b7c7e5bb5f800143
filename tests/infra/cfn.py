"""Small readers for synthesized CloudFormation templates (plain dicts)."""

from collections.abc import Iterator
from typing import Any


def resources(template: dict, resource_type: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def one(template: dict, resource_type: str) -> tuple[str, dict]:
    found = resources(template, resource_type)
    assert len(found) == 1, f"expected one {resource_type}, found {sorted(found)}"
    return next(iter(found.items()))


def logical_id_of(template: dict, resource_type: str, **properties: Any) -> str:
    matches = [
        k
        for k, v in resources(template, resource_type).items()
        if all(v["Properties"].get(p) == value for p, value in properties.items())
    ]
    assert len(matches) == 1, f"{resource_type} with {properties}: {matches}"
    return matches[0]


def policy_statements(template: dict) -> Iterator[tuple[str, dict]]:
    """Every identity-policy statement: role inline policies and AWS::IAM::Policy documents."""
    for logical_id, role in resources(template, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            for statement in policy["PolicyDocument"]["Statement"]:
                yield logical_id, statement
    for logical_id, policy in resources(template, "AWS::IAM::Policy").items():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            yield logical_id, statement


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def function_role_statements(template: dict) -> list[dict]:
    role_id = logical_id_of(
        template, "AWS::IAM::Role", Description="Chalice functions: their table, keys, secrets, bucket and queues only"
    )
    return [
        s
        for owner, s in policy_statements(template)
        if owner == role_id or _policy_attached_to(template, owner, role_id)
    ]


def _policy_attached_to(template: dict, policy_id: str, role_id: str) -> bool:
    policy = template["Resources"][policy_id]
    return policy["Type"] == "AWS::IAM::Policy" and {"Ref": role_id} in policy["Properties"]["Roles"]


def grants(statements: list[dict]) -> dict[str, list]:
    """action -> resources it is allowed on."""
    allowed: dict[str, list] = {}
    for statement in statements:
        assert statement["Effect"] == "Allow"
        for action in as_list(statement["Action"]):
            allowed.setdefault(action, []).extend(as_list(statement["Resource"]))
    return allowed
