"""The online form check: required fields, types, lengths, unknown fields, NFC."""

import unicodedata

from chalicelib.domain.dossier_forms import check_form

SPEC = (
    ("name", "text", True),
    ("born", "date", True),
    ("copies", "number", False),
    ("post", "boolean", False),
    ("phone", "phone", False),
    ("email", "email", False),
    ("id", "personal_id", False),
)


def test_a_good_form_is_kept_in_nfc():
    values, problems = check_form(
        SPEC,
        {
            "name": unicodedata.normalize("NFD", "Lê Thị Hà"),
            "born": "2020-01-31",
            "copies": 2,
            "post": True,
            "phone": "+84912345678",
            "email": "ha@example.vn",
            "id": "001190000009",
        },
    )
    assert problems == [] and values["name"] == unicodedata.normalize("NFC", "Lê Thị Hà")


def test_every_problem_is_reported_at_once():
    _, problems = check_form(
        SPEC,
        {"born": "31/01/2020", "copies": "2", "post": "yes", "phone": "12", "email": "nope", "id": "123", "other": 1},
    )
    assert set(problems) == {
        ("form.name", "required"),
        ("form.born", "invalid_format"),
        ("form.copies", "invalid_format"),
        ("form.post", "must_be_boolean"),
        ("form.phone", "invalid_format"),
        ("form.email", "invalid_format"),
        ("form.id", "invalid_format"),
        ("form.other", "unknown_field"),
    }


def test_too_long_text_and_a_form_that_is_not_an_object():
    assert check_form(SPEC, {"name": "x" * 1001, "born": "2020-01-01"})[1] == [("form.name", "too_long")]
    assert check_form(SPEC, None)[1] == [("form", "required")]
    assert check_form(SPEC, [1])[1] == [("form", "must_be_object")]
