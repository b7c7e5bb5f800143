"""The export's file layout: one JSON file per category of the citizen's data (each following its JSON Schema in
docs/export/) and a README in Vietnamese and English describing each, zipped."""

import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

FORMAT_VERSION = "1"
SCHEMA_BASE = "https://citizen-app.example/schemas/export/v1/"
FILES_FOLDER = "files/"  # the stored files of documents, files/<document_id>/<name>


def category_file(name: str, citizen_id: str, exported_at: str, items: list[dict[str, Any]]) -> bytes:
    document = {
        "$schema": f"{SCHEMA_BASE}{name}.schema.json",
        "format_version": FORMAT_VERSION,
        "category": name,
        "citizen_id": citizen_id,
        "exported_at": exported_at,
        "items": items,
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")


def readme(about: Iterable[tuple[str, str, str]], exported_at: str) -> bytes:
    """(file name, Vietnamese, English) per category file."""
    rows = list(about)
    lines = [
        "DỮ LIỆU CỦA BẠN / YOUR DATA",
        f"Xuất lúc / Exported at: {exported_at}",
        "",
        "Mỗi tệp JSON là một loại dữ liệu, theo lược đồ JSON Schema nêu trong trường $schema.",
        "Each JSON file is one category of your data, following the JSON Schema named in its $schema field.",
        "Thời điểm theo RFC 3339, giờ UTC. / Instants are RFC 3339, in UTC.",
        "",
    ]
    for name, vi, en in rows:
        lines += [f"{name}.json", f"  vi: {vi}", f"  en: {en}", ""]
    lines += [
        f"{FILES_FOLDER}<document_id>/<name>",
        "  vi: Các tệp của giấy tờ trong ví và tệp bạn tải lên (ảnh, PDF, ảnh thu nhỏ), theo mã giấy tờ"
        " trong wallet_documents.json và uploads.json.",
        "  en: The files of your wallet documents and uploads (images, PDFs, thumbnails), by the document_id"
        " of wallet_documents.json and uploads.json.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def build_zip(files: dict[str, bytes] | Iterable[tuple[str, bytes]]) -> bytes:
    """Entries are written as they come: from a generator, one file is in memory at a time beside the ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items() if isinstance(files, dict) else files:
            archive.writestr(name, data)
    return buffer.getvalue()
