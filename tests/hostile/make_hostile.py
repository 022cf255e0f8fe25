"""Hostile uploads, generated (never committed as binaries): every way a file can try to take the reader down.

Each `Hostile` names what it tries and a pattern the ReadError's message must match, so a test shows not
only that the file was refused but by the check meant for it.

    python tests/hostile/make_hostile.py DIR     writes every file to DIR
"""

from __future__ import annotations

import codecs
import io
import random
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

MB = 1 << 20


@dataclass(frozen=True)
class Hostile:
    name: str  # file name as uploaded (the extension matters to the reader)
    data: bytes
    what: str  # what it tries
    expect: str  # regular expression the ReadError message must match (re.search, case-insensitive)


# --------------------------------------------------------------------------------------------- messages
# The phrases guard.py and read.py use; a message matching none of them would not say what happened.

CELLS = r"declares .* rows × .* columns"
BOMB = r"compressed [\d,]+:1 .*zip bombs"
UNPACKS = r"unpacks to more than"
DOCTYPE = r"declares a document type or entities"
PROLOG = r"before its first element"
ENTRIES = r"the zip lists .* files, more than"
NESTED = r"nested more than \d+ deep"
UNSAFE = r"unsafe name"
SIZES = r"size that does not match its content"
LINE = r"line [\d,]+ is longer than [\d.,]+ MB; no table row is that long"
FIELDS = r"separated fields, more than"
BINARY = r"not a text table \(it contains binary data\)"
DAMAGED = r"(workbook|zip file) is damaged or incomplete"
MEMORY = r"could not be read safely: reading it needs more memory than"
NOT_TABLE = (
    r"(not a text table|encoding could not be recognised|holds bytes that are not valid|"
    r"could not be parsed|no readable table|has no table with data|no sheet of this workbook has any "
    r"data|damaged or incomplete)"
)
EMPTY = r"the file is empty"


# ------------------------------------------------------------------------------------------- building

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WORD_CONTENT_TYPES = (
    XML_DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
WORD_DOCUMENT = (
    XML_DECLARATION + '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
    'main"><w:body><w:p><w:r><w:t>Campaign report</w:t></w:r></w:p></w:body></w:document>'
)
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS = (
    XML_DECLARATION + f'<sst xmlns="{MAIN_NS}" count="2" uniqueCount="2">'
    "<si><t>Campaign</t></si><si><t>Clicks</t></si></sst>"
)
BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10))
    + "]>"
)


def cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def sheet_xml(cells: list[tuple[int, str]], dimension: str | None = "A1:B2", prolog: str = "") -> str:
    """cells: (row number, cell markup)."""
    rows: dict[int, list[str]] = {}
    for row, markup in cells:
        rows.setdefault(row, []).append(markup)
    data = "".join(f'<row r="{r}">{"".join(c)}</row>' for r, c in sorted(rows.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{XML_DECLARATION}{prolog}<worksheet xmlns="{MAIN_NS}">{dim}<sheetData>{data}</sheetData></worksheet>'


TINY_SHEET = sheet_xml(
    [(1, cell("A1", "Campaign")), (1, cell("B1", "Clicks")), (2, cell("A2", "Brand")), (2, '<c r="B2"><v>12</v></c>')]
)


def zip_bytes(members: list[tuple[str, bytes | str]], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, content in members:
            zf.writestr(name, content)
    return buffer.getvalue()


def xlsx(
    sheet: bytes | str = TINY_SHEET,
    shared: bytes | str = SHARED_STRINGS,
    content_types: bytes | str = CONTENT_TYPES,
    workbook_rels: bytes | str = WORKBOOK_RELS,
    workbook: bytes | str = WORKBOOK,
    extra: list[tuple[str, bytes | str]] = (),
) -> bytes:
    return zip_bytes(
        [
            ("[Content_Types].xml", content_types),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", workbook_rels),
            ("xl/sharedStrings.xml", shared),
            ("xl/worksheets/sheet1.xml", sheet),
            *extra,
        ]
    )


ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


def ods_content(table_body: str, prolog: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        + prolog
        + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f'<office:spreadsheet><table:table table:name="S">{table_body}</table:table></office:spreadsheet>'
        "</office:body></office:document-content>"
    )


ODS_ROWS = (
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Campaign</text:p>'
    "</table:table-cell></table:table-row>"
)


def ods(content: bytes | str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        zf.writestr("content.xml", content)
    return buffer.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int, int]], declared_count: int | None = None) -> bytes:
    """A zip written by hand, so its directory can say what zipfile would never write.

    entries: (name, compressed payload, compression method, declared compressed size, declared size)."""
    local, central = io.BytesIO(), io.BytesIO()
    for name, payload, method, compressed_size, size in entries:
        raw_name = name.encode("utf-8")
        offset = local.tell()
        crc = 0
        local.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                0x800,
                method,
                0,
                0,
                crc,
                min(compressed_size, 0xFFFFFFFF),
                min(size, 0xFFFFFFFF),
                len(raw_name),
                0,
            )
        )
        local.write(raw_name + payload)
        extra = b""
        if size >= 0xFFFFFFFF or compressed_size >= 0xFFFFFFFF:
            extra = struct.pack("<HHQQ", 1, 16, size, compressed_size)
        central.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                45,
                45,
                0x800,
                method,
                0,
                0,
                crc,
                0xFFFFFFFF if extra else compressed_size,
                0xFFFFFFFF if extra else size,
                len(raw_name),
                len(extra),
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(raw_name + extra)
    count = len(entries) if declared_count is None else declared_count
    directory = central.getvalue()
    start = local.tell()
    zip64 = b""
    if count > 0xFFFF:  # the classic end record counts to 65,535; a zip64 one says the rest
        zip64 = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), start)
        zip64 += struct.pack("<4sIQI", b"PK\x06\x07", 0, start + len(directory), 1)
    short = min(count, 0xFFFF)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, short, short, len(directory), start, 0)
    return local.getvalue() + directory + zip64 + end


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def many_entries_zip(n: int) -> bytes:
    return raw_zip([(f"e{i}.csv", b"", 0, 0, 0) for i in range(n)])


