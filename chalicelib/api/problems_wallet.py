"""Problem texts of the wallet (credentials and status lists, holder binding, OpenID4VCI, document reuse), merged
into the catalog of api/problem_texts.py; and the field messages of a Key Binding JWT's refusal reasons."""

_CATALOG: dict[str, dict[str, tuple[str, str]]] = {
    "claim_not_in_credential": {
        "vi": ("Không có thông tin này", "Giấy tờ không chứa thông tin được chọn để chia sẻ."),
        "en": ("No such claim", "The document does not hold a claim chosen for sharing."),
    },
    "document_type_not_found": {
        "vi": ("Không tìm thấy", "Không có loại giấy tờ này."),
        "en": ("Not found", "No such document type."),
    },
    "holder_key_invalid": {
        "vi": ("Khóa thiết bị không hợp lệ", "Khóa công khai của thiết bị phải là khóa EC P-256."),
        "en": ("Invalid device key", "The device public key must be an EC P-256 public JWK."),
    },
    "invalid_proof": {
        "vi": ("Bằng chứng khóa không hợp lệ", "Proof JWT không hợp lệ hoặc đã hết hạn."),
        "en": ("Invalid proof", "The proof JWT is invalid or too old."),
    },
    "invalid_nonce": {
        "vi": ("Nonce không hợp lệ", "Hãy lấy c_nonce mới rồi ký lại proof."),
        "en": ("Invalid nonce", "Fetch a new c_nonce and sign the proof again."),
    },
    "sd_jwt_malformed": {
        "vi": ("Giấy tờ không hợp lệ", "Chuỗi SD-JWT không đúng định dạng."),
        "en": ("Malformed credential", "The SD-JWT is not well formed."),
    },
    "qr_payload_empty": {
        "vi": ("Mã QR trống", "Không có nội dung để tạo mã QR."),
        "en": ("Empty QR code", "There is nothing to put in the QR code."),
    },
    "qr_payload_too_large": {
        "vi": ("Quá dài cho mã QR", "Hãy chia sẻ ít thông tin hơn hoặc dùng đường liên kết."),
        "en": ("Too long for a QR code", "Share fewer claims, or share a link instead."),
    },
    "status_list_invalid": {
        "vi": ("Danh sách trạng thái không hợp lệ", "Danh sách trạng thái không đúng chữ ký hoặc định dạng."),
        "en": ("Invalid status list", "The status list has a bad signature or format."),
    },
    "status_list_expired": {
        "vi": ("Danh sách trạng thái đã cũ", "Hãy tải lại danh sách trạng thái."),
        "en": ("Status list expired", "Fetch the status list again."),
    },
    "status_list_uri_mismatch": {
        "vi": ("Sai danh sách trạng thái", "Danh sách trạng thái không phải danh sách của giấy tờ."),
        "en": ("Wrong status list", "The status list is not the one the credential names."),
    },
    "status_list_too_large": {
        "vi": ("Danh sách trạng thái quá lớn", "Danh sách trạng thái vượt giới hạn cho phép."),
        "en": ("Status list too large", "The status list exceeds the allowed size."),
    },
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
