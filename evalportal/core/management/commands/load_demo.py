from django.core.management.base import BaseCommand
from django.db import transaction

from evalportal.core.demo import loader


class Command(BaseCommand):
    help = "载入演示数据：地区、模板、演示账户、汨罗市（示例A）与常宁市（示例B）2023年度报告包。重复执行不会重复创建。"

    def add_arguments(self, parser):
        parser.add_argument("--as-printed", action="store_true",
                            help="按原报告印刷原样载入示例A（含原表错误，作为历史数据、草稿状态），以便观察校验规则")
        parser.add_argument("--reset", action="store_true", help="删除并重建演示报告包")

    @transaction.atomic
    def handle(self, *args, as_printed=False, reset=False, **options):
        loader.load_templates()
        loader.ensure_admin()
        for name in loader.DEMO_FILES:
            spec = loader.demo_spec(name, as_printed=as_printed and name == "milo_2023.yaml")
            existing = loader.package_for(spec)
            # A package in the other mode (as printed vs computed) is replaced; the same mode is left alone.
            if existing and (reset or existing.is_legacy != bool(spec.get("is_legacy"))):
                loader.delete_package(existing)
                existing = None
            if existing:
                self.stdout.write(f"已存在，未改动：{existing}")
                continue
            package = loader.build_package(spec)
            loader.after_build(package, spec)
            self.stdout.write(self.style.SUCCESS(f"已载入：{package}（{package.get_state_display()}）"))
