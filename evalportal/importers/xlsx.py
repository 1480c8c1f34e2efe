"""Read the app's own workbook (evalportal.exporters.xlsx) back into plain values, cell by cell.

Nothing here touches the database: `read_workbook(data)` returns every value it found with the cell it came
from, and every problem as `{工作表}!{单元格}：{消息}`. evalportal.importers.services decides what the values
mean for the package (which cells are inputs, which rows are new) and applies them in one transaction.

Cells are found by their defined names; a program that dropped the names (or a sheet a clerk copied) falls
back to the fixed layout the exporter writes, and the variable tables are read by scanning every row between
their header and their total row, so that rows inserted in Excel are read too.
"""
from __future__ import annotations

import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from evalportal.exporters import xlsx as layout
from evalportal.reports.models import BaseDataLine

from .safety import UnsafeUpload, check_upload

MONEY_MAX = Decimal("999999999999.99")     # DecimalField(max_digits=14, decimal_places=2)
AREA_MAX = Decimal("9999999999.99")
WEIGHT_MAX = Decimal("999.99")
WHITESPACE = re.compile(r"[\s\u3000]+")
CN_DATE = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?$")
FOOTER = re.compile(
    r"填表人[:：](?P<filled_by>.*?)填[表报]日期[:：](?P<filled_on>.*?)"
    r"(?:联系电话[:：](?P<phone>.*?))?(?:单位负责人(?:签字)?[:：](?P<head_name>.*))?$", re.S)
CATEGORY_WEIGHT = re.compile(r"[（(]\s*[\d.]+\s*分\s*[)）]\s*$")

# Fallback positions (row, column) of the fixed cells, as evalportal.exporters.xlsx writes them.
A1_FIXED = {"authorised_posts": (5, 2), "actual_staff": (5, 4), "staff_control_rate": (5, 6)}
A2_FIXED = {
    "initial_budget": (5, 4), "full_year_budget": (5, 5), "full_year_spent": (5, 6),
    "exec_weight": (5, 7), "exec_rate": (5, 8), "exec_score": (5, 9),
    "income_general": (7, 5), "basic_expenditure": (7, 9), "income_gov_fund": (8, 5), "project_expenditure": (8, 9),
    "income_nontax_special": (9, 5), "income_other": (10, 5), "goal_expected": (12, 2), "goal_achieved": (12, 6),
}
A3_FIXED = {
    "name": (3, 3), "supervising_department": (4, 3), "implementing_unit": (4, 8),
    "total_initial": (6, 4), "total_full_year": (6, 5), "total_spent": (6, 6),
    "exec_weight": (6, 7), "exec_rate": (6, 8), "exec_score": (6, 9),
    **{f"{prefix}_{column}": (row, col) for row, prefix in ((7, "appropriation"), (8, "carryover"), (9, "other"))
       for col, column in ((4, "initial"), (5, "full_year"), (6, "spent"))},
    "goal_expected": (11, 2), "goal_achieved": (11, 6),
}
A3_PROJECT_ID, A3_CATEGORY = (1, layout.A23_ID_COL), (2, layout.A23_ID_COL)
A1_LINE_LABELS = {WHITESPACE.sub("", str(line.label)): line.value for line in BaseDataLine.Line}
A1_VALUE_COLS = {"prev_final": 2, "cur_budget": 4, "cur_final": 6}


