"""Errors and warnings of the library (reading, checking, recognising, cleaning and loading a file), with the
steps they name. Code raises them as `Message(key, **params)`; the command line prints the English, the
Data page shows the language of the page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # the frame of every error: which step, what, what to do
    "error.plain": {"en": "{step}: {message}", "zh": "{step}：{message}"},
    "error.with_hint": {"en": "{step}: {message} — {hint}", "zh": "{step}：{message} —— {hint}"},
    "error.throttled": {
        "en": "too many failed sign-ins; try again in {seconds} s",
        "zh": "登录失败次数过多；请 {seconds} 秒后再试",
    },
    "step.shopdata": {"en": "shopdata", "zh": "Shopdata"},
    "step.read": {"en": "read", "zh": "读取"},
    "step.locate": {"en": "locate", "zh": "定位表头"},
    "step.recognise": {"en": "recognise", "zh": "识别"},
    "step.validate": {"en": "validate", "zh": "校验"},
    "step.load": {"en": "load", "zh": "导入"},
    "step.database": {"en": "database", "zh": "数据库"},
    "step.backup": {"en": "backup", "zh": "备份"},
    "step.accounts": {"en": "accounts", "zh": "账户"},
    "step.sign-in": {"en": "sign-in", "zh": "登录"},
    "step.serve": {"en": "serve", "zh": "服务"},
    "step.report": {"en": "report", "zh": "报表"},
    # what to do
    "hint.reexport": {
        "en": "Export the report from the platform again and upload that file unchanged.",
        "zh": "请从平台重新导出报表，并原样上传该文件。",
    },
    "hint.smaller": {
        "en": "If it is a genuine export, export a shorter period or fewer columns (or save it as CSV) and upload that.",
        "zh": "如果这是真实的导出文件，请导出更短的时间段或更少的列（或另存为 CSV）后再上传。",
    },
    "hint.zip_only_reports": {
        "en": "Put only the report files in the zip, or upload them directly.",
        "zh": "压缩包里只放报表文件，或直接上传这些文件。",
    },
    "hint.unpack_zip": {
        "en": "Unpack the zip yourself and upload the report files inside it.",
        "zh": "请自行解压，并上传其中的报表文件。",
    },
    "hint.unsafe_name": {
        "en": "Real exports never contain such names; unpack the zip yourself and upload the reports.",
        "zh": "真实的导出文件不会包含这样的文件名；请自行解压并上传报表。",
    },
    "hint.sheet_too_big": {
        "en": "If the sheet really is that big, export a shorter period or fewer columns; otherwise open it in "
        "Excel, delete the empty rows and columns after the data, save and upload again.",
        "zh": "如果工作表确实这么大，请导出更短的时间段或更少的列；否则请用 Excel 打开，删除数据之后的空行和空列，"
        "保存后重新上传。",
    },
    "hint.check_file": {
        "en": "Check that the file still exists and is readable.",
        "zh": "请确认文件仍然存在且可以读取。",
    },
    "hint.check_file_disk": {
        "en": "Check that the file still exists and is readable, and that the disk is not full.",
        "zh": "请确认文件仍然存在且可以读取，并且磁盘没有写满。",
    },
    "hint.save_utf8": {
        "en": "Open it in Excel or a text editor and save it as 'CSV UTF-8', then upload that file.",
        "zh": "请用 Excel 或文本编辑器打开，另存为“CSV UTF-8”，再上传该文件。",
    },
    "hint.upload_as_exported": {
        "en": "upload the report as the platform exports it, or choose the kind and map the columns on the Data page",
        "zh": "请上传平台原样导出的报表，或在“数据”页选择文件类型并映射字段",
    },
    "hint.supported_exports": {
        "en": "supported: 生意参谋/万相台/京东商智/拼多多 reports, Shopify, Amazon Business and Sponsored Products "
        "reports, Google Ads, Meta Ads, GA, behaviour logs, order and price sheets — see README",
        "zh": "支持：生意参谋/万相台/京东商智/拼多多 报表、Shopify、Amazon Business 与 Sponsored Products 报表、"
        "Google Ads、Meta Ads、GA、行为日志、订单表和价格表——详见 README",
    },
    "hint.no_header": {
        "en": "upload the report as the platform exports it (title rows are fine), or check it is a store or ad export",
        "zh": "请上传平台原样导出的报表（带标题行也可以），或确认它是店铺或广告的导出文件",
    },
    "hint.use_kind": {"en": "use one of: {kinds}", "zh": "请使用以下之一：{kinds}"},
    "hint.pick_column": {"en": "pick one of the file's columns", "zh": "请选择文件中的某一列"},
    "hint.map_field": {
        "en": "name the column with --map FIELD=COLUMN (e.g. --map {example}), or choose it on the Data page",
        "zh": "请用 --map 字段=列名 指定（例如 --map {example}），或在“数据”页面中选择",
    },
    "hint.fields_of_kind": {"en": "its fields: {fields}", "zh": "可用的字段：{fields}"},
    "hint.date_order": {
        "en": "say how the file writes its dates: --date-order dmy (day first, 01/11 = 1 November) or "
        "--date-order mdy (month first, 01/11 = 11 January), or choose it on the Data page",
        "zh": "请说明文件的日期写法：--date-order dmy（日在前，01/11 即 11 月 1 日）或 --date-order mdy"
        "（月在前，01/11 即 1 月 11 日），或在“数据”页面中选择",
    },
    "hint.date_column": {
        "en": "check the column mapping, or export the report with dates in one format",
        "zh": "请检查字段映射，或导出日期格式统一的报表",
    },
    "hint.mixed_dates": {
        "en": "check for mixed day-first and month-first dates or stray text in the column",
        "zh": "请检查该列是否混用了“日在前”和“月在前”的日期，或夹杂了其他文字",
    },
    "hint.give_period": {
        "en": "give the period it covers: --period FROM..TO on the command line, or the date range on the Data page",
        "zh": "请填写它覆盖的日期范围：命令行用 --period FROM..TO，或在“数据”页选择日期范围",
    },
    "hint.check_mapping": {
        "en": "check that this is the right report and the column mapping is right",
        "zh": "请确认这是正确的报表，且字段映射无误",
    },
    # the guard: an upload bigger, more compressed, more nested or stranger than a real export
    "guard.too_big": {
        "en": "{file}: the file is {size}, more than the {cap} an upload may have",
        "zh": "{file}：文件大小为 {size}，超过了上传上限 {cap}",
    },
    "guard.member_too_big": {
        "en": "{file}: the file in the zip is {size}, more than the {cap} an upload may have",
        "zh": "{file}：压缩包中的文件大小为 {size}，超过了上传上限 {cap}",
    },
    "guard.damaged_workbook": {
        "en": "{file}: the workbook is damaged or incomplete{detail}",
        "zh": "{file}：工作簿已损坏或不完整{detail}",
    },
    "guard.damaged_zip": {
        "en": "{file}: the zip file is damaged or incomplete{detail}",
        "zh": "{file}：压缩包已损坏或不完整{detail}",
    },
    "guard.more_than": {"en": "more than {count}", "zh": "超过 {count} 个"},
    "guard.zip_entries": {
        "en": "{file}: the zip lists {count} files, more than the {cap} Shopdata opens (a real export holds a few)",
        "zh": "{file}：压缩包列出了 {count} 个文件，超过 Shopdata 可打开的 {cap} 个（真实的导出文件只有几个）",
    },
    "guard.zip_nested": {
        "en": "{file}: zip files are nested more than {depth} deep",
        "zh": "{file}：压缩包嵌套超过 {depth} 层",
    },
    "guard.unsafe_name": {
        "en": "{file}: the zip holds a file with an unsafe name ({member})",
        "zh": "{file}：压缩包中有一个名称不安全的文件（{member}）",
    },
    "guard.unpacks_workbook": {
        "en": "{file}: the workbook says it unpacks to more than {cap}, more than Shopdata reads",
        "zh": "{file}：工作簿声明解压后超过 {cap}，超出 Shopdata 的读取上限",
    },
    "guard.unpacks_zip": {
        "en": "{file}: the zip says it unpacks to more than {cap}, more than Shopdata reads",
        "zh": "{file}：压缩包声明解压后超过 {cap}，超出 Shopdata 的读取上限",
    },
    "guard.zip_bomb": {
        "en": "{file}: {member} is compressed {ratio}:1 ({size} from {packed} bytes); real exports compress less "
        "than {cap}:1 and files like this are zip bombs",
        "zh": "{file}：{member} 的压缩比为 {ratio}:1（由 {packed} 字节解压为 {size}）；真实导出文件的压缩比低于 "
        "{cap}:1，这样的文件是“压缩炸弹”",
    },
    "guard.forged_size": {
        "en": "{file}: the zip's directory gives {member} a size that does not match its content (damaged or forged)",
        "zh": "{file}：压缩包目录中 {member} 的大小与其内容不符（已损坏或被伪造）",
    },
    "guard.xml_doctype": {
        "en": "{file}: {part} declares a document type or entities (<!DOCTYPE …>), which spreadsheets never do; "
        "files like this are built to exhaust memory ('XML bombs') or read other files",
        "zh": "{file}：{part} 声明了文档类型或实体（<!DOCTYPE …>），电子表格从不这样做；"
        "这类文件是为了耗尽内存（“XML 炸弹”）或读取其他文件而构造的",
    },
    "guard.xml_prolog": {
        "en": "{file}: {part} starts with more than {kb} KB before its first element, which no spreadsheet "
        "program writes",
        "zh": "{file}：{part} 在第一个元素之前有超过 {kb} KB 的内容，没有任何电子表格程序会这样写",
    },
    "guard.sheet_declares": {
        "en": "{file}: {sheet} declares {rows} rows × {columns} columns ({ref})",
        "zh": "{file}：{sheet} 声明了 {rows} 行 × {columns} 列（{ref}）",
    },
    "guard.sheet_beyond": {
        "en": "{where}, beyond what a spreadsheet can hold ({rows} rows × {columns} columns)",
        "zh": "{where}，超出了电子表格的容量（{rows} 行 × {columns} 列）",
    },
    "guard.sheet_cells": {
        "en": "{where}: {cells} cells, more than the {cap} Shopdata reads from one sheet",
        "zh": "{where}：共 {cells} 个单元格，超过 Shopdata 每个工作表读取的上限 {cap}",
    },
    "guard.line_too_long": {
        "en": "{file}: line {line} is longer than {cap}; no table row is that long, so this is not a table export, "
        "or it is damaged",
        "zh": "{file}：第 {line} 行超过 {cap}；表格的行不会这么长，所以这不是表格导出文件，或者文件已损坏",
    },
    "guard.too_many_fields": {
        "en": "{file}: line {line} has {fields} {delimiter}-separated fields, more than the {cap} columns "
        "Shopdata reads",
        "zh": "{file}：第 {line} 行有 {fields} 个以{delimiter}分隔的字段，超过 Shopdata 读取的 {cap} 列",
    },
    "delimiter.tab": {"en": "tab", "zh": "制表符"},
    "delimiter.comma": {"en": "comma", "zh": "逗号"},
    "delimiter.semicolon": {"en": "semicolon", "zh": "分号"},
    "delimiter.bar": {"en": "bar", "zh": "竖线"},
    # reading
    "read.cannot_open": {
        "en": "{file}: the file could not be read ({reason})",
        "zh": "{file}：无法读取文件（{reason}）",
    },
    "read.empty": {"en": "{file}: the file is empty", "zh": "{file}：文件是空的"},
    "read.workbook_damaged": {
        "en": "{file}: the workbook is damaged or incomplete, export it again",
        "zh": "{file}：工作簿已损坏或不完整，请重新导出",
    },
    "read.zip_in_zip": {"en": "{file}: a zip inside a zip is not read", "zh": "{file}：不读取压缩包中的压缩包"},
    "hint.unpack_outer": {
        "en": "Unpack the outer zip and upload the inner one.",
        "zh": "请解压外层压缩包，再上传里面的压缩包。",
    },
    "read.not_text": {
        "en": "{file}: this is not a text table (it contains binary data)",
        "zh": "{file}：这不是文本表格（其中含有二进制数据）",
    },
    "hint.upload_export": {
        "en": "Upload the CSV, TSV, Excel or ODS file exported by the platform.",
        "zh": "请上传平台导出的 CSV、TSV、Excel 或 ODS 文件。",
    },
    "read.bad_unicode": {
        "en": "{file}: the file starts as {encoding} text but holds bytes that are not valid {encoding}; it is damaged",
        "zh": "{file}：文件开头是 {encoding} 文本，但含有无效的 {encoding} 字节；文件已损坏",
    },
    "read.unknown_encoding": {
        "en": "{file}: the text encoding could not be recognised (it is not UTF-8, UTF-16 or GB18030/GBK)",
        "zh": "{file}：无法识别文本编码（不是 UTF-8、UTF-16 或 GB18030/GBK）",
    },
    # locating the table and recognising it
    "locate.no_header": {
        "en": "no header row with column names Shopdata knows was found in the first rows, and the content is "
        "not a behaviour log it can read without one",
        "zh": "前几行中没有找到 Shopdata 认识的表头行，内容也不是无需表头即可读取的行为日志",
    },
    "recognise.unknown_kind": {"en": "unknown kind {kind}", "zh": "未知的文件类型 {kind}"},
    "recognise.closest": {
        "en": "the columns ({columns}) look closest to a {layout}, but it lacks {missing}",
        "zh": "这些列（{columns}）最接近 {layout}，但缺少 {missing}",
    },
    "recognise.unknown_of_kind": {
        "en": "the columns ({columns}) are not a {kind} export Shopdata knows",
        "zh": "这些列（{columns}）不是 Shopdata 认识的{kind}导出文件",
    },
    "recognise.unknown": {
        "en": "the columns ({columns}) are not a store or ad export Shopdata knows",
        "zh": "这些列（{columns}）不是 Shopdata 认识的店铺或广告导出文件",
    },
    "recognise.ambiguous": {
        "en": "which column holds these fields is not clear, and Shopdata does not guess: {choices}",
        "zh": "无法确定以下字段对应哪一列，Shopdata 不做猜测：{choices}",
    },
    "recognise.unknown_field": {
        "en": "{field} is not a field of a {kind} export",
        "zh": "{field} 不是{kind}导出文件的字段",
    },
    "recognise.missing_column": {
        "en": "the column '{column}' chosen for {field} is not in this file",
        "zh": "为 {field} 选择的列“{column}”不在此文件中",
    },
    # cleaning and checking the rows
    "validate.date_order": {
        "en": "the dates in '{column}' ({sample}) read both day first and month first, and nothing in the file "
        "says which: Shopdata does not guess",
        "zh": "列“{column}”中的日期（{sample}）既可读作日在前，也可读作月在前，文件中没有线索可判断，Shopdata 不做猜测",
    },
    "validate.date_column": {
        "en": "the column '{column}' should hold dates, but values like {sample} could not all be read as dates "
        "in one format",
        "zh": "列“{column}”应为日期，但 {sample} 等值无法全部按同一种日期格式读取",
    },
    "validate.mixed_dates": {
        "en": "no single date format reads every value in this column",
        "zh": "没有一种日期格式能读取此列的所有值",
    },
    "validate.no_period": {
        "en": "this report has no dates in its rows, and no period was found in its title lines or file name",
        "zh": "此报表的行中没有日期，标题行和文件名中也找不到日期范围",
    },
    "validate.no_rows": {
        "en": "no data rows could be kept ({reasons})",
        "zh": "没有可保留的数据行（{reasons}）",
    },
    "validate.table_empty": {"en": "the table is empty", "zh": "表格是空的"},
    # notes and warnings on a loaded file
    "warn.other_sheet": {
        "en": "sheet '{sheet}' was not imported (only one table per file is)",
        "zh": "工作表“{sheet}”未导入（每个文件只导入一张表）",
    },
    "warn.remembered_mapping": {
        "en": "used the column mapping you chose before for this layout",
        "zh": "已使用您之前为此表头格式选择的字段映射",
    },
    "warn.period_from": {
        "en": "the report has no dates in its rows; its period {start}..{end} comes from {source}",
        "zh": "报表的行中没有日期；其日期范围 {start}..{end} 来自{source}",
    },
    "warn.already_imported": {
        "en": "this file was already imported on {when} UTC (batch {batch}); its rows were replaced, nothing is "
        "counted twice",
        "zh": "此文件已于 {when} UTC 导入过（批次 {batch}）；其行已被替换，不会重复计算",
    },
    "warn.date_order_by_region": {
        "en": "the dates in '{column}' read both ways; they were read {order}, as dates are written where the "
        "file's {clue} {value} is. If that is wrong, import it again with the other date order",
        "zh": "列“{column}”中的日期两种读法都可以；已按文件{clue}“{value}”所在地区的写法读作{order}。"
        "如有误，请以另一种日期顺序重新导入",
    },
    "date_order.clue.country": {"en": "country", "zh": "国家/地区"},
    "date_order.clue.currency": {"en": "currency", "zh": "币种"},
    "date_order.dmy": {"en": "day first (DD/MM/YYYY)", "zh": "日在前（日/月/年）"},
    "date_order.mdy": {"en": "month first (MM/DD/YYYY)", "zh": "月在前（月/日/年）"},
    "warn.mangled_ids": {
        "en": "'{column}' holds IDs that a spreadsheet already turned into numbers like 1.2E+17: different IDs may "
        "have collapsed into one. Export the file again without opening it in Excel",
        "zh": "“{column}”中的 ID 已被电子表格转换成 1.2E+17 这样的数字：不同的 ID 可能已合并为同一个。"
        "请重新导出文件，且不要用 Excel 打开",
    },
    "warn.unmapped_measure": {
        "en": "the column '{column}' looks like {field}, which is not imported from any column; if it is, map it "
        "(Data page: column mapping; command line: --map {field_name}=COLUMN)",
        "zh": "列“{column}”看起来是{field}，但{field}没有从任何列导入；如果是，请映射它"
        "（“数据”页面：字段映射；命令行：--map {field_name}=列名）",
    },
    "warn.unreadable_numbers": {
        "en": "{count} value(s) in '{column}' could not be read as numbers (e.g. {example}) and were stored as empty",
        "zh": "“{column}”中有 {count} 个值无法读取为数字（例如 {example}），已存为空",
    },
    "error.unexpected": {
        "en": "unexpected problem ({problem}); nothing was imported from this file — please report it with the "
        "file's layout",
        "zh": "意外问题（{problem}）；此文件未导入任何数据——请连同文件的格式一起报告此问题",
    },
}
