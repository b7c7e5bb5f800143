"""The form a citizen fills in to file a procedure online, checked against the procedure's form fields."""

import re
from datetime import date
from typing import Any

from chalicelib.domain.citizens import normalize_text

MAX_TEXT = 1000
_PHONE = re.compile(r"^\+?[0-9]{9,15}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s.]{2,63}$")
_PERSONAL_ID = re.compile(r"^[0-9]{12}$")


def check_form(spec: tuple[tuple[str, str, bool], ...], form: Any) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(the form with NFC text, [(field, problem code)]): every field is checked, unknown ones are refused."""
    if not isinstance(form, dict):
        return {}, [("form", "required" if form is None else "must_be_object")]
    known = {name for name, _, _ in spec}
    problems = [(f"form.{name}", "unknown_field") for name in form if name not in known]
    values: dict[str, Any] = {}
    for name, kind, required in spec:
        value = form.get(name)
        if value is None or value == "":
            if required:
                problems.append((f"form.{name}", "required"))
            continue
        checked, problem = check_value(kind, value)
        if problem:
            problems.append((f"form.{name}", problem))
        else:
            values[name] = checked
    return values, problems


def check_value(kind: str, value: Any) -> tuple[Any, str]:
    """(the value to store, "") or (None, the problem code)."""
    if kind == "boolean":
        return (value, "") if isinstance(value, bool) else (None, "must_be_boolean")
    if kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 10**15
        return (value, "") if ok else (None, "invalid_format")
    if not isinstance(value, str):
        return None, "must_be_string"
    if len(value) > MAX_TEXT:
        return None, "too_long"
    text = normalize_text(value)
    return (text, "") if _matches(kind, text) else (None, "invalid_format")


def _matches(kind: str, text: str) -> bool:
    if kind == "date":
        try:
            return date.fromisoformat(text).isoformat() == text
        except ValueError:
            return False
    pattern = {"phone": _PHONE, "email": _EMAIL, "personal_id": _PERSONAL_ID}.get(kind)
    return bool(text) and (pattern is None or bool(pattern.match(text)))
