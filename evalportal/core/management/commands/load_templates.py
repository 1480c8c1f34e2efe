from django.core.management.base import BaseCommand

from evalportal.core.demo import loader


class Command(BaseCommand):
    help = "载入（或更新）内置的权重模板与报告提纲：财政部参考指标体系、湖南省指标体系与提纲。生产环境首次部署时使用，不创建演示账户和演示报告。"

    def handle(self, *args, **options):
        loader.load_templates()
        self.stdout.write(self.style.SUCCESS("已载入权重模板与报告提纲。"))