class WorkbookUnreadable(Exception):
    """The file cannot be read as the app's workbook at all (not a workbook, wrong package, old schema)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Value:
    """One value read from one cell; `ref` is `工作表!单元格`."""

    value: Any
    ref: str
    present: bool = True     # False when the cell was not found at all (a layout a clerk broke)


@dataclass
class RowInput:
    row: int                              # sheet row, for messages
    id: int | None
    fields: dict[str, Value]
    link: int | None = None               # 附件1 special row → workbook project id


@dataclass
class SheetInput:
    role: str                             # a1, a2, a3_<k>, a4, a5, a6
    title: str
    object_id: int | None = None          # the record the sheet was exported from (None: a new 附件3)
    extra: str = ""                       # project category / fund table kind
    fields: dict[str, Value] = field(default_factory=dict)
    rows: list[RowInput] = field(default_factory=list)
    lines: dict[str, dict[str, Value]] = field(default_factory=dict)    # 附件1 经费控制情况
    footer: dict[str, Value] = field(default_factory=dict)

    @property
    def number(self) -> str:
        """附件3-2 → "3-2"; used in messages and labels."""
        return self.role[1:].replace("_", "-")


@dataclass
class WorkbookInput:
    meta: dict[str, str]
    base: SheetInput | None = None
    department: SheetInput | None = None
    projects: list[SheetInput] = field(default_factory=list)
    fund_tables: dict[int, SheetInput] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- cell values

def clean_text(value: str) -> str:
    return value.strip().replace("\r\n", "\n").replace("\r", "\n")


def plain_number(number: Decimal) -> str:
    text = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
    return "0" if text in ("-0", "") else text


def number_from_text(text: str) -> Decimal:
    """A number a clerk typed as text: full-width digits, thousands separators and spaces are allowed."""
    folded = WHITESPACE.sub("", unicodedata.normalize("NFKC", text)).replace(",", "")
    return Decimal(folded)


class SheetReader:
    """The non-empty cells of one worksheet, read once (read-only mode streams rows)."""

    def __init__(self, worksheet, errors: list[str]):
        self.title = worksheet.title
        self.errors = errors
        worksheet.reset_dimensions()       # some programs write a wrong <dimension>; read every row
        self.cells = {}
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.value is not None and getattr(cell, "row", None) is not None:
                    self.cells[cell.row, cell.column] = cell
        self.max_row = max((r for r, _c in self.cells), default=0)

    def ref(self, row: int, col: int) -> str:
        return f"{self.title}!{get_column_letter(col)}{row}"

    def error(self, row: int, col: int, message: str) -> None:
        self.errors.append(f"{self.ref(row, col)}：{message}")

    def raw(self, row: int, col: int) -> Any:
        """The cell's value; a formula or an error value is reported and read as blank."""
        cell = self.cells.get((row, col))
        if cell is None:
            return None
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.data_type != "s"
                                     and cell.value.startswith("=")):
            self.errors.append(_("单元格%(ref)s含公式，请填写数值或文本") % {"ref": self.ref(row, col)})
            return None
        if cell.data_type == "e":
            self.error(row, col, _("单元格含错误值“%(v)s”，请填写数值或文本") % {"v": cell.value})
            return None
        return cell.value

    def number_format(self, row: int, col: int) -> str:
        cell = self.cells.get((row, col))
        return getattr(cell, "number_format", "") or "" if cell is not None else ""

    def label(self, row: int, col: int) -> str:
        """A label cell as plain text without any whitespace (for matching printed labels)."""
        value = self.cells.get((row, col))
        return WHITESPACE.sub("", str(value.value)) if value is not None and isinstance(value.value, str) else ""

    # ---- typed readers: each returns a Value and reports a problem at its cell

    def text(self, row: int, col: int, *, max_length: int, label: str, numbers_as_percent: bool = False) -> Value:
        value = self.raw(row, col)
        ref = self.ref(row, col)
        if value is None:
            return Value("", ref)
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, (int, float, Decimal)):
            number = Decimal(str(value))
            # 年度指标值 typed as 95% is stored by Excel as 0.95 with a % format: give the text back.
            if numbers_as_percent and "%" in self.number_format(row, col):
                text = plain_number(number * 100) + "%"
            else:
                text = plain_number(number)
        elif isinstance(value, datetime | date):
            text = f"{value.year}年{value.month}月{value.day}日"
        else:
            text = clean_text(str(value))
        if len(text) > max_length:
            self.error(row, col, _("%(label)s最多%(max)d个字，现有%(n)d个字") % {"label": label, "max": max_length,
                                                                       "n": len(text)})
        return Value(text, ref)

    def decimal(self, row: int, col: int, *, label: str, maximum: Decimal, places: int = 2,
                positive: bool = False) -> Value:
        value = self.raw(row, col)
        ref = self.ref(row, col)
        if value is None or (isinstance(value, str) and not value.strip()):
            return Value(None, ref)
        if isinstance(value, bool) or isinstance(value, datetime | date):
            self.error(row, col, _("%(label)s须为数值") % {"label": label})
            return Value(None, ref)
        try:
            number = number_from_text(value) if isinstance(value, str) else Decimal(str(value))
        except InvalidOperation:
            self.error(row, col, _("“%(v)s”不是有效的数值，%(label)s请填写数字") % {"v": value, "label": label})
            return Value(None, ref)
        if not number.is_finite():
            self.error(row, col, _("“%(v)s”不是有效的数值，%(label)s请填写数字") % {"v": value, "label": label})
            return Value(None, ref)
        if number < 0 or (positive and number == 0):
            message = _("%(label)s须大于0") if positive else _("%(label)s不能为负数")
            self.error(row, col, message % {"label": label})
            return Value(None, ref)
        if -number.as_tuple().exponent > places:
            message = _("金额最多保留两位小数") if label == _("金额") else _("%(label)s最多保留%(n)d位小数")
            self.error(row, col, message % {"label": label, "n": places})
            return Value(None, ref)
        if number > maximum:
            self.error(row, col, _("%(label)s过大") % {"label": label})
            return Value(None, ref)
        return Value(number, ref)

    def money(self, row: int, col: int) -> Value:
        return self.decimal(row, col, label=_("金额"), maximum=MONEY_MAX)

    def count(self, row: int, col: int, *, label: str) -> Value:
        read = self.decimal(row, col, label=label, maximum=Decimal("999999999"), places=10)
        if read.value is not None and read.value != read.value.to_integral():
            self.error(row, col, _("%(label)s须为整数") % {"label": label})
            return Value(None, read.ref)
        return Value(None if read.value is None else int(read.value), read.ref)

    def computed(self, row: int, col: int) -> Value:
        """A cell the engine computes: read for the list of differences, never applied."""
        value = self.raw(row, col)
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            number = Decimal(str(value))
            return Value(number * 100 if "%" in self.number_format(row, col) else number, self.ref(row, col))
        if isinstance(value, str) and value.strip():
            try:
                return Value(number_from_text(value.rstrip("%％")), self.ref(row, col))
            except InvalidOperation:
                pass
        return Value(None, self.ref(row, col))

    def identifier(self, row: int, col: int) -> int | None:
        cell = self.cells.get((row, col))
        value = cell.value if cell is not None else None
        try:
            number = int(Decimal(str(value).strip())) if value not in (None, "") else None
        except (InvalidOperation, ValueError):
            return None
        return number if number and number > 0 else None

    def footer(self, row: int, *, with_phone: bool = True) -> dict[str, Value]:
        ref = self.ref(row, 1)
        value = self.raw(row, 1)
        text = WHITESPACE.sub(" ", str(value or "")).strip()
        match = FOOTER.match(text.replace(" ", ""))
        if match is None:
            self.error(row, 1, _("无法识别表尾，请保留“填表人：”“填报日期：”“联系电话：”等字样，只修改其后的内容"))
            return {}
        parts = {key: (match[key] or "").strip() for key in ("filled_by", "filled_on", "phone", "head_name")}
        filled_on: date | None = None
        if parts["filled_on"]:
            date_match = CN_DATE.match(parts["filled_on"])
            try:
                filled_on = date(*(int(g) for g in date_match.groups())) if date_match else None
            except ValueError:
                filled_on = None
            if filled_on is None:
                self.error(row, 1, _("填报日期“%(v)s”无法识别，请写成“2024年4月26日”") % {"v": parts["filled_on"]})
        if len(parts["filled_by"]) > 20:
            self.error(row, 1, _("填表人最多20个字"))
        phone = parts["phone"].replace("－", "-")
        if with_phone and not re.fullmatch(r"[0-9\-\s()（）转]*", phone):
            self.error(row, 1, _("联系电话只能包含数字、“-”和空格"))
        if len(phone) > 30:
            self.error(row, 1, _("联系电话最多30个字符"))
        footer = {"filled_by": Value(parts["filled_by"], ref), "filled_on": Value(filled_on, ref),
                  "head_name": Value(parts["head_name"], ref)}
        if with_phone:
            footer["phone"] = Value(phone, ref)
        return footer

    def find_row(self, col: int, predicate, start: int = 1, stop: int | None = None) -> int | None:
        for row in range(start, (stop or self.max_row) + 1):
            if predicate(self.label(row, col)):
                return row
        return None


