"""The type of a file is what its bytes say; refused kinds are refused whatever their name."""

from __future__ import annotations

import pytest

from bastion.attachments import sniff
from tests.attachments import samples


@pytest.mark.parametrize(("data", "name", "expected"), [
    (samples.PDF, "a.pdf", sniff.PDF),
    (samples.png(), "a.png", sniff.PNG),
    (samples.jpeg(), "photo.jpg", sniff.JPEG),
    (samples.office("xlsx"), "crew.xlsx", sniff.XLSX),
    (samples.office("docx"), "report.docx", sniff.DOCX),
    ("界碑 1047 — 东侧便道\n".encode(), "note.txt", sniff.TEXT),
    ("姓名,证件号\n李振宇,E1234\n".encode("gb18030"), "list.csv", sniff.CSV),
    (b"\xef\xbb\xbfname,doc\nWANG,E1\n", "list.csv", sniff.CSV),
    (samples.PDF, "looks-like.txt", sniff.PDF),  # the name does not decide
])
def test_accepted_kinds_are_told_from_the_bytes(data, name, expected):
    assert sniff.sniff(data, name).content_type == expected


@pytest.mark.parametrize("data", [samples.EXE, samples.ELF, b"#!/bin/sh\nrm -rf /\n",
                                  samples.HTML, samples.SVG, b"  <script>alert(1)</script>",
                                  samples.office("xlsx", macros=True), b"PK\x03\x04broken",
                                  b"\x00\x01\x02binary", b"GIF89a\x01\x00\x01\x00"])
def test_programs_markup_and_unknown_kinds_are_refused(data):
    with pytest.raises(sniff.Refused):
        sniff.sniff(data, "harmless.txt")


def test_image_sizes_are_read_and_bombs_refused():
    assert (sniff.sniff(samples.png(3, 2)).width, sniff.sniff(samples.png(3, 2)).height) == (3, 2)
    found = sniff.sniff(samples.jpeg(640, 480))
    assert (found.width, found.height) == (640, 480)
    with pytest.raises(sniff.Refused):
        sniff.sniff(samples.png(60000, 60000, pixels=False))
    with pytest.raises(sniff.Refused):
        sniff.sniff(samples.png(0, 10, pixels=False))
    with pytest.raises(sniff.Refused):
        sniff.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF")  # no frame header


@pytest.mark.parametrize(("name", "kind", "expected"), [
    ("../../etc/passwd", sniff.TEXT, "passwd.txt"),
    ("C:\\Users\\x\\报告.pdf", sniff.PDF, "报告.pdf"),
    ("invoice.pdf.exe", sniff.PDF, "invoice.pdf.exe.pdf"),
    ("a\x00b<c>:d.png", sniff.PNG, "a_b_c__d.png"),
    ("...hidden", sniff.TEXT, "hidden.txt"),
    ("", sniff.PDF, "file.pdf"),
    ("photo.JPEG", sniff.JPEG, "photo.JPEG"),
])
def test_file_names_are_cleaned(name, kind, expected):
    assert sniff.clean_filename(name, kind) == expected


def test_long_names_keep_their_extension():
    name = sniff.clean_filename("x" * 400 + ".pdf", sniff.PDF)
    assert len(name) == 200 and name.endswith(".pdf")
