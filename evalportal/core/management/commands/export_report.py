"""python manage.py export_report --department CODE_OR_NAME --year 2023 --format pdf|xlsx --output FILE [--part …]"""
from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from evalportal.reports.models import ReportPackage


class Command(BaseCommand):
    help = "导出一个单位某年度的自评报告：整套PDF、某一部分的PDF（--part），或Excel工作簿。"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="单位代码或单位名称（全称或简称）")
        parser.add_argument("--year", type=int, required=True, help="评价年度，如 2023")
        parser.add_argument("--format", choices=("pdf", "xlsx"), default="pdf", help="pdf（默认）或 xlsx")
        parser.add_argument("--output", required=True, help="输出文件路径；“-”表示写到标准输出")
        parser.add_argument("--part", help="只导出一部分（仅PDF）：report、att1、att2、att3-1…、att4–att6、project_report-1…")

    def handle(self, *args, department: str, year: int, format: str, output: str, part: str | None, **options):
        matches = list(ReportPackage.objects.select_related("department").filter(year=year).filter(
            Q(department__code=department) | Q(department__name=department) | Q(department__short_name=department)))
        if not matches:
            raise CommandError(f"没有找到“{department}”{year}年度的报告。")
        if len(matches) > 1:
            names = "、".join(f"{p.department.name}（{p.department.code}）" for p in matches)
            raise CommandError(f"“{department}”对应多个单位：{names}。请改用单位代码。")
        package = matches[0]
        if format == "xlsx":
            if part:
                raise CommandError("--part 只适用于PDF。")
            from evalportal.exporters.xlsx import package_xlsx
            data = package_xlsx(package)
        else:
            from evalportal.exporters import pdf
            if part and part not in dict(pdf.available_parts(package)):
                keys = "、".join(key for key, _label in pdf.available_parts(package))
                raise CommandError(f"该报告没有“{part}”这一部分。可选：{keys}")
            data = pdf.part_pdf(package, part) if part else pdf.package_pdf(package)
        if output == "-":
            self.stdout.buffer.write(data) if hasattr(self.stdout, "buffer") else self.stdout._out.buffer.write(data)
            return
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.stderr.write(f"已导出：{path}（{len(data) // 1024} KB）")
