"""The file formats Shopdata reads, declared once: their extensions, the bytes they start with, and what
kind of file each is. read.py, guard.py, the Data page's uploader and the demo store all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a local file header, or the end record of an empty zip
OLE_MAGIC = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the compound file that holds a legacy .xls
# Parts that make a zip a workbook (OOXML's content types, ODF's mimetype) when its name does not say.
WORKBOOK_PARTS = frozenset({"[Content_Types].xml", "mimetype", "xl/workbook.xml"})


@dataclass(frozen=True)
class FileFormat:
    name: str
    extensions: tuple[str, ...]  # lower case, with the dot
    magic: tuple[bytes, ...]  # what the file's first bytes are when it is this format; () for text
    zip_container: bool  # its bytes are a zip archive
    workbook: bool  # a spreadsheet with sheets (read by calamine), not a text table or an archive of files


FORMATS = (
    FileFormat("text table", (".csv", ".tsv", ".txt"), (), zip_container=False, workbook=False),
    FileFormat("Excel workbook", (".xlsx", ".xlsm"), ZIP_MAGIC, zip_container=True, workbook=True),
    # Platforms also save HTML or XML Spreadsheet 2003 tables as .xls; read.py recognises those by markup.
    FileFormat("Excel 97-2003 workbook", (".xls",), OLE_MAGIC, zip_container=False, workbook=True),
    FileFormat("OpenDocument spreadsheet", (".ods",), ZIP_MAGIC, zip_container=True, workbook=True),
    FileFormat("zip archive", (".zip",), ZIP_MAGIC, zip_container=True, workbook=False),
)


def _extensions(*, zip_container: bool | None = None, workbook: bool | None = None) -> frozenset[str]:
    return frozenset(
        ext
        for f in FORMATS
        if (zip_container is None or f.zip_container == zip_container) and (workbook is None or f.workbook == workbook)
        for ext in f.extensions
    )


READABLE_EXTENSIONS: tuple[str, ...] = tuple(ext for f in FORMATS for ext in f.extensions)  # in FORMATS' order
TEXT_EXTENSIONS = _extensions(zip_container=False, workbook=False)
WORKBOOK_EXTENSIONS = _extensions(workbook=True)
ZIP_WORKBOOK_EXTENSIONS = _extensions(zip_container=True, workbook=True)  # never anything but a zip when intact
ZIP_EXTENSIONS = _extensions(zip_container=True, workbook=False)


def extension(file_name: str) -> str:
    """The lower-case extension with its dot, for names with either kind of slash (zip members, Windows)."""
    return PurePosixPath(file_name.replace("\\", "/")).suffix.lower()


def is_zip(head: bytes) -> bool:
    return head.startswith(ZIP_MAGIC)


def is_ole(head: bytes) -> bool:
    return head.startswith(OLE_MAGIC)