# ---------------------------------------------------------------- the workbook

class Names:
    """Workbook defined names → (sheet title, row, column) of their first cell; broken names are skipped."""

    # 'sheet name'!$C$5 or sheet!$C$5:$D$6 (a quote inside a quoted name is doubled)
    REFERENCE = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\S*)?$")

    def __init__(self, workbook):
        # Parsed here with one regex: DefinedName.destinations tokenises every formula and took a tenth of
        # an import of 20 projects, whose workbook has a name per input cell.
        self.places: dict[str, tuple[str, int, int]] = {}
        for name, defined in workbook.defined_names.items():
            match = self.REFERENCE.match(defined.attr_text or "")
            if match is None:      # #REF! and other names a spreadsheet program left behind
                continue
            title = match[1].replace("''", "'") if match[1] is not None else match[2]
            self.places[name] = (title, int(match[4]), column_index_from_string(match[3]))

    def get(self, name: str, title: str) -> tuple[int, int] | None:
        place = self.places.get(name)
        return (place[1], place[2]) if place and place[0] == title else None

    def title_of(self, name: str) -> str | None:
        place = self.places.get(name)
        return place[0] if place else None


def open_workbook(data: bytes):
    try:
        check_upload(data)
    except UnsafeUpload as refused:
        raise WorkbookUnreadable(refused.messages)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")     # openpyxl warns about extensions WPS writes; harmless
            return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:
        raise WorkbookUnreadable([_("该文件无法作为Excel工作簿打开，可能已损坏。请重新导出后填写，或在Excel/WPS中另存为.xlsx后再导入。")])


