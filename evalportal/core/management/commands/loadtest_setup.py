from django.core.management.base import BaseCommand
from django.db import transaction

from evalportal.accounts.roles import Role
from evalportal.core.demo import loader


class Command(BaseCommand):
    help = "为负载测试准备数据：负载测试市的若干单位（各一份示例A报告包）及其填报人 loadNN，另有 sharedNN 共同填写同一单位。"

    def add_arguments(self, parser):
        parser.add_argument("--own", type=int, default=50)
        parser.add_argument("--shared", type=int, default=5)

    @transaction.atomic
    def handle(self, *args, own: int, shared: int, **options):
        loader.load_templates()
        base = loader.demo_spec("milo_2023.yaml")
        for index in range(1, own + 2):
            spec = {**base, "region": ["湖南省", "负载测试市"], "finance_bureau": "负载测试市财政局", "users": {},
                    "department": {"name": f"负载测试市第{index:02d}局", "short_name": f"第{index:02d}局",
                                   "code": f"LOAD-{index:03d}", "nature": "administrative"}}
            package = loader.package_for(spec) or loader.build_package(spec)
            names = [f"load{index:02d}"] if index <= own else [f"shared{i:02d}" for i in range(1, shared + 1)]
            for username in names:
                loader.ensure_user(username, username, role=Role.FILLER, department=package.department)
        self.stdout.write(f"已准备 {own + 1} 个报告包、{own + shared} 个填报人。")
