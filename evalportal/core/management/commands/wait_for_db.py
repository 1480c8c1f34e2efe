import time

from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = "等待数据库可连接（DATABASE_URL 指定），连接不上则报错退出。`make test` 在 CI 中用它检查 PostgreSQL。"

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=10)

    def handle(self, *args, seconds: int, **options):
        last_error = None
        for _ in range(max(seconds, 1)):
            try:
                connection.ensure_connection()
                self.stdout.write(f"数据库可用：{connection.vendor} {connection.settings_dict.get('HOST') or ''}")
                return
            except OperationalError as error:
                last_error = error
                connection.close()
                time.sleep(1)
        raise CommandError(f"无法连接数据库：{last_error}")