def read_meta(workbook) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    if layout.META_SHEET not in workbook.sheetnames:
        raise WorkbookUnreadable([_("该文件不是本系统导出的工作簿（缺少说明页），请先在本系统中导出Excel，在导出的文件中填写后再导入。")])
    meta: dict[str, str] = {}
    sheets: list[tuple[str, str, str, str]] = []
    for row in workbook[layout.META_SHEET].iter_rows(values_only=True):
        values = ["" if v is None else str(v) for v in (row or ())]
        if not values or not values[0]:
            continue
        if values[0] == "sheet" and len(values) >= 4:
            sheets.append((values[1], values[2], values[3], values[4] if len(values) > 4 else ""))
        elif len(values) >= 2:
            meta[values[0]] = values[1]
    return meta, sheets


def read_workbook(data: bytes) -> WorkbookInput:
    """Every value of the workbook with its cell; raises WorkbookUnreadable when it is not the app's workbook."""
    workbook = open_workbook(data)
    try:
        meta, sheets = read_meta(workbook)
        result = WorkbookInput(meta=meta)
        names = Names(workbook)
        claimed: set[str] = set()

        def resolve(role: str, title: str, anchor: str, label: str) -> str | None:
            """The sheet's current title: by its defined names, then the exported title, then its 附件 label."""
            for candidate in (names.title_of(f"{role}_{anchor}"), title):
                if candidate and candidate in workbook.sheetnames and candidate not in claimed:
                    return candidate
            for candidate in workbook.sheetnames:
                if candidate not in claimed and candidate != layout.META_SHEET and \
                        first_cell(workbook[candidate]) == label:
                    return candidate
            return None

        for role, title, object_id, extra in sheets:
            label = "附件" + role[1:].replace("_", "-")
            found = resolve(role, title, layout.ROWS_HEAD if role != "a1" else "authorised_posts", label)
            if found is None:
                if role in ("a1", "a2"):
                    result.errors.append(_("工作簿缺少工作表“%(t)s”，请重新导出后填写") % {"t": title})
                else:
                    result.notices.append(_("工作簿中没有“%(t)s”，该表未作改动") % {"t": title})
                continue
            claimed.add(found)
            reader = SheetReader(workbook[found], result.errors)
            sheet = SheetInput(role=role, title=found, object_id=_int(object_id), extra=extra)
            if role == "a1":
                read_base(reader, names, sheet)
                result.base = sheet
            elif role == "a2":
                read_scored(reader, names, sheet, A2_FIXED)
                result.department = sheet
            elif role.startswith("a3_"):
                read_scored(reader, names, sheet, A3_FIXED)
                sheet.object_id = reader.identifier(*A3_PROJECT_ID) or sheet.object_id
                result.projects.append(sheet)
            else:
                read_fund_table(reader, names, sheet)
                result.fund_tables[int(role[1:])] = sheet

        # A 附件3 sheet the clerk added (copied in Excel or WPS) becomes a new project.
        for title in workbook.sheetnames:
            if title in claimed or title == layout.META_SHEET:
                continue
            worksheet = workbook[title]
            if first_cell(worksheet).startswith("附件3"):
                reader = SheetReader(worksheet, result.errors)
                sheet = SheetInput(role=f"a3_new{len(result.projects) + 1}", title=title,
                                   object_id=reader.identifier(*A3_PROJECT_ID),
                                   extra=str(reader.raw(*A3_CATEGORY) or ""))
                read_scored(reader, names, sheet, A3_FIXED, use_names=False)
                result.projects.append(sheet)
            elif getattr(worksheet, "sheet_state", "visible") == "visible":
                result.notices.append(_("工作表“%(t)s”不是本系统的表格，已忽略") % {"t": title})
        return result
    finally:
        workbook.close()


