"""Uploaded PDFs, built here with pypdf: a plain scan is accepted with its first page as thumbnail;
encrypted, malformed, over-long PDFs and any carrying JavaScript, launch actions or files are refused."""

import io

import pytest
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, TextStringObject

from chalicelib.adapters.pdf_documents import PypdfDocumentProcessor
from chalicelib.domain.uploads import UploadRejectedError

A4 = (595, 842)


def scan(pages: int = 1) -> PdfWriter:
    """A4 pages, the first with a black square in its lower left corner."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    square = DecodedStreamObject()
    square.set_data(b"0 0 0 rg 0 0 300 300 re f")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(square)
    return writer


def pdf_bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def action(kind: str, **entries) -> DictionaryObject:
    values = {NameObject("/S"): NameObject(kind)}
    values.update({NameObject("/" + k): TextStringObject(v) for k, v in entries.items()})
    return DictionaryObject(values)


def with_annotation(writer: PdfWriter, **entries) -> PdfWriter:
    annotation = DictionaryObject(
        {NameObject("/Type"): NameObject("/Annot"), NameObject("/Rect"): ArrayObject([]), **entries}
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return writer


@pytest.fixture(scope="module")
def processor():
    return PypdfDocumentProcessor()


def refusal(processor, data: bytes, declared: str = "application/pdf") -> str:
    with pytest.raises(UploadRejectedError) as refused:
        processor.process(data, declared)
    return refused.value.code


def test_a_plain_scan_is_accepted_with_a_first_page_thumbnail(processor):
    result = processor.process(pdf_bytes(scan(pages=3)), "application/pdf")
    assert (result.kind, result.content_type, result.full_jpeg, result.page_count) == (
        "pdf",
        "application/pdf",
        None,
        3,
    )
    thumbnail = Image.open(io.BytesIO(result.thumbnail_jpeg))
    assert thumbnail.format == "JPEG" and thumbnail.size == (result.width, result.height) and thumbnail.height == 320
    assert thumbnail.convert("L").getpixel((10, 310)) < 40 and thumbnail.convert("L").getpixel((200, 10)) > 220


def test_an_encrypted_pdf_is_refused_even_without_a_user_password(processor):
    for user_password in ("secret", ""):
        writer = scan()
        writer.encrypt(user_password, owner_password="owner", algorithm="AES-128")
        assert refusal(processor, pdf_bytes(writer)) == "pdf_encrypted"


def test_a_pdf_with_document_javascript_is_refused(processor):
    writer = scan()
    script = writer._add_object(action("/JavaScript", JS="app.alert('hello');"))
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("hello"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})
    assert refusal(processor, pdf_bytes(writer)) == "pdf_javascript"


def test_javascript_run_when_the_pdf_opens_is_refused(processor):
    writer = scan()
    writer._root_object[NameObject("/OpenAction")] = action("/JavaScript", JS="app.alert(1)")
    assert refusal(processor, pdf_bytes(writer)) == "pdf_javascript"


def test_javascript_in_an_annotations_additional_actions_is_refused(processor):
    writer = with_annotation(
        scan(),
        **{
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/AA"): DictionaryObject({NameObject("/E"): action("/JavaScript", JS="x()")}),
        },
    )
    assert refusal(processor, pdf_bytes(writer)) == "pdf_javascript"


def test_javascript_at_the_end_of_an_outline_items_action_chain_is_refused(processor):
    writer = scan()
    first = action("/GoTo")
    first[NameObject("/Next")] = writer._add_object(action("/JavaScript", JS="x()"))
    writer.add_outline_item("Trang 1", 0)
    writer.get_outline_root()["/First"].get_object()[NameObject("/A")] = first
    assert refusal(processor, pdf_bytes(writer)) == "pdf_javascript"


def test_a_link_that_launches_a_program_is_refused(processor):
    writer = with_annotation(
        scan(), **{NameObject("/Subtype"): NameObject("/Link"), NameObject("/A"): action("/Launch", F="cmd.exe")}
    )
    assert refusal(processor, pdf_bytes(writer)) == "pdf_launch_action"


def test_an_embedded_file_is_refused(processor):
    writer = scan()
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    assert refusal(processor, pdf_bytes(writer)) == "pdf_embedded_file"


def test_a_file_attachment_annotation_is_refused(processor):
    writer = with_annotation(scan(), **{NameObject("/Subtype"): NameObject("/FileAttachment")})
    assert refusal(processor, pdf_bytes(writer)) == "pdf_embedded_file"


def test_fifty_pages_are_accepted_and_fifty_one_refused(processor):
    assert processor.process(pdf_bytes(scan(pages=50)), "application/pdf").page_count == 50
    assert refusal(processor, pdf_bytes(scan(pages=51))) == "pdf_too_many_pages"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\nthis is not a pdf at all\n",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
)
def test_a_malformed_pdf_is_refused(processor, data):
    assert refusal(processor, data) == "pdf_damaged"


def test_a_truncated_pdf_is_refused(processor):
    data = pdf_bytes(scan(pages=2))
    assert refusal(processor, data[: len(data) // 3]) == "pdf_damaged"


def test_a_jpeg_declared_as_pdf_is_a_mismatch(processor):
    assert refusal(processor, b"\xff\xd8\xff\xe0" + b"\x00" * 64) == "type_mismatch"


def test_a_pdf_declared_as_jpeg_is_a_mismatch(processor):
    assert refusal(processor, pdf_bytes(scan()), declared="image/jpeg") == "type_mismatch"
