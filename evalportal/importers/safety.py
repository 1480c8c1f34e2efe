"""Open an uploaded workbook only after checking it cannot exhaust the server (domain.md §9, notes.md).

An .xlsx is a zip of XML: the upload size, the declared unpacked size and the member count are checked
before openpyxl sees the bytes (zipfile never inflates a member beyond its declared size, so the declared
sizes bound memory), and openpyxl parses the XML with defusedxml, which refuses entity expansion.
"""
from __future__ import annotations

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"     # .xls, and .xlsx saved with a password
REQUIRED_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")


class UnsafeUpload(Exception):
    """The file is refused before any parsing; `messages` are Chinese and shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.messages = [message]


def limits() -> tuple[int, int, int]:
    return (settings.IMPORT_MAX_UPLOAD_BYTES, settings.IMPORT_MAX_UNPACKED_BYTES, settings.IMPORT_MAX_MEMBERS)


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}MB"


def check_upload(data: bytes) -> None:
    max_upload, max_unpacked, max_members = limits()
    if not data:
        raise UnsafeUpload(_("上传的文件是空的，请选择从本系统导出并填写好的Excel工作簿（.xlsx）。"))
    if len(data) > max_upload:
        raise UnsafeUpload(_("文件过大（%(size)s），上限为%(limit)s。请上传从本系统导出的工作簿。")
                           % {"size": megabytes(len(data)), "limit": megabytes(max_upload)})
    if data.startswith(OLE_MAGIC):
        raise UnsafeUpload(_("该文件是旧版Excel（.xls）格式或设置了打开密码。请在Excel或WPS中另存为“Excel工作簿（.xlsx）”"
                             "并取消密码后再导入。"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsafeUpload(_("该文件不是有效的Excel工作簿（.xlsx）。请上传从本系统导出、在Excel或WPS中填写后保存的.xlsx文件。"))
    if len(members) > max_members:
        raise UnsafeUpload(_("工作簿内部文件过多（%(count)d个），无法导入。") % {"count": len(members)})
    unpacked = sum(member.file_size for member in members)
    if unpacked > max_unpacked:
        raise UnsafeUpload(_("工作簿解压后过大（%(size)s，上限%(limit)s），无法导入。")
                           % {"size": megabytes(unpacked), "limit": megabytes(max_unpacked)})
    names = {member.filename for member in members}
    if not all(required in names for required in REQUIRED_MEMBERS):
        raise UnsafeUpload(_("该文件不是有效的Excel工作簿（.xlsx）。请上传从本系统导出、在Excel或WPS中填写后保存的.xlsx文件。"))
