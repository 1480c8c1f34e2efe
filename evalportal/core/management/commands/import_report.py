"""python manage.py import_report FILE --department CODE_OR_NAME --year YEAR [--force-package]"""
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from evalportal.importers.services import ImportRefused, package_import
from evalportal.reports.models import ReportPackage


class Command(BaseCommand):
    help = "把填写好的Excel工作簿导入某单位某年度的自评报告：先校验全部单元格，全部无误才一次性写入，否则不作任何修改。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="从本系统导出并填写好的 .xlsx 文件")
        parser.add_argument("--department", required=True, help="单位代码或单位名称")
        parser.add_argument("--year", required=True, type=int, help="评价年度，如 2023")
        parser.add_argument("--force-package", action="store_true",
                            help="导入其他报告导出的工作簿（不核对报告编号与版本；所有行按新增处理，项目按名称对应）")

    def handle(self, *args, file, department, year, force_package=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        packages = ReportPackage.objects.filter(Q(department__code=department) | Q(department__name=department),
                                                year=year).select_related("department")
        if len(packages) != 1:
            raise CommandError(f"找不到“{department}”{year}年度的自评报告" if not packages else
                               f"“{department}”{year}年度有多份报告，请用单位代码指明")
        try:
            result = package_import(package=packages[0], data=path.read_bytes(), actor=None, force=force_package)
        except ImportRefused as refused:
            for message in refused.messages:
                self.stderr.write(message)
            raise CommandError(f"导入失败：共{len(refused.messages)}处问题，报告未作任何修改。")
        except PermissionDenied as denied:
            raise CommandError(str(denied))
        self.stdout.write(self.style.SUCCESS(f"{result.package}：{result.summary}"))
        if options["verbosity"] > 1:
            for change in result.changes:
                self.stdout.write(f"  {change.ref or change.label}  {change.field}：{change.old} → {change.new}")
        for notice in result.notices:
            self.stdout.write(f"  提示：{notice}")
