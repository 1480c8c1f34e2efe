import gzip
import hashlib
import io
import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

# Everything a bureau would miss: people and roles, regions and templates, packages, review and audit trail.
BACKUP_APPS = ["accounts", "orgs", "reports", "review", "exporters", "importers", "insight"]


class Command(BaseCommand):
    help = "备份全部业务数据（用户、地区、模板、报告包、审核意见与审计日志）到一个 .json.gz 文件。PostgreSQL 生产环境另见 README 的 pg_dump 说明。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="输出文件，如 backup-2024-05-01.json.gz")

    def handle(self, *args, output: str, **options):
        buffer = io.StringIO()
        call_command("dumpdata", *BACKUP_APPS, natural_foreign=True, natural_primary=False, indent=None,
                     stdout=buffer)
        records = json.loads(buffer.getvalue() or "[]")
        migrations = sorted(f"{app}.{name}" for app, name in
                            MigrationRecorder.Migration.objects.values_list("app", "name"))
        payload = {"format": "evalportal-backup/1", "created_at": timezone.now().isoformat(),
                   "migrations": migrations, "records": records}
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        Path(output).write_bytes(gzip.compress(body))
        self.stdout.write(f"已备份 {len(records)} 条记录到 {output}（SHA-256 {hashlib.sha256(body).hexdigest()[:16]}…）")
