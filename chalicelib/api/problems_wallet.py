"""Problem texts of the wallet's holder binding, OpenID4VCI offers and document reuse, merged into the catalog of
api/problem_texts.py; and the field messages of a Key Binding JWT's refusal reasons."""

_CATALOG: dict[str, dict[str, tuple[str, str]]] = {
    "holder_key_not_found": {
        "vi": ("Không tìm thấy", "Khóa thiết bị không tồn tại hoặc đã bị xóa."),
        "en": ("Not found", "The device key does not exist or was deleted."),
    },
    "key_binding_required": {
        "vi": (
            "Cần chữ ký của thiết bị",
            "Giấy tờ này gắn với khóa thiết bị: hãy gửi key_binding_jwt, audience và nonce.",
        ),
        "en": (
            "Device signature required",
            "This document is bound to a device key: send key_binding_jwt, audience and nonce.",
        ),
    },
    "key_binding_invalid": {
        "vi": ("Chữ ký thiết bị không hợp lệ", "Key Binding JWT bị từ chối: {reason}."),
        "en": ("Invalid device signature", "The Key Binding JWT was refused: {reason}."),
    },
    "credential_not_holder_bound": {
        "vi": ("Giấy tờ không gắn với thiết bị", "Giấy tờ này không gắn khóa thiết bị: không gửi key_binding_jwt."),
        "en": ("Document not device-bound", "This document is not bound to a device key: send no key_binding_jwt."),
    },
    "document_not_usable": {
        "vi": (
            "Giấy tờ không dùng được",
            "Giấy tờ trong ví chưa dùng được hoặc không còn hiệu lực để nộp kèm hồ sơ ({reason}).",
        ),
        "en": ("Document not usable", "A wallet document cannot be filed now ({reason})."),
    },
    "document_suspended": {
        "vi": ("Giấy tờ đang bị tạm đình chỉ", "Giấy tờ đang bị tạm đình chỉ: chưa thể chuyển sang ví khác."),
        "en": ("Document suspended", "The document is suspended: it cannot go to another wallet for now."),
    },
}

_FIELD_MESSAGES: dict[str, dict[str, str]] = {
    "kb_missing": {"vi": "Thiếu Key Binding JWT.", "en": "The Key Binding JWT is missing."},
    "kb_signature_invalid": {
        "vi": "Không phải chữ ký ES256 (typ kb+jwt) của khóa thiết bị trong giấy tờ.",
        "en": "Not an ES256 signature (typ kb+jwt) by the credential's device key.",
    },
    "kb_sd_hash_mismatch": {
        "vi": "sd_hash không khớp với bản trình bày (các Disclosure được chọn, theo thứ tự trong giấy tờ).",
        "en": "sd_hash does not match the presentation (the chosen Disclosures, in the credential's order).",
    },
    "kb_audience_mismatch": {"vi": "aud phải bằng audience của lượt chia sẻ.", "en": "aud must equal the audience."},
    "kb_nonce_mismatch": {"vi": "nonce phải bằng nonce đã gửi.", "en": "nonce must equal the nonce sent."},
    "kb_iat_invalid": {"vi": "iat quá cũ hoặc ở tương lai.", "en": "iat is too old or in the future."},
    "holder_key_missing": {"vi": "Giấy tờ không có khóa thiết bị (cnf).", "en": "The credential has no cnf key."},
}


def wallet_catalog() -> dict[str, dict[str, tuple[str, str]]]:
    return dict(_CATALOG)


def wallet_field_messages() -> dict[str, dict[str, str]]:
    return dict(_FIELD_MESSAGES)
