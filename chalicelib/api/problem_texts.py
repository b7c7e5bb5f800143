"""The problem catalog: title and detail of every code in Vietnamese and English.

The e-tax and upload codes come from api/problems_more.py, the wallet's from api/problems_wallet.py; what each
field problem says is in api/field_texts.py.
"""

from chalicelib.api.problems_more import extra_catalog
from chalicelib.api.problems_wallet import wallet_catalog

# code -> {language: (title, detail)}; detail may name params given by the error.
CATALOG: dict[str, dict[str, tuple[str, str]]] = {
    "invalid_request": {
        "vi": ("Yêu cầu không hợp lệ", "Một số trường dữ liệu không hợp lệ."),
        "en": ("Invalid request", "Some fields are invalid."),
    },
    "malformed_json": {
        "vi": ("JSON không hợp lệ", "Nội dung yêu cầu không phải JSON hợp lệ."),
        "en": ("Malformed JSON", "The request body is not valid JSON."),
    },
    "body_not_object": {
        "vi": ("Yêu cầu không hợp lệ", "Nội dung yêu cầu phải là một đối tượng JSON."),
        "en": ("Invalid request", "The request body must be a JSON object."),
    },
    "unsupported_media_type": {
        "vi": ("Kiểu nội dung không được hỗ trợ", "Hãy gửi Content-Type: {expected}."),
        "en": ("Unsupported media type", "Send Content-Type: {expected}."),
    },
    "payload_too_large": {
        "vi": ("Yêu cầu quá lớn", "Nội dung yêu cầu vượt quá {limit} byte."),
        "en": ("Payload too large", "The request body exceeds {limit} bytes."),
    },
    "route_not_found": {
        "vi": ("Không tìm thấy", "Không có địa chỉ API này."),
        "en": ("Not found", "There is no such API path."),
    },
    "method_not_allowed": {
        "vi": ("Phương thức không được phép", "Địa chỉ này không hỗ trợ phương thức {method}."),
        "en": ("Method not allowed", "This path does not support {method}."),
    },
    "unauthenticated": {
        "vi": ("Chưa đăng nhập", "Hãy gửi access token hợp lệ trong header Authorization."),
        "en": ("Not authenticated", "Send a valid access token in the Authorization header."),
    },
    "token_invalid": {
        "vi": ("Token không hợp lệ", "Access token không hợp lệ."),
        "en": ("Invalid token", "The access token is not valid."),
    },
    "token_expired": {
        "vi": ("Token đã hết hạn", "Access token đã hết hạn; hãy làm mới phiên."),
        "en": ("Token expired", "The access token has expired; refresh the session."),
    },
    "session_expired": {
        "vi": ("Phiên đã kết thúc", "Phiên đăng nhập đã hết hạn hoặc đã đăng xuất; hãy đăng nhập lại."),
        "en": ("Session ended", "The session has expired or was logged out; log in again."),
    },
    "eid_level_too_low": {
        "vi": (
            "Cần định danh điện tử mức {required}",
            "Chức năng này yêu cầu tài khoản định danh điện tử mức {required}. Hãy nâng cấp tài khoản rồi đăng nhập lại.",
        ),
        "en": (
            "eID level {required} required",
            "This feature requires an eID account of level {required}. Upgrade your account and log in again.",
        ),
    },
    "forbidden": {
        "vi": ("Không có quyền", "Bạn không có quyền thực hiện thao tác này."),
        "en": ("Forbidden", "You may not do this."),
    },
    "redirect_uri_not_allowed": {
        "vi": ("redirect_uri không được phép", "redirect_uri không nằm trong danh sách cho phép."),
        "en": ("redirect_uri not allowed", "The redirect_uri is not on the allowlist."),
    },
    "login_state_invalid": {
        "vi": ("Phiên đăng nhập không hợp lệ", "Tham số state không đúng, đã dùng hoặc đã hết hạn; hãy đăng nhập lại."),
        "en": ("Invalid login state", "The state is unknown, used or expired; start the login again."),
    },
    "code_challenge_method_unsupported": {
        "vi": (
            "Phương thức PKCE không được hỗ trợ",
            "Chỉ chấp nhận code_challenge_method S256 (RFC 7636); hãy gửi SHA-256 của code_verifier.",
        ),
        "en": (
            "PKCE method not supported",
            "Only code_challenge_method S256 is accepted (RFC 7636); send the SHA-256 of the code_verifier.",
        ),
    },
    "code_verifier_mismatch": {
        "vi": (
            "code_verifier không khớp",
            "code_verifier không khớp với code_challenge của lần đăng nhập này; lần đăng nhập đã bị hủy, hãy đăng nhập lại.",
        ),
        "en": (
            "code_verifier does not match",
            "The code_verifier does not match this login's code_challenge; the login was cancelled, start again.",
        ),
    },
    "eid_rejected": {
        "vi": ("Định danh điện tử từ chối", "Hệ thống định danh điện tử từ chối mã xác thực; hãy đăng nhập lại."),
        "en": ("Rejected by the eID", "The eID provider rejected the authorization code; log in again."),
    },
    "id_token_invalid": {
        "vi": ("Xác thực không hợp lệ", "Không xác minh được kết quả đăng nhập từ định danh điện tử."),
        "en": ("Invalid eID response", "The eID login result could not be verified."),
    },
    "eid_unavailable": {
        "vi": (
            "Định danh điện tử tạm thời gián đoạn",
            "Hệ thống định danh điện tử không phản hồi; hãy thử lại sau ít phút.",
        ),
        "en": ("eID temporarily unavailable", "The eID provider is not answering; try again in a few minutes."),
    },
    "refresh_token_invalid": {
        "vi": ("Refresh token không hợp lệ", "Refresh token không hợp lệ hoặc đã hết hạn; hãy đăng nhập lại."),
        "en": ("Invalid refresh token", "The refresh token is invalid or expired; log in again."),
    },
    "refresh_token_reused": {
        "vi": (
            "Refresh token đã được dùng",
            "Refresh token này đã được dùng trước đó; phiên đã bị thu hồi để bảo vệ tài khoản.",
        ),
        "en": (
            "Refresh token reused",
            "This refresh token was already used; the session was revoked to protect the account.",
        ),
    },
    "refresh_in_progress": {
        "vi": ("Đang làm mới phiên", "Một yêu cầu làm mới khác vừa dùng token này; hãy dùng token mới nhất."),
        "en": ("Refresh in progress", "Another refresh just used this token; use the newest token."),
    },
    "login_conflict": {
        "vi": ("Xung đột đăng nhập", "Hãy thử đăng nhập lại."),
        "en": ("Login conflict", "Try logging in again."),
    },
    "rate_limited": {
        "vi": ("Quá nhiều yêu cầu", "Hãy thử lại sau ít phút."),
        "en": ("Too many requests", "Try again in a few minutes."),
    },
    "request_blocked": {
        "vi": ("Yêu cầu bị chặn", "Yêu cầu bị tường lửa chặn."),
        "en": ("Request blocked", "The firewall blocked this request."),
    },
    "conflict": {
        "vi": ("Xung đột", "Đối tượng vừa bị thay đổi; hãy thử lại."),
        "en": ("Conflict", "The object was just changed; try again."),
    },
    "not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy đối tượng."),
        "en": ("Not found", "The object was not found."),
    },
    "citizen_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy hồ sơ công dân."),
        "en": ("Not found", "The citizen profile was not found."),
    },
    "session_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy phiên đăng nhập này."),
        "en": ("Not found", "There is no such session."),
    },
    "agency_scope_missing": {
        "vi": ("Thiếu phạm vi truy cập", "Token của cơ quan không có phạm vi {scope}."),
        "en": ("Scope missing", "The agency token lacks the {scope} scope."),
    },
    "procedure_not_in_scope": {
        "vi": ("Thủ tục không thuộc cơ quan", "Cơ quan không được giao xử lý thủ tục này."),
        "en": ("Procedure not in scope", "The agency is not registered for this procedure."),
    },
    "dossier_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy hồ sơ."),
        "en": ("Not found", "The dossier was not found."),
    },
    "idempotency_key_required": {
        "vi": ("Thiếu Idempotency-Key", "Hãy gửi header Idempotency-Key duy nhất cho mỗi lần tạo."),
        "en": ("Idempotency-Key required", "Send a unique Idempotency-Key header with each creation."),
    },
    "idempotency_key_reused": {
        "vi": ("Idempotency-Key đã dùng", "Idempotency-Key này đã được dùng cho một yêu cầu khác."),
        "en": ("Idempotency-Key reused", "This Idempotency-Key was used for a different request."),
    },
    "purpose_required": {
        "vi": ("Thiếu mục đích truy cập", "Hãy nêu mục đích truy cập dữ liệu công dân trong header X-Purpose."),
        "en": ("Purpose required", "State why the citizen's data is accessed in the X-Purpose header."),
    },
    "service_unavailable": {
        "vi": ("Dịch vụ tạm thời gián đoạn", "Hãy thử lại sau giây lát."),
        "en": ("Service temporarily unavailable", "Try again in a moment."),
    },
    "internal_error": {
        "vi": ("Lỗi hệ thống", "Đã xảy ra lỗi; hãy thử lại. Nếu lỗi lặp lại, hãy báo mã yêu cầu."),
        "en": ("Internal error", "Something went wrong; try again. If it persists, quote the request id."),
    },
    "cursor_invalid": {
        "vi": (
            "Con trỏ phân trang không hợp lệ",
            "Tham số cursor bị sửa, hỏng hoặc thuộc một danh sách khác; hãy tải lại từ trang đầu.",
        ),
        "en": (
            "Invalid cursor",
            "The cursor was altered, is malformed or belongs to another list; start again from the first page.",
        ),
    },
    "procedure_not_found": {
        "vi": ("Không tìm thấy", "Không có thủ tục hành chính với mã này."),
        "en": ("Not found", "There is no administrative procedure with this code."),
    },
    "device_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy thiết bị nhận thông báo này."),
        "en": ("Not found", "There is no such push device."),
    },
    "device_conflict": {
        "vi": ("Xung đột", "Thiết bị này vừa được đăng ký ở nơi khác; hãy thử lại."),
        "en": ("Conflict", "This device was just registered elsewhere; try again."),
    },
    "notification_not_found": {
        "vi": ("Không tìm thấy", "Không tìm thấy thông báo này."),
        "en": ("Not found", "There is no such notification."),
    },
    "procedure_not_online": {
        "vi": (
            "Thủ tục không nộp trực tuyến được",
            "Thủ tục này chưa thể nộp hồ sơ trực tuyến; hãy nộp tại bộ phận một cửa.",
        ),
        "en": (
            "Procedure not available online",
            "This procedure cannot be filed online yet; file it at a one-stop shop.",
        ),
    },
    "dossier_not_completed": {
        "vi": ("Hồ sơ chưa hoàn thành", "Chỉ đánh giá được hồ sơ đã hoàn thành."),
        "en": ("Dossier not completed", "Only a completed dossier can be rated."),
    },
    "already_rated": {
        "vi": ("Đã đánh giá", "Hồ sơ này đã được đánh giá."),
        "en": ("Already rated", "This dossier has already been rated."),
    },
    "lookup_failed": {
        "vi": ("Không tra cứu được", "Mã biên nhận hoặc mã PIN không đúng."),
        "en": ("Lookup failed", "The receipt code or the PIN is wrong."),
    },
    "too_many_pending_filings": {
        "vi": (
            "Quá nhiều hồ sơ đang chờ tiếp nhận",
            "Bạn đã có {limit} hồ sơ nộp trực tuyến chưa được tiếp nhận; hãy chờ cơ quan tiếp nhận rồi nộp tiếp.",
        ),
        "en": (
            "Too many filings waiting",
            "You have {limit} online filings not yet received; file more once the agency has received them.",
        ),
    },
    "device_limit_reached": {
        "vi": (
            "Quá nhiều thiết bị",
            "Tài khoản đã có {limit} thiết bị nhận thông báo; hãy gỡ một thiết bị trước khi thêm thiết bị mới.",
        ),
        "en": ("Too many devices", "The account has {limit} push devices; remove one before adding another."),
    },
    "device_token_in_use": {
        "vi": (
            "Mã thông báo đang được dùng",
            "Mã thông báo đẩy này thuộc về một lượt cài đặt ứng dụng khác; hãy lấy mã mới trong ứng dụng.",
        ),
        "en": (
            "Push token in use",
            "This push token belongs to another app installation; get a fresh token in the app.",
        ),
    },
    "fresh_login_required": {
        "vi": (
            "Cần đăng nhập lại",
            "Hãy đăng nhập lại bằng định danh điện tử (trong vòng {minutes} phút) để làm việc này.",
        ),
        "en": ("Fresh login required", "Log in again with your eID (within {minutes} minutes) to do this."),
    },
    "deletion_not_found": {
        "vi": ("Không có yêu cầu xóa tài khoản", "Tài khoản không có yêu cầu xóa nào đang chờ."),
        "en": ("No deletion request", "The account has no pending deletion request."),
    },
    "statement_not_found": {
        "vi": (
            "Không tìm thấy bản xác nhận",
            "Liên kết không đúng, tài khoản chưa bị xóa, hoặc bản xác nhận đã hết hạn.",
        ),
        "en": ("No such statement", "The link is wrong, the account is not erased yet, or the statement has expired."),
    },
    "lookup_locked": {
        "vi": ("Tạm khóa tra cứu", "Đã nhập sai mã PIN quá nhiều lần; hãy thử lại sau {retry_after} giây."),
        "en": ("Lookup locked", "Too many wrong PINs; try again in {retry_after} seconds."),
    },
}
CATALOG.update(extra_catalog())
CATALOG.update(wallet_catalog())
TRANSIENT = {
    "queue_unavailable",
    "storage_unavailable",
    "storage_busy",
    "signing_unavailable",
    "signing_keys_unavailable",
    "secrets_unavailable",
    "eid_client_misconfigured",
}