def forge_entry_count(data: bytes, count: int) -> bytes:
    end = data.rindex(b"PK\x05\x06")
    return data[: end + 8] + struct.pack("<HH", count, count) + data[end + 12 :]


def encrypted_flag(data: bytes) -> bytes:
    """Mark every member as encrypted (bit 0 of the flags) in both headers."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (at := out.find(signature, start)) >= 0:
            out[at + flag_at] |= 1
            start = at + 4
    return bytes(out)


def noise(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def utf16_bom(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def nest(inner_name: str, inner: bytes, levels: int) -> bytes:
    data, name = inner, inner_name
    for level in range(levels):
        data, name = zip_bytes([(name, data)]), f"level{level}.zip"
    return data


def xls_ole_header_then(junk: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + junk


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


# ---------------------------------------------------------------------------------------------- the list


def _cases() -> list[Callable[[], list[Hostile]]]:
    def dimensions() -> list[Hostile]:
        return [
            Hostile(
                "dimension_XFD1048576.xlsx",
                xlsx(sheet_xml([(1, cell("A1", "x"))], "A1:XFD1048576")),
                "a 2 KB workbook declaring every cell of the grid",
                CELLS,
            ),
            Hostile(
                "dimension_beyond_excel.xlsx",
                xlsx(sheet_xml([(1, cell("A1", "x"))], "A1:ZZZZ10")),
                "a dimension wider than Excel allows",
                CELLS,
            ),
            Hostile(
                "dimension_100M_cells.xlsx",
                xlsx(sheet_xml([(1, cell("A1", "x"))], "A1:CV1000000")),
                "100 columns × a million rows declared",
                CELLS,
            ),
            Hostile(
                "dimension_prefixed_ns.xlsx",
                xlsx(
                    f'{XML_DECLARATION}<x:worksheet xmlns:x="{MAIN_NS}"><x:dimension ref="A1:XFD1048576"/>'
                    "<x:sheetData/></x:worksheet>"
                ),
                "the same behind a namespace prefix",
                CELLS,
            ),
            Hostile(
                "corner_cells_no_dimension.xlsx",
                xlsx(sheet_xml([(1, cell("A1", "x")), (1048576, cell("XFD1048576", "y"))], dimension=None)),
                "cells at A1 and XFD1048576 without a dimension: calamine allocates the grid",
                MEMORY,
            ),
            Hostile(
                "corner_cells_lying_dimension.xlsx",
                xlsx(sheet_xml([(1, cell("A1", "x")), (300000, cell("ZZ300000", "y"))], dimension="A1")),
                "a dimension of A1 and cells 200 million grid cells apart",
                MEMORY,
            ),
        ]

    def xml_bombs() -> list[Hostile]:
        laughs_shared = XML_DECLARATION + BILLION_LAUGHS + f'<sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>'
        laughs_sheet = sheet_xml([(1, cell("A1", "&lol9;"))], prolog=BILLION_LAUGHS)
        external = sheet_xml(
            [(1, cell("A1", "&xxe;"))], prolog='<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        )
        padded = sheet_xml([(1, cell("A1", "&lol9;"))], prolog="<!--" + "p" * (80 * 1024) + "-->" + BILLION_LAUGHS)
        utf16_sheet = codecs.BOM_UTF16_LE + laughs_sheet.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode(
            "utf-16-le"
        )
        return [
            Hostile(
                "billion_laughs_sharedStrings.xlsx",
                xlsx(shared=laughs_shared),
                "billion laughs in sharedStrings.xml",
                DOCTYPE,
            ),
            Hostile("billion_laughs_sheet.xlsx", xlsx(sheet=laughs_sheet), "billion laughs in the sheet XML", DOCTYPE),
            Hostile("external_entity.xlsx", xlsx(sheet=external), "an external entity reading /etc/passwd", DOCTYPE),
            Hostile(
                "doctype_behind_80KB_comment.xlsx",
                xlsx(sheet=padded),
                "the DOCTYPE hidden after 80 KB of comment",
                PROLOG,
            ),
            Hostile(
                "billion_laughs_utf16.xlsx", xlsx(sheet=utf16_sheet), "billion laughs in UTF-16 sheet XML", DOCTYPE
            ),
            Hostile(
                "doctype_content_types.xlsx",
                xlsx(content_types=CONTENT_TYPES.replace("\n", "\n" + BILLION_LAUGHS, 1)),
                "billion laughs in [Content_Types].xml",
                DOCTYPE,
            ),
            Hostile(
                "doctype_workbook_rels.xlsm",
                xlsx(
                    workbook_rels=WORKBOOK_RELS.replace(
                        "\n", '\n<!DOCTYPE r [<!ENTITY e SYSTEM "http://127.0.0.1:1/">]>', 1
                    )
                ),
                "an external entity in the workbook relationships",
                DOCTYPE,
            ),
            Hostile(
                "billion_laughs.ods",
                ods(
                    ods_content(
                        '<table:table-row><table:table-cell office:value-type="string"><text:p>&lol9;</text:p>'
                        "</table:table-cell></table:table-row>",
                        prolog=BILLION_LAUGHS,
                    )
                ),
                "billion laughs in content.xml",
                DOCTYPE,
            ),
            Hostile(
                "external_entity.ods",
                ods(ods_content(ODS_ROWS, prolog=('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/shadow">]>'))),
                "an external entity in ODS",
                DOCTYPE,
            ),
        ]

    def zip_bombs() -> list[Hostile]:
        zeros = b"\0" * (4 * MB)
        repeated_row = ("<row>" + '<c t="inlineStr"><is><t>a</t></is></c>' * 50 + "</row>") * 4_000
        inner_bomb = zip_bytes([(f"part{i}.csv", b"a," * (2 * MB)) for i in range(4)])
        lying = deflate(b"a,b\n" * (4 * MB))
        return [
            Hostile("flat_zip_bomb.zip", zip_bytes([("report.csv", zeros)]), "4 MB of zeros in a 4 KB zip", BOMB),
            Hostile(
                "zip_bomb_many_members.zip",
                zip_bytes([(f"r{i}.csv", b"1," * MB) for i in range(8)]),
                "eight 2 MB members of one repeated byte pair",
                BOMB,
            ),
            Hostile(
                "nested_zip_bomb.zip",
                zip_bytes([(f"inner{i}.zip", inner_bomb) for i in range(16)]),
                "42.zip style: zips of zips of highly compressed members",
                BOMB,
            ),
            Hostile(
                "sharedStrings_bomb.xlsx",
                xlsx(shared=XML_DECLARATION + f'<sst xmlns="{MAIN_NS}"><si><t>' + "a" * (8 * MB) + "</t></si></sst>"),
                "an 8 MB shared string of one letter",
                BOMB,
            ),
            Hostile(
                "sheet_xml_bomb.xlsx",
                xlsx(
                    sheet=sheet_xml([])[: -len("</sheetData></worksheet>")] + repeated_row + "</sheetData></worksheet>"
                ),
                "200,000 identical cells, 7 MB of XML",
                BOMB,
            ),
            Hostile(
                "huge_declared_size.zip",
                raw_zip([("report.csv", deflate(b"a,b\n"), 8, 1 << 33, 1 << 40)]),
                "a member declaring a terabyte unpacked",
                UNPACKS,
            ),
            Hostile(
                "huge_declared_total.zip",
                raw_zip([(f"r{i}.csv", deflate(b"a,b\n"), 8, 100 * MB, 200 * MB) for i in range(8)]),
                "members declaring 1.6 GB in all",
                UNPACKS,
            ),
            Hostile(
                "lying_small_size.zip",
                raw_zip([("report.csv", lying, 8, len(lying), 16)]),
                "a member that says 16 bytes and inflates to 16 MB",
                SIZES,
            ),
            Hostile(
                "ods_repeat_bomb.ods",
                ods(
                    ods_content(
                        '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" '
                        'office:value="1" table:number-columns-repeated="1000"/></table:table-row>'
                    )
                ),
                "one ODS cell repeated into 100 million",
                MEMORY,
            ),
        ]

    def containers() -> list[Hostile]:
        csv_table = b"Campaign,Clicks\nBrand,12\n"
        good_xlsx = xlsx()
        return [
            Hostile("deeply_nested.zip", nest("report.csv", csv_table, 6), "a table six zips deep", NESTED),
            Hostile(
                "workbook_three_deep.zip",
                nest("report.xlsx", good_xlsx, 2),
                "a workbook inside a zip inside a zip",
                NESTED,
            ),
            Hostile("100k_empty_entries.zip", many_entries_zip(100_000), "a zip listing 100,000 empty files", ENTRIES),
            Hostile(
                "20k_entries_count_forged.zip",
                forge_entry_count(many_entries_zip(20_000), 3),
                "20,000 entries behind an end record that says 3",
                ENTRIES,
            ),
            Hostile(
                "path_traversal.zip",
                zip_bytes([("../../etc/passwd.csv", csv_table)]),
                "a member named ../../etc/passwd.csv",
                UNSAFE,
            ),
            Hostile(
                "absolute_path.zip",
                zip_bytes([("/etc/cron.d/report.csv", csv_table)]),
                "a member with an absolute path",
                UNSAFE,
            ),
            Hostile(
                "windows_drive_path.zip",
                raw_zip([("C:\\Windows\\report.csv", csv_table, 0, len(csv_table), len(csv_table))]),
                "a member with a drive letter",
                UNSAFE,
            ),
            Hostile(
                "traversal_in_workbook.xlsx",
                xlsx(extra=[("../../../tmp/evil.xml", "<a/>")]),
                "a workbook part outside the package",
                UNSAFE,
            ),
            Hostile("empty.zip", zip_bytes([]), "a zip with nothing in it", r"no readable table"),
            Hostile("empty_zip_as.xlsx", zip_bytes([]), "an empty zip named .xlsx", DAMAGED),
            Hostile(
                "encrypted_member.zip",
                encrypted_flag(zip_bytes([("report.csv", csv_table)], zipfile.ZIP_STORED)),
                "a member flagged as encrypted",
                r"password-protected",
            ),
            Hostile(
                "bad_crc.zip",
                good_crc_broken(zip_bytes([("report.csv", csv_table * 50)], zipfile.ZIP_STORED)),
                "a member whose bytes do not match its checksum",
                DAMAGED,
            ),
            Hostile(
                "name_mismatch.zip",
                zip_bytes([("report.csv", csv_table)]).replace(b"report.csv", b"rEport.csv", 1),
                "local header and directory disagree on the name",
                DAMAGED,
            ),
            Hostile(
                "dimension_bomb_inside.zip",
                zip_bytes([("report.xlsx", xlsx(sheet_xml([(1, cell("A1", "x"))], "A1:XFD1048576")))]),
                "the XFD1048576 workbook inside a zip",
                CELLS,
            ),
            Hostile(
                "wide_csv_inside.zip",
                zip_bytes([("report.csv", ",".join(["c"] * 100_000).encode() + b"\n1\n")]),
                "a 100,000-column line inside a zip",
                FIELDS,
            ),
            Hostile(
                "disguised_as.csv",
                xlsx(sheet_xml([(1, cell("A1", "x"))], "A1:XFD1048576")),
                "the XFD1048576 workbook named .csv",
                CELLS,
            ),
        ]

    def truncated() -> list[Hostile]:
        good = xlsx()
        cases = [
            Hostile(
                f"truncated_{int(share * 100)}pct.xlsx",
                good[: int(len(good) * share)],
                f"a workbook cut at {share:.0%}",
                DAMAGED,
            )
            for share in (0.1, 0.5, 0.9)
        ]
        cases.append(Hostile("truncated_last_byte.xlsx", good[:-1], "a workbook missing its last byte", DAMAGED))
        cases.append(Hostile("magic_only.xlsx", b"PK\x03\x04", "only the zip signature", DAMAGED))
        zipped = zip_bytes([("report.csv", b"Campaign,Clicks\n" + b"Brand,12\n" * 500)])
        cases.append(Hostile("truncated_half.zip", zipped[: len(zipped) // 2], "a zip cut in half", DAMAGED))
        ods_file = ods(ods_content(ODS_ROWS))
        cases.append(Hostile("truncated.ods", ods_file[: len(ods_file) * 2 // 3], "an ODS cut short", DAMAGED))
        return cases

    def broken_workbooks() -> list[Hostile]:
        return [
            Hostile("garbage_sheet_xml.xlsx", xlsx(sheet=noise(1, 4096)), "the sheet part is random bytes", DAMAGED),
            Hostile(
                "unclosed_sheet_xml.xlsx",
                xlsx(
                    sheet=f'{XML_DECLARATION}<worksheet xmlns="{MAIN_NS}">'
                    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x'
                ),
                "the sheet XML stops mid-cell",
                DAMAGED,
            ),
            Hostile(
                "word_document_as.xlsx",
                zip_bytes(
                    [
                        ("[Content_Types].xml", WORD_CONTENT_TYPES),
                        ("_rels/.rels", ROOT_RELS.replace("xl/workbook.xml", "word/document.xml")),
                        ("word/document.xml", WORD_DOCUMENT),
                    ]
                ),
                "a Word document named .xlsx (content types of a document)",
                DAMAGED,
            ),
            Hostile(
                "no_workbook_part.xlsx",
                zip_bytes([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS)]),
                "a package without xl/workbook.xml",
                DAMAGED,
            ),
            Hostile(
                "sheet_points_nowhere.xlsx",
                xlsx(workbook_rels=WORKBOOK_RELS.replace("worksheets/sheet1.xml", "worksheets/missing.xml")),
                "the sheet relationship points nowhere",
                DAMAGED,
            ),
            Hostile(
                "shared_string_out_of_range.xlsx",
                xlsx(sheet=sheet_xml([(1, '<c r="A1" t="s"><v>999999999</v></c>')])),
                "a shared-string index far past the table",
                NOT_TABLE,
            ),
            Hostile(
                "row_number_overflow.xlsx",
                xlsx(sheet=sheet_xml([(1, cell("A1", "x")), (2, cell("A99999999999999999999", "y"))], dimension=None)),
                "a cell reference with a 20-digit row number",
                r"(damaged|could not be read safely)",
            ),
            Hostile(
                "column_letters_overflow.xlsx",
                xlsx(sheet=sheet_xml([(1, cell("A1", "x")), (2, cell("AAAAAAAA2", "y"))], dimension=None)),
                "a cell reference with eight column letters",
                r"(damaged|could not be read safely)",
            ),
            Hostile(
                "row_number_zero.xlsx",
                xlsx(sheet=sheet_xml([(1, cell("A0", "x"))], dimension=None)),
                "a cell in row 0",
                DAMAGED,
            ),
            Hostile("garbage_content.ods", ods(noise(2, 4096)), "an ODS whose content.xml is random bytes", DAMAGED),
            Hostile("png_as.xls", PNG, "a PNG image named .xls", BINARY),
            Hostile(
                "ole_header_then_noise.xls",
                xls_ole_header_then(noise(3, 4096)),
                "an OLE signature followed by noise",
                DAMAGED,
            ),
            Hostile("ole_header_only.xls", xls_ole_header_then(b""), "just the OLE signature", DAMAGED),
            Hostile(
                "xml2003_billion_laughs.xls",
                (
                    XML_DECLARATION + BILLION_LAUGHS + '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
                    "<Data>&lol9;</Data></Workbook>"
                ).encode(),
                "an XML Spreadsheet 2003 with entities",
                r"XML Spreadsheet 2003",
            ),
            Hostile(
                "html_colspan_bomb.xls",
                b'<html><table><tr><td colspan="2000000000">x</td></tr></table></html>',
                "an HTML table cell spanning two billion columns",
                MEMORY,
            ),
        ]

    def text() -> list[Hostile]:
        header = b"Campaign,Clicks,Cost\n"
        return [
            Hostile(
                "100k_columns.csv",
                ",".join(f"c{i}" for i in range(100_000)).encode() + b"\n1,2\n",
                "a 100,000-column header line",
                FIELDS,
            ),
            Hostile(
                "100k_tab_columns.tsv", b"\t".join([b"x"] * 100_000) + b"\n", "100,000 tab-separated fields", FIELDS
            ),
            Hostile("10MB_single_line.csv", b"a," * (5 * MB), "10 MB without a line break", LINE),
            Hostile(
                "2MB_line_third.csv",
                header + b"Brand,1,2\n" + b"x" * (2 * MB) + b"\nGeneric,3,4\n",
                "a 2 MB third line",
                LINE,
            ),
            Hostile(
                "nul_filled_tail.csv",
                header + b"Brand,12,3.5\n" + b"\0" * (5 * MB),
                "a real table followed by 5 MB of NUL bytes",
                BINARY,
            ),
            Hostile(
                "nul_tail_short.csv",
                header + b"Brand,12,3.5\n" + b"\0" * 4096,
                "a real table followed by 4 KB of NUL bytes",
                BINARY,
            ),
            Hostile("cr_only_10MB.csv", b"a" * (3 * MB) + b"\r" + b"b" * 10, "a 3 MB line ended by a bare CR", LINE),
            Hostile(
                "utf16_garbage.csv", codecs.BOM_UTF16_LE + noise(4, 8192), "a UTF-16 BOM before random bytes", NOT_TABLE
            ),
            Hostile("utf16_long_line.txt", utf16_bom("x" * (MB // 2 + 10)), "a UTF-16 line of a million bytes", LINE),
            Hostile(
                "utf16_100k_fields.tsv",
                utf16_bom("\t".join(["f"] * 100_000) + "\n"),
                "100,000 tab-separated fields in UTF-16",
                FIELDS,
            ),
            Hostile(
                "utf8_bom_then_invalid.csv",
                codecs.BOM_UTF8 + b"a,b\n\xff\xfe\xfd,1\n",
                "a UTF-8 BOM and invalid UTF-8",
                NOT_TABLE,
            ),
            Hostile(
                "unclosed_quote_5MB.csv",
                header + b'"' + b"open quote\n" * (500_000),
                "a quote never closed across 5 MB of lines",
                NOT_TABLE,
            ),
            Hostile("control_characters.txt", bytes(range(1, 32)) * 200, "control characters only", NOT_TABLE),
            Hostile("only_whitespace.csv", b" \r\n\t" * 1000, "blank lines only", EMPTY),
            Hostile("zero_bytes.xlsx", b"", "an empty file named .xlsx", EMPTY),
        ]

    def noise_files() -> list[Hostile]:
        extensions = [".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".zip"]
        cases = [
            Hostile(f"noise{ext}", noise(10 + i, 64 * 1024), f"64 KB of random bytes named {ext}", NOT_TABLE)
            for i, ext in enumerate(extensions)
        ]
        cases += [
            Hostile(
                f"zip_magic_noise{ext}",
                b"PK\x03\x04" + noise(30 + i, 16 * 1024),
                f"a zip signature and random bytes named {ext}",
                DAMAGED,
            )
            for i, ext in enumerate([".xlsx", ".zip", ".ods"])
        ]
        return cases

    return [dimensions, xml_bombs, zip_bombs, containers, truncated, broken_workbooks, text, noise_files]


def good_crc_broken(data: bytes) -> bytes:
    """Flip one byte of a stored member's content, leaving its checksum as written."""
    at = data.index(b"Brand")
    return data[:at] + b"X" + data[at + 1 :]


def hostile_files() -> list[Hostile]:
    files = [case for group in _cases() for case in group()]
    names = [f.name for f in files]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"duplicate hostile file names: {sorted(duplicates)}")
    return files


def write_all(directory: Path) -> list[tuple[Hostile, Path]]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for hostile in hostile_files():
        path = directory / hostile.name
        path.write_bytes(hostile.data)
        written.append((hostile, path))
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile/make_hostile.py DIR")
    for hostile, path in write_all(Path(sys.argv[1])):
        print(f"{len(hostile.data):>12,}  {path}  — {hostile.what}")
