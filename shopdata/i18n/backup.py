"""Backup and restore on the Data page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "backup.title": {"en": "Backup and restore", "zh": "备份与恢复"},
    "backup.intro": {
        "en": "A backup is one .duckdb file with every store, upload, mapping and setting. "
        "Accounts are not part of what a restore changes.",
        "zh": "备份是一个 .duckdb 文件，包含所有店铺、上传记录、字段映射和设置。恢复不会改动账号。",
    },
    "backup.prepare": {"en": "Prepare a backup", "zh": "生成备份"},
    "backup.prepared": {
        "en": "Backup ready: {rows} rows, {size} MB, in {folder} until it is downloaded (once; then it is deleted).",
        "zh": "备份已生成：{rows} 行，{size} MB，保存在 {folder}，下载一次后即删除。",
    },
    "backup.download": {"en": "Download the backup", "zh": "下载备份"},
    "backup.prepare_failed": {"en": "The backup could not be written: {error}", "zh": "无法写入备份：{error}"},
    "backup.restore_heading": {"en": "**Restore a backup**", "zh": "**恢复备份**"},
    "backup.restore_file": {"en": "Backup file (.duckdb)", "zh": "备份文件（.duckdb）"},
    "backup.confirm": {
        "en": "I understand: this replaces all data of every store with the backup's",
        "zh": "我已了解：这会用备份中的数据替换所有店铺的全部数据",
    },
    "backup.restore": {"en": "Restore", "zh": "恢复"},
    "backup.restoring": {"en": "Restoring…", "zh": "正在恢复…"},
    "backup.restored": {
        "en": "Restored {rows} rows from a version {version} backup. The data as it was just before "
        "is saved in {path}.",
        "zh": "已从版本 {version} 的备份恢复 {rows} 行。恢复前的数据已保存到 {path}。",
    },
    "backup.restore_failed": {"en": "Nothing was restored: {error}", "zh": "未恢复任何数据：{error}"},
}
