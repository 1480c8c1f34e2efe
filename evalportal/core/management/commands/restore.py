import gzip
import json
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.migrations.recorder import MigrationRecorder

from .backup import BACKUP_APPS


class Command(BaseCommand):
    help = "从 backup 命令生成的文件恢复数据。目标数据库须已迁移且没有业务数据（--force 先清空）；全部恢复或全部不恢复。"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--force", action="store_true", help="先删除现有业务数据再恢复")

    def handle(self, *args, file: str, force: bool, **options):
        try:
            payload = json.loads(gzip.decompress(Path(file).read_bytes()))
        except (OSError, ValueError) as error:
            raise CommandError(f"无法读取备份文件：{error}") from error
        if payload.get("format") != "evalportal-backup/1":
            raise CommandError("不是 evalportal 备份文件。")
        applied = {f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")}
        missing = sorted(set(payload["migrations"]) - applied)
        if missing:
            raise CommandError(f"数据库结构比备份旧，请先执行 migrate：缺少 {', '.join(missing[:5])}")
        models = [m for label in BACKUP_APPS for m in apps.get_app_config(label).get_models()]
        with transaction.atomic():
            if any(m.objects.exists() for m in models):
                if not force:
                    raise CommandError("目标数据库已有业务数据；确认覆盖请加 --force。")
                # Children first: delete in reverse dependency order by flushing the whole set through the ORM.
                for model in reversed(models):
                    model._base_manager.all()._raw_delete(model._base_manager.db)
            with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8", delete=False) as handle:
                json.dump(payload["records"], handle, ensure_ascii=False)
            try:
                call_command("loaddata", handle.name, verbosity=0)
            finally:
                Path(handle.name).unlink(missing_ok=True)
        self.stdout.write(f"已恢复 {len(payload['records'])} 条记录。")
