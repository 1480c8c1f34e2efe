import json
import re
from collections import defaultdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evalportal.reports.models import ProjectEvalSheet


class Command(BaseCommand):
    help = "负载测试之后核对：每次成功保存都基于最新版本（无丢失更新），数据库中的值等于最后一次成功保存的值。"

    def add_arguments(self, parser):
        parser.add_argument("results")

    def handle(self, *args, results: str, **options):
        entries = [json.loads(line) for line in Path(results).read_text(encoding="utf-8").splitlines() if line]
        saves = defaultdict(list)
        attempts = defaultdict(list)
        conflicts = 0
        for entry in entries:
            if entry.get("conflict"):
                conflicts += 1
            elif entry.get("attempt"):
                attempts[entry["sheet"]].append(entry)
            else:
                saves[entry["sheet"]].append(entry)
        problems = []
        for sheet_url, landed in saves.items():
            bases = [e["based_on_version"] for e in landed]
            if len(bases) != len(set(bases)):
                problems.append(f"{sheet_url}: 两次保存基于同一版本（丢失更新）")
            last = max(landed, key=lambda e: e["based_on_version"])
            project_pk = int(re.search(r"/projects/(\d+)/", sheet_url).group(1))
            stored = ProjectEvalSheet.objects.get(project_id=project_pk).goal_achieved
            if stored == last["value"]:
                continue
            # Only a save sent after the last answered one, and cut off by the end of the run, may stand there.
            answered = {e["value"] for e in landed}
            in_flight = {e["value"] for e in attempts[sheet_url]
                         if e["value"] not in answered and e["based_on_version"] >= last["based_on_version"]}
            if stored not in in_flight:
                problems.append(f"{sheet_url}: 数据库为 {stored!r}，最后一次成功保存为 {last['value']!r}")
        self.stdout.write(f"成功保存 {sum(map(len, saves.values()))} 次（{len(saves)} 张表），冲突提示 {conflicts} 次，"
                          f"核对问题 {len(problems)} 个")
        if problems:
            raise CommandError("\n".join(problems[:20]))
