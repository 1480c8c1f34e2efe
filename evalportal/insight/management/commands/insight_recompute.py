"""python manage.py insight_recompute --year 2023 [--region 汨罗市]: rebuild the signals and the text index."""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from evalportal.insight import services
from evalportal.orgs.models import Region
from evalportal.reports.models import ReportPackage


class Command(BaseCommand):
    help = "重新计算审核提示与文字雷同索引（按地区和年度）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="评价年度；不填则计算库中所有年度")
        parser.add_argument("--region", help="地区名称（含下级地区）；不填则计算所有顶级地区")

    def handle(self, *args, year=None, region=None, **options):
        if region:
            regions = list(Region.objects.filter(name=region))
            if not regions:
                raise CommandError(f"没有名为「{region}」的地区。")
        else:
            regions = list(Region.objects.filter(parent__isnull=True))
        years = [year] if year else sorted(set(ReportPackage.objects.values_list("year", flat=True)))
        for place in regions:
            for each in years:
                result = services.region_recompute(place, each)
                self.stdout.write(f"{place.name} {each}年度：{result.packages}个报告，{result.fingerprints}个段落，"
                                  f"{result.matches}处文字雷同")