def first_cell(worksheet) -> str:
    for row in worksheet.iter_rows(min_row=1, max_row=1, max_col=1, values_only=True):
        return WHITESPACE.sub("", str(row[0] or "")) if row else ""
    return ""


def _int(value: str) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def place(names: Names, sheet: SheetInput, key: str, fixed: dict, use_names: bool = True) -> tuple[int, int]:
    found = names.get(f"{sheet.role}_{key}", sheet.title) if use_names else None
    return found or fixed[key]


def find_footer(reader: SheetReader, start: int) -> int | None:
    return reader.find_row(1, lambda text: text.startswith("填表人"), start=start)


# ---------------------------------------------------------------- 附件1

def read_base(reader: SheetReader, names: Names, sheet: SheetInput) -> None:
    p = "a1"
    get = lambda key: names.get(f"{p}_{key}", sheet.title)  # noqa: E731
    posts = get("authorised_posts") or A1_FIXED["authorised_posts"]
    staff = get("actual_staff") or A1_FIXED["actual_staff"]
    sheet.fields["authorised_posts"] = reader.count(*posts, label=_("编制数"))
    sheet.fields["actual_staff"] = reader.count(*staff, label=_("实际在职人数"))
    sheet.fields["staff_control_rate"] = reader.computed(posts[0], A1_FIXED["staff_control_rate"][1])

    # Each 经费 line's row: from any of its names, else by its printed label in column A.
    line_rows: dict[str, int] = {}
    for line in BaseDataLine.Line:
        for column in layout.A1_COLS:
            found = get(f"{line.value}_{column}")
            if found:
                line_rows[line.value] = found[0]
                break
    for anchor in ("special_total", "public_expense"):
        found = get(anchor)
        if found:
            line_rows.setdefault(anchor, found[0])
    for row in range(6, reader.max_row + 1):
        line = A1_LINE_LABELS.get(reader.label(row, 1))
        if line and line not in line_rows:
            line_rows[line] = row
    for line, row in line_rows.items():
        sheet.lines[line] = {column: reader.money(row, col) for column, col in A1_VALUE_COLS.items()}
    missing = [str(line.label) for line in BaseDataLine.Line if line.value not in line_rows]
    if missing:
        reader.errors.append(_("%(t)s：找不到以下行：%(lines)s。请勿删除或改写表中的行名称")
                             % {"t": sheet.title, "lines": "、".join(missing)})
        return

    # 本级专项资金: every row between its total line and 公用经费.
    for row in range(line_rows["special_total"] + 1, line_rows["public_expense"]):
        values = {column: reader.money(row, col) for column, col in A1_VALUE_COLS.items()}
        name = reader.text(row, 1, max_length=100, label=_("专项名称"))
        row_id = reader.identifier(row, layout.A1_ID_COL)
        if not name.value and row_id is None and all(v.value is None for v in values.values()):
            continue
        sheet.rows.append(RowInput(row=row, id=row_id, fields={"name": name, **values},
                                   link=reader.identifier(row, layout.A1_LINK_COL)))

    buildings = get("approved_area")
    head = (buildings[0] - 1) if buildings else reader.find_row(1, lambda t: t.startswith("楼堂馆所控制情况"))
    if head is None:
        reader.errors.append(_("%(t)s：找不到“楼堂馆所控制情况”一栏") % {"t": sheet.title})
    else:
        values_row = head + 1
        for key, col in (("approved_area", 2), ("actual_area", 3)):
            sheet.fields[key] = reader.decimal(values_row, col, label=_("面积"), maximum=AREA_MAX)
        for key, col in (("budget_investment", 5), ("actual_investment", 6)):
            sheet.fields[key] = reader.money(values_row, col)
        sheet.fields["area_control_rate"] = reader.computed(values_row, 4)
        sheet.fields["investment_control_rate"] = reader.computed(values_row, 7)
    austerity = get("austerity_measures")
    if austerity is None:
        row = reader.find_row(1, lambda t: t == "厉行节约保障措施")
        austerity = (row, 2) if row else None
    if austerity is None:
        reader.errors.append(_("%(t)s：找不到“厉行节约保障措施”一栏") % {"t": sheet.title})
    else:
        sheet.fields["austerity_measures"] = reader.text(*austerity, max_length=1000, label=_("厉行节约保障措施"))
    footer = get("footer")
    footer_row = footer[0] if footer else find_footer(reader, line_rows["public_expense"])
    if footer_row is None:
        reader.errors.append(_("%(t)s：找不到表尾（填表人、填表日期、联系电话）") % {"t": sheet.title})
    else:
        sheet.footer = reader.footer(footer_row)


