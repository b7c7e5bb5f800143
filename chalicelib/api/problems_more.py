"""Problem texts of the e-tax, wallet, upload and export capabilities, merged into the catalog of api/problems.py.

Upload rejections take the citizen-readable reason the domain keeps with each code (domain/uploads.py).
"""

from chalicelib.domain.uploads import REJECTION_REASONS

_TAX: dict[str, dict[str, tuple[str, str]]] = {
    "tax_code_empty": {
        "vi": ("Thiếu mã số thuế", "Hãy nhập mã số thuế."),
        "en": ("Tax code missing", "Enter a tax code."),
    },
    "tax_code_not_digits": {
        "vi": ("Mã số thuế không hợp lệ", "Mã số thuế chỉ gồm chữ số (chi nhánh: NNNNNNNNNN-NNN)."),
        "en": ("Invalid tax code", "A tax code has digits only (a branch: NNNNNNNNNN-NNN)."),
    },
    "tax_code_wrong_length": {
        "vi": ("Mã số thuế không hợp lệ", "Mã số thuế có 10 chữ số, 13 cho chi nhánh, hoặc là số định danh 12 chữ số."),
        "en": ("Invalid tax code", "A tax code has 10 digits, 13 for a branch, or is a 12-digit personal ID number."),
    },
    "tax_code_check_digit": {
        "vi": ("Mã số thuế không hợp lệ", "Chữ số kiểm tra của mã số thuế không đúng; hãy kiểm tra lại."),
        "en": ("Invalid tax code", "The tax code's check digit is wrong; check it again."),
    },
    "tax_code_branch_format": {
        "vi": ("Mã số thuế không hợp lệ", "Mã chi nhánh có dạng NNNNNNNNNN-NNN, đuôi từ 001."),
        "en": ("Invalid tax code", "A branch code is NNNNNNNNNN-NNN, with a suffix from 001."),
    },
    "tax_code_personal_id_province": {
        "vi": ("Số định danh không hợp lệ", "Ba chữ số đầu của số định danh cá nhân phải là mã tỉnh (001–096)."),
        "en": ("Invalid personal ID", "A personal ID number starts with a province code (001–096)."),
    },
    "taxpayer_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy người nộp thuế."),
        "en": ("Not found", "No such taxpayer."),
    },
    "business_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy doanh nghiệp."),
        "en": ("Not found", "No such business."),
    },
    "delegation_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy ủy quyền còn hiệu lực."),
        "en": ("Not found", "No such live delegation."),
    },
    "calendar_feed_not_found": {
        "vi": ("Không tìm thấy", "Liên kết lịch thuế không tồn tại hoặc đã bị thay thế."),
        "en": ("Not found", "No such tax calendar link, or it was replaced."),
    },
    "obligation_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy khoản nghĩa vụ thuế."),
        "en": ("Not found", "No such tax obligation."),
    },
    "tax_authority_unavailable": {
        "vi": ("Hệ thống thuế tạm thời gián đoạn", "Hệ thống của cơ quan thuế không phản hồi; hãy thử lại sau."),
        "en": ("Tax system temporarily unavailable", "The tax authority's system is not answering; try again later."),
    },
    "tax_authority_credentials_refused": {
        "vi": ("Hệ thống thuế tạm thời gián đoạn", "Kết nối tới cơ quan thuế bị từ chối; hãy thử lại sau."),
        "en": ("Tax system temporarily unavailable", "The tax authority refused our connection; try again later."),
    },
    "tax_authority_client_misconfigured": {
        "vi": ("Hệ thống thuế tạm thời gián đoạn", "Hãy thử lại sau."),
        "en": ("Tax system temporarily unavailable", "Try again later."),
    },
    "tax_authority_rejected": {
        "vi": ("Cơ quan thuế từ chối", "Cơ quan thuế từ chối yêu cầu này."),
        "en": ("Refused by the tax authority", "The tax authority refused this request."),
    },
    "payment_reference_conflict": {
        "vi": ("Xung đột thanh toán", "Mã tham chiếu thanh toán đã được dùng cho khoản khác."),
        "en": ("Payment conflict", "The payment reference was used for a different payment."),
    },
    "payment_signature_missing": {
        "vi": ("Thiếu chữ ký", "Thông báo thanh toán không có chữ ký."),
        "en": ("Signature missing", "The payment notice is not signed."),
    },
    "payment_signature_invalid": {
        "vi": ("Chữ ký không hợp lệ", "Chữ ký của thông báo thanh toán không đúng."),
        "en": ("Invalid signature", "The payment notice's signature is wrong."),
    },
    "payment_callback_invalid": {
        "vi": ("Thông báo không hợp lệ", "Thông báo thanh toán không hợp lệ."),
        "en": ("Invalid notice", "The payment notice is not valid."),
    },
    "document_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy giấy tờ."),
        "en": ("Not found", "No such document."),
    },
    # --- paying through the gateway (api/tax_payments.py) ---
    "payment_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy khoản thanh toán."),
        "en": ("Not found", "No such payment."),
    },
    "obligation_already_paid": {
        "vi": ("Đã nộp đủ", "Khoản nghĩa vụ thuế {obligation_id} không còn số tiền phải nộp."),
        "en": ("Already paid", "Tax obligation {obligation_id} has nothing left to pay."),
    },
    "payment_amount_mismatch": {
        "vi": (
            "Số tiền không khớp",
            "Số tiền trong thông báo thanh toán khác với khoản thanh toán; không có gì thay đổi.",
        ),
        "en": ("Amount mismatch", "The payment notice's amount differs from the payment's; nothing was changed."),
    },
    "payment_in_progress": {
        "vi": (
            "Đang thanh toán",
            "Một khoản nghĩa vụ đã có trong một thanh toán khác chưa kết thúc; hãy hoàn tất hoặc đợi nó hết hạn.",
        ),
        "en": (
            "Payment in progress",
            "An obligation is in another payment not yet finished; complete it or let it expire.",
        ),
    },
    "payment_already_completed": {
        "vi": ("Đã thanh toán", "Khoản thanh toán đã hoàn tất; thông báo kết quả khác bị bỏ qua."),
        "en": ("Already completed", "The payment was completed; a different result is ignored."),
    },
}

