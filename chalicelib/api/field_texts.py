"""What each field problem (`errors[].code`) says, in Vietnamese and English: the generic rules, the wallet's
Key Binding reasons and a declared upload's refusals. The problems themselves are in problem_texts.py."""

from chalicelib.api.problems_more import TAX_CODE_RULES, TAX_PROBLEMS
from chalicelib.api.problems_wallet import wallet_field_messages
from chalicelib.domain.uploads import DECLARED_UPLOAD_REFUSALS, REJECTION_REASONS

FIELD_MESSAGES: dict[str, dict[str, str]] = {
    "required": {"vi": "Trường này là bắt buộc.", "en": "This field is required."},
    "must_be_string": {"vi": "Phải là chuỗi ký tự.", "en": "Must be a string."},
    "too_long": {"vi": "Quá dài.", "en": "Too long."},
    "invalid_format": {"vi": "Sai định dạng.", "en": "Invalid format."},
    "not_plain_text": {
        "vi": "Sau khi giải mã phải là văn bản UTF-8 không rỗng, không có ký tự điều khiển hoặc ký tự ẩn.",
        "en": "Once decoded, must be non-empty UTF-8 text without control or invisible characters.",
    },
    "not_allowed": {"vi": "Giá trị không được phép.", "en": "Value not allowed."},
    "unknown_field": {"vi": "Trường này không được hỗ trợ.", "en": "Unknown field."},
    "unknown_parameter": {"vi": "Tham số này không được hỗ trợ.", "en": "Unknown parameter."},
    "must_be_object": {"vi": "Phải là một đối tượng JSON.", "en": "Must be a JSON object."},
    "must_be_boolean": {"vi": "Phải là true hoặc false.", "en": "Must be true or false."},
    "must_be_integer": {"vi": "Phải là số nguyên.", "en": "Must be an integer."},
    "invalid_time": {"vi": "Giờ phải có dạng HH:MM (00:00–23:59).", "en": "Time must be HH:MM (00:00–23:59)."},
    "in_future": {
        "vi": "Thời điểm không được ở tương lai.",
        "en": "The instant must not be in the future.",
    },
    "tax_year_out_of_range": {
        "vi": "Năm phải gồm 4 chữ số, từ 2000 đến 2099.",
        "en": "The year must be 4 digits, from 2000 through 2099.",
    },
    "must_be_array": {"vi": "Phải là một danh sách.", "en": "Must be an array."},
    "duplicate_value": {"vi": "Giá trị bị lặp lại.", "en": "A value is repeated."},
    "too_many_items": {"vi": "Quá nhiều phần tử.", "en": "Too many items."},
    "invalid_time_zone": {
        "vi": "Múi giờ IANA không hợp lệ (ví dụ Asia/Ho_Chi_Minh).",
        "en": "Not an IANA time zone (e.g. Asia/Ho_Chi_Minh).",
    },
}
FIELD_MESSAGES.update(wallet_field_messages())

# A delegation of a business's tax data (api/businesses.py); a tax code's rules say what they say as problems.
FIELD_MESSAGES.update({code: {lang: texts[1] for lang, texts in TAX_PROBLEMS[code].items()} for code in TAX_CODE_RULES})
FIELD_MESSAGES.update(
    {
        "must_be_future": {"vi": "Thời điểm phải ở tương lai.", "en": "The instant must be in the future."},
        "too_far": {"vi": "Tối đa một năm kể từ bây giờ.", "en": "At most one year from now."},
        "delegate_is_self": {
            "vi": "Không thể ủy quyền cho chính mình.",
            "en": "You cannot delegate to yourself.",
        },
    }
)

# A declared upload refused (purpose, type, size) names its field with the same reason the worker gives a file.
FIELD_MESSAGES.update({code: dict(REJECTION_REASONS[code]) for code in DECLARED_UPLOAD_REFUSALS})
