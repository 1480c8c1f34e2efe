"""python manage.py check_report --department CODE_OR_NAME --year 2023 [--format text|json] [--stage save|submit]

Prints every finding of one package (code, 错误/警告, location, message); exits 1 when any is an error.
"""
from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from evalportal.checks import run
from evalportal.reports.models import ReportPackage
from evalportal.reports.selectors import load_package, package_data


class Command(BaseCommand):
    help = "运行一致性校验（K01–K39），列出一个报告包的全部错误和警告；有错误时退出码为1"

    def add_arguments(self, parser):
        parser.add_argument("--department", required=True, help="单位代码、全称或简称")
        parser.add_argument("--year", type=int, required=True, help="评价年度，如 2023")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--stage", choices=("save", "submit"), default="submit",
                            help="submit 同时检查提交时的必填要求（默认）")

    def handle(self, *args, department: str, year: int, format: str, stage: str, **options):
        matches = ReportPackage.objects.filter(
            Q(department__code=department) | Q(department__name=department) | Q(department__short_name=department),
            year=year)
        if not matches.exists():
            raise CommandError(f"未找到{year}年度“{department}”的报告包")
        if matches.count() > 1:
            names = "、".join(p.department.name for p in matches.select_related("department"))
            raise CommandError(f"“{department}”对应多个单位：{names}，请改用单位代码")
        package = load_package(matches.get().pk)
        findings = run(package_data(package), stage=stage)
        if format == "json":
            self.stdout.write(json.dumps(
                {"package": str(package), "stage": stage,
                 "errors": sum(f.is_error for f in findings), "warnings": sum(not f.is_error for f in findings),
                 "findings": [{"code": f.code, "severity": f.severity, "location": f.location,
                               "section_key": f.section_key, "field": f.field, "row_id": f.row_id,
                               "message": f.message} for f in findings]},
                ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"{package}：{sum(f.is_error for f in findings)} 个错误，"
                              f"{sum(not f.is_error for f in findings)} 个警告")
            for f in findings:
                self.stdout.write(f"{f.code} {f.severity_label} {f.location} {f.message}")
        if any(f.is_error for f in findings):
            sys.exit(1)
