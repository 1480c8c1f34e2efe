"""The upload page and the import_report command: thin callers of package_import."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from evalportal.accounts.models import User
from evalportal.exporters.xlsx import package_xlsx
from evalportal.reports.models import ReportPackage
from evalportal.review.workflow import State
from tests.factories import make_department, make_user

from .conftest import edit, named

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, package, data, name="附件.xlsx"):
    return client.post(reverse("importers:upload", args=[package.pk]),
                       {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def test_the_filler_imports_and_sees_what_changed(client, demo_a, exported):
    client.force_login(User.objects.get(username="filler"))
    page = client.get(reverse("importers:upload", args=[demo_a.pk]))
    assert page.status_code == 200 and "检查并导入" in page.content.decode()
    data = edit(exported, lambda wb: setattr(named(wb, "a2_initial_budget"), "value", 700))
    response = upload(client, demo_a, data)
    assert response.status_code == 302 and response["Location"] == reverse("importers:done", args=[demo_a.pk])
    done = client.get(response["Location"]).content.decode()
    assert "导入完成：共改动1处。" in done and "附件2 部门整体自评表!D5" in done and "700.00" in done
    # The result is shown once; a reload goes back to the package.
    assert client.get(response["Location"])["Location"] == reverse("reports:package", args=[demo_a.pk])


def test_a_refused_file_lists_every_problem_and_keeps_the_form(client, demo_a, exported):
    client.force_login(User.objects.get(username="filler"))

    def change(wb):
        named(wb, "a2_initial_budget").value = "abc"
        named(wb, "a2_row_01_target").value = "≥≤95%"
    response = upload(client, demo_a, edit(exported, change))
    body = response.content.decode()
    assert response.status_code == 200
    assert "发现2处问题，报告未作任何修改" in body and "附件2 部门整体自评表!D5：“abc”不是有效的数值" in body
    assert "附件2 部门整体自评表!E14：指标值只能有一个比较符" in body
    for bad in (b"", b"not a workbook at all"):
        body = upload(client, demo_a, bad, name="x.xlsx").content.decode()
        assert "报告未作任何修改" in body and ("文件是空的" in body or "不是有效的Excel工作簿" in body)


def test_a_file_over_the_limit_is_refused_at_the_field(client, demo_a, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1000
    client.force_login(User.objects.get(username="filler"))
    body = upload(client, demo_a, b"x" * 2000).content.decode()
    assert "文件过大" in body and "is-invalid" in body


def test_who_may_import(client, demo_a):
    url = reverse("importers:upload", args=[demo_a.pk])
    assert client.get(url)["Location"].startswith(reverse("login"))
    client.force_login(User.objects.get(username="head"))
    assert client.get(url).status_code == 403
    client.force_login(make_user("filler", department=make_department()))
    assert client.get(url).status_code == 404
    ReportPackage.objects.filter(pk=demo_a.pk).update(state=State.PENDING_FINANCE)
    client.force_login(User.objects.get(username="filler"))
    page = client.get(url).content.decode()
    assert "不能导入" in page and "检查并导入" not in page
    assert "不能导入" in upload(client, demo_a, b"PK").content.decode()


def test_the_overview_links_to_the_import_page_for_the_filler_of_a_draft(client, demo_a):
    client.force_login(User.objects.get(username="filler"))
    link = reverse("importers:upload", args=[demo_a.pk])
    assert link in client.get(reverse("reports:package", args=[demo_a.pk])).content.decode()
    client.force_login(User.objects.get(username="head"))
    assert link not in client.get(reverse("reports:package", args=[demo_a.pk])).content.decode()


def test_the_command_imports_and_fails_with_every_error(demo_a, exported, empty_package, tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(edit(exported, lambda wb: setattr(named(wb, "a2_initial_budget"), "value", 700)))
    call_command("import_report", str(good), "--department", "MLS-XZSP", "--year", "2023")
    assert "共改动1处" in capsys.readouterr().out

    bad = tmp_path / "bad.xlsx"
    current = package_xlsx(demo_a)          # the import above made the first file outdated
    bad.write_bytes(edit(current, lambda wb: setattr(named(wb, "a2_full_year_budget"), "value", -1)))
    with pytest.raises(CommandError, match="报告未作任何修改"):
        call_command("import_report", str(bad), "--department", "汨罗市行政审批服务局", "--year", "2023")
    assert "附件2 部门整体自评表!E5：金额不能为负数" in capsys.readouterr().err

    with pytest.raises(CommandError, match="该文件不属于本报告|导入失败"):
        call_command("import_report", str(good), "--department", "T-IMPORT", "--year", "2023")
    call_command("import_report", str(good), "--department", "T-IMPORT", "--year", "2023", "--force-package")
    assert empty_package.projects.count() == 4
    with pytest.raises(CommandError, match="找不到"):
        call_command("import_report", str(good), "--department", "不存在", "--year", "2023")


def test_a_huge_upload_is_dropped_while_it_arrives_and_csrf_still_holds(client, demo_a, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100_000
    client.force_login(User.objects.get(username="filler"))
    body = upload(client, demo_a, b"x" * 300_000).content.decode()
    assert "文件过大" in body and "报告未作任何修改" not in body
    from django.test import Client
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(User.objects.get(username="filler"))
    assert upload(strict, demo_a, b"PK").status_code == 403