# ---------------------------------------------------------------- 附件2 and 附件3

def read_scored(reader: SheetReader, names: Names, sheet: SheetInput, fixed: dict, use_names: bool = True) -> None:
    money_keys = {"initial_budget", "full_year_budget", "full_year_spent", "income_general", "income_gov_fund",
                  "income_nontax_special", "income_other", "basic_expenditure",
                  *(f"{prefix}_{column}" for prefix in ("appropriation", "carryover", "other")
                    for column in ("initial", "full_year", "spent"))}
    computed_keys = {"exec_weight", "exec_rate", "exec_score", "project_expenditure", "total_initial",
                     "total_full_year", "total_spent"}
    texts = {"goal_expected": (2000, _("预期目标")), "goal_achieved": (2000, _("实际完成情况")),
             "name": (100, _("项目名称")), "supervising_department": (100, _("主管部门")),
             "implementing_unit": (100, _("实施单位"))}
    # Computed cells carry no name: they sit at fixed offsets from the funds row, wherever a clerk moved it.
    anchor = "initial_budget" if "initial_budget" in fixed else "appropriation_initial"
    shift = place(names, sheet, anchor, fixed, use_names)[0] - fixed[anchor][0]
    for key in fixed:
        if key in computed_keys:
            row, col = fixed[key][0] + shift, fixed[key][1]
        else:
            row, col = place(names, sheet, key, fixed, use_names)
        if key in money_keys:
            sheet.fields[key] = reader.money(row, col)
        elif key in computed_keys:
            sheet.fields[key] = reader.computed(row, col)
        else:
            max_length, label = texts[key]
            sheet.fields[key] = reader.text(row, col, max_length=max_length, label=label)
    sheet.extra = str(reader.raw(*A3_CATEGORY) or sheet.extra) if sheet.role.startswith("a3") else sheet.extra

    head = (names.get(f"{sheet.role}_{layout.ROWS_HEAD}", sheet.title) if use_names else None)
    head_row = head[0] if head else reader.find_row(4, lambda t: t == "三级指标")
    if head_row is None:
        reader.errors.append(_("%(t)s：找不到绩效指标表头（三级指标），请勿删除表头行") % {"t": sheet.title})
        return
    total = names.get(f"{sheet.role}_{layout.ROWS_TOTAL}", sheet.title) if use_names else None
    total_row = total[0] if total else reader.find_row(1, lambda t: t == "总分", start=head_row + 1)
    if total_row is None:
        reader.errors.append(_("%(t)s：找不到“总分”行，请勿删除") % {"t": sheet.title})
        return
    category = subcategory = Value("", reader.ref(head_row, 2))
    for row in range(head_row + 1, total_row):
        values = [reader.cells.get((row, col)) for col in range(2, 10)]
        row_id = reader.identifier(row, layout.A23_ID_COL)
        if row_id is None and all(cell is None or str(cell.value).strip() == "" for cell in values):
            continue        # a blank row a clerk left
        # An empty 一级/二级 cell continues the group above: merged cells, and rows inserted inside a merge.
        if reader.label(row, 2):
            category = Value(CATEGORY_WEIGHT.sub("", reader.label(row, 2)), reader.ref(row, 2))
            subcategory = Value("", reader.ref(row, 3))
        if reader.label(row, 3):
            subcategory = Value(reader.label(row, 3), reader.ref(row, 3))
        fields = {
            "category": category, "subcategory": subcategory,
            "name": reader.text(row, 4, max_length=200, label=_("三级指标")),
            "target_raw": reader.text(row, 5, max_length=50, label=_("年度指标值"), numbers_as_percent=True),
            "actual_raw": reader.text(row, 6, max_length=50, label=_("实际完成值"), numbers_as_percent=True),
            "weight": reader.decimal(row, 7, label=_("分值"), maximum=WEIGHT_MAX, positive=True),
            "score": reader.decimal(row, 8, label=_("得分"), maximum=WEIGHT_MAX),
            "deviation_reason": reader.text(row, 9, max_length=500, label=_("偏差原因分析及改进措施")),
            "qualitative": Value(reader.label(row, layout.A23_KIND_COL) == layout.QUALITATIVE_FLAG,
                                 reader.ref(row, layout.A23_KIND_COL)),
        }
        sheet.rows.append(RowInput(row=row, id=row_id, fields=fields))
    sheet.fields["total_weight"] = reader.computed(total_row, 7)
    sheet.fields["total"] = reader.computed(total_row, 8)
    footer = names.get(f"{sheet.role}_footer", sheet.title) if use_names else None
    footer_row = footer[0] if footer else find_footer(reader, total_row)
    if footer_row is None:
        reader.errors.append(_("%(t)s：找不到表尾（填表人、填报日期、联系电话）") % {"t": sheet.title})
    else:
        sheet.footer = reader.footer(footer_row)


