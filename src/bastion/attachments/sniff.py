"""What a file is, from its bytes: the client's Content-Type and file name are claims, not facts.

A file another agency uploaded is opened on officers' machines; so only kinds an office needs
and a browser will not run are accepted (PDF, PNG, JPEG, xlsx, docx, plain text, CSV), and
everything else is refused, executables, HTML and SVG (which carry script) above all. Pure
functions, no database: the service calls them before anything is stored.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from bastion.core.i18n import lazy
from bastion.core.tabular import Collector
from bastion.core.tabular import reader as tabular

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"
CSV = "text/csv"

# The extension a stored name must end with for each type (the first is added when missing).
EXTENSIONS = {
    PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), XLSX: (".xlsx",),
    DOCX: (".docx",), TEXT: (".txt", ".log", ".md"), CSV: (".csv",),
}

# 50 megapixels: a 10 MB JPEG can claim 65535 x 65535 pixels and exhaust memory of whatever
# later decodes it (Pillow's own bomb warning starts at 89 Mpx); no scan needs more.
MAX_PIXELS = 50_000_000

_EXECUTABLE = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
               b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!", b"\x00asm")
# What makes a browser (or an old one ignoring nosniff) treat text as a page or a script.
_MARKUP = re.compile(rb"<\s*(!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|"
                     rb"meta|link|style|img|a\s|form|xml|x:)", re.IGNORECASE)
NOT_ACCEPTED = lazy("This kind of file is not accepted. Accepted: PDF, PNG, JPEG, xlsx, docx, "
                    "plain text and CSV.")
_FORBIDDEN_NAME = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class Refused(ValueError):
    """The bytes are not an accepted kind of file; ``reason`` is a message id to translate."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    width: int | None = None
    height: int | None = None


def sniff(data: bytes, filename: str = "") -> Sniffed:
    """The accepted type of ``data`` (and an image's size), or :class:`Refused`."""
    if data.startswith(_EXECUTABLE):
        raise Refused(lazy("Programs and scripts are not accepted as attachments."))
    if data.startswith(b"%PDF-"):
        return Sniffed(PDF)
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = _png_size(data)
        return Sniffed(PNG, *_checked(width, height))
    if data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data)
        return Sniffed(JPEG, *_checked(width, height))
    if data.startswith(b"PK\x03\x04"):
        return Sniffed(_office(data))
    if _is_text(data):
        return Sniffed(CSV if filename.lower().endswith(".csv") else TEXT)
    raise Refused(NOT_ACCEPTED)


def _checked(width: int, height: int) -> tuple[int, int]:
    if width <= 0 or height <= 0:
        raise Refused(lazy("The image is damaged."))
    if width * height > MAX_PIXELS:
        raise Refused(lazy("The image is too large: {width} x {height} pixels."), width=width,
                      height=height)
    return width, height


def _png_size(data: bytes) -> tuple[int, int]:
    # The first chunk must be IHDR: length 13, then width and height as big-endian uint32.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise Refused(lazy("The image is damaged."))
    return struct.unpack(">II", data[16:24])


# Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Walk the JPEG segments to the first start-of-frame (ITU T.81 B.2)."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker in _SOF:
            if i + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        if marker == 0xDA:  # start of scan before any frame header
            break
        i += 2 + length
    raise Refused(lazy("The image is damaged."))


def _office(data: bytes) -> str:
    """xlsx and docx are ZIP packages; any other ZIP (or one with macros) is refused, and so is
    a package that unpacks to far more than it weighs (by the sizes it declares, unpacking
    nothing): an officer's Excel or Word would choke on it. A workbook also passes the
    spreadsheet reader's checks (sheets, shared strings, declared range)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            names = {m.filename for m in members}
    except (zipfile.BadZipFile, ValueError):
        raise Refused(lazy("The file is damaged.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Refused(lazy("Documents with macros are not accepted."))
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        out = Collector()  # the spreadsheet reader's checks name the limit a workbook breaks
        if not tabular.check_xlsx(data, out):
            raise Refused(lazy("The workbook is refused: {problem}"),
                          problem=out.problems[0].message)
        return XLSX
    if len(members) > tabular.MAX_MEMBERS:
        raise Refused(lazy("The package has more than {n} parts."), n=tabular.MAX_MEMBERS)
    total = sum(m.file_size for m in members)
    if total > tabular.MAX_UNZIPPED:
        raise Refused(lazy("The package unpacks to {size} MB; at most {max} MB are accepted."),
                      size=-(-total // 2**20), max=tabular.MAX_UNZIPPED // 2**20)
    if any(m.file_size > 2**20 and m.file_size > tabular.MAX_RATIO * max(m.compress_size, 1)
           for m in members):
        raise Refused(lazy("A part of the package unpacks to more than {ratio} times its packed "
                           "size."), ratio=tabular.MAX_RATIO)
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    raise Refused(NOT_ACCEPTED)


def _is_text(data: bytes) -> bool:
    """UTF-8 (or UTF-16 with its mark, or GB 18030 as Chinese offices save CSV) with no control
    characters but tab and line ends; text that is really HTML or SVG is refused outright."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return False
        head = text.encode("utf-8")
    else:
        if b"\x00" in data:
            return False
        head = data
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                return False
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n\f" for c in text):
        return False
    if _MARKUP.search(head):
        raise Refused(lazy("HTML, SVG and other markup are not accepted as attachments."))
    return True


def clean_filename(name: str, content_type: str) -> str:
    """A name safe to store and send back: no folders, no control or reserved characters, no
    leading dots, at most 200 characters, ending in an extension of the real type."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _FORBIDDEN_NAME.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    extensions = EXTENSIONS.get(content_type, ())
    # "invoice.pdf.exe" holding a PDF is saved as "invoice.pdf.exe.pdf": what opens it is
    # chosen by the last extension, so that one must tell the truth.
    if extensions and not name.lower().endswith(extensions):
        name += extensions[0]
    if not name or name.startswith("."):
        name = "file" + name
    if len(name) > 200:
        dot = name.rfind(".")
        tail = name[dot:] if 0 < dot and len(name) - dot <= 10 else ""
        name = name[:200 - len(tail)] + tail
    return name