_WALLET: dict[str, dict[str, tuple[str, str]]] = {
    "dossier_result_not_deliverable": {
        "vi": (
            "Không thể trả kết quả vào ví",
            "Chỉ hồ sơ được hoàn thành bởi sự kiện này, chưa có kết quả, mới nhận được giấy tờ kết quả.",
        ),
        "en": (
            "Result not deliverable",
            "Only a dossier this event completes, without a result yet, can receive a result document.",
        ),
    },
    "document_type_not_in_scope": {
        "vi": ("Không được cấp loại giấy tờ này", "Cơ quan không được phép cấp loại giấy tờ {type}."),
        "en": ("Document type not in scope", "The agency may not issue documents of type {type}."),
    },
    "document_revoked": {
        "vi": ("Giấy tờ đã bị thu hồi", "Giấy tờ đã bị thu hồi: không thể chia sẻ hay khôi phục."),
        "en": ("Document revoked", "The document was revoked: it cannot be shared or reinstated."),
    },
    "document_not_suspended": {
        "vi": ("Giấy tờ không bị tạm đình chỉ", "Chỉ khôi phục được giấy tờ đang bị tạm đình chỉ."),
        "en": ("Document not suspended", "Only a suspended document can be reinstated."),
    },
    "share_not_found": {
        "vi": ("Không tìm thấy", "Liên kết chia sẻ không tồn tại, đã hết hạn hoặc đã bị thu hồi."),
        "en": ("Not found", "The share does not exist, has expired or was withdrawn."),
    },
    "share_limit_reached": {
        "vi": ("Quá nhiều liên kết chia sẻ", "Bạn đang có {limit} liên kết chia sẻ; hãy thu hồi bớt trước."),
        "en": ("Too many shares", "You have {limit} live shares; withdraw some first."),
    },
    "document_not_shareable": {
        "vi": ("Không chia sẻ được", "Tệp bạn tự tải lên không phải giấy tờ được cấp nên không chia sẻ được."),
        "en": ("Not shareable", "A file you uploaded yourself is not an issued document and cannot be shared."),
    },
    "document_not_deletable": {
        "vi": ("Không xoá được", "Giấy tờ do cơ quan cấp không xoá được; chỉ xoá được tệp bạn tự tải lên."),
        "en": ("Cannot be deleted", "A document issued by an agency cannot be deleted; only your own uploads can."),
    },
    "dossier_closed": {
        "vi": ("Hồ sơ đã kết thúc", "Hồ sơ này đã kết thúc xử lý nên không nhận thêm giấy tờ."),
        "en": ("Dossier closed", "This dossier is no longer being handled and takes no more documents."),
    },
    "dossier_documents_full": {
        "vi": ("Hồ sơ đã đủ giấy tờ", "Một hồ sơ nhận tối đa {limit} giấy tờ."),
        "en": ("Dossier full", "A dossier holds at most {limit} documents."),
    },
    "document_filed": {
        "vi": (
            "Tệp đã nộp kèm hồ sơ",
            "Tệp này đã nộp kèm hồ sơ {dossier_id} và là một phần hồ sơ của cơ quan nên không xoá được.",
        ),
        "en": (
            "Filed with a dossier",
            "This file was filed with dossier {dossier_id} and is part of the agency's record: it cannot be deleted.",
        ),
    },
    "too_many_pending_uploads": {
        "vi": ("Quá nhiều tệp đang chờ", "Bạn có {limit} tệp đang chờ tải lên hoặc xử lý; hãy đợi chúng xong."),
        "en": ("Too many pending uploads", "You have {limit} uploads waiting to be sent or processed; wait for them."),
    },
    "status_list_not_found": {
        "vi": ("Không tìm thấy", "Không có danh sách trạng thái này."),
        "en": ("Not found", "There is no such status list."),
    },
}

# --- taking one's data home (api/exports.py) ---
_EXPORTS: dict[str, dict[str, tuple[str, str]]] = {
    "export_running": {
        "vi": ("Đang xuất dữ liệu", "Yêu cầu xuất dữ liệu trước của bạn đang được thực hiện; hãy đợi nó xong."),
        "en": ("Export running", "Your previous data export is still being prepared; wait for it to finish."),
    },
    "export_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy yêu cầu xuất dữ liệu."),
        "en": ("Not found", "No such data export."),
    },
}

_UPLOAD_TITLES = {"vi": "Tệp bị từ chối", "en": "File refused"}


def extra_catalog() -> dict[str, dict[str, tuple[str, str]]]:
    uploads = {
        code: {language: (_UPLOAD_TITLES[language], reason) for language, reason in reasons.items()}
        for code, reasons in REJECTION_REASONS.items()
    }
    return {**_TAX, **_WALLET, **_EXPORTS, **uploads}


# The field problems of a tax code (domain/tax_codes.py) read like the problem they raise (api/field_texts.py).
TAX_PROBLEMS = _TAX
TAX_CODE_RULES = tuple(code for code in _TAX if code.startswith("tax_code_"))