# ---------------------------------------------------------------- 附件4–6

def read_fund_table(reader: SheetReader, names: Names, sheet: SheetInput) -> None:
    head = names.get(f"{sheet.role}_{layout.ROWS_HEAD}", sheet.title)
    head_row = head[0] if head else reader.find_row(2, lambda t: t.startswith("项目（支出功能分类科目）"))
    total = names.get(f"{sheet.role}_{layout.ROWS_TOTAL}", sheet.title)
    total_row = total[0] if total else (reader.find_row(1, lambda t: t == "合计", start=head_row + 1)
                                        if head_row else None)
    if head_row is None or total_row is None:
        reader.errors.append(_("%(t)s：找不到表头或“合计”行，请勿删除") % {"t": sheet.title})
        return
    for row in range(head_row + 1, total_row):
        row_id = reader.identifier(row, layout.FUND_ID_COL)
        values = [reader.cells.get((row, col)) for col in range(2, 8)]
        if row_id is None and all(cell is None or str(cell.value).strip() == "" for cell in values):
            continue
        fields = {"subject": reader.text(row, 2, max_length=100, label=_("项目（支出功能分类科目）")),
                  "initial_budget": reader.money(row, 3), "full_year_budget": reader.money(row, 4),
                  "full_year_spent": reader.money(row, 5), "rate": reader.computed(row, 6),
                  "note": reader.text(row, 7, max_length=200, label=_("备注"))}
        sheet.rows.append(RowInput(row=row, id=row_id, fields=fields))
    for key, col in (("total_initial", 3), ("total_full_year", 4), ("total_spent", 5), ("total_rate", 6)):
        sheet.fields[key] = reader.computed(total_row, col)
    footer = names.get(f"{sheet.role}_footer", sheet.title)
    footer_row = footer[0] if footer else find_footer(reader, total_row)
    if footer_row is None:
        reader.errors.append(_("%(t)s：找不到表尾（填表人、填报日期）") % {"t": sheet.title})
    else:
        sheet.footer = reader.footer(footer_row, with_phone=False)
