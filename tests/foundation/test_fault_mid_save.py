"""The database connection drops in the middle of a save: the clerk gets a message, the data stays as it was."""
import pytest
from django.db import OperationalError
from django.urls import reverse

from evalportal.accounts.models import User
from evalportal.reports.models import IndicatorRow, ReportPackage
from tests.reports.formdata import page_data, row_prefix

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_connection_lost_after_the_first_writes_rolls_the_whole_save_back(client, demo_loaded, monkeypatch):
    package = ReportPackage.objects.get(department__name="常宁市行政审批服务局")
    project = package.projects.order_by("order").first()
    url = reverse("reports:project_sheet", args=[package.pk, project.pk])
    client.force_login(User.objects.get(username="filler2"))
    page = client.get(url)
    data = page_data(page)
    prefix = row_prefix(page, "政务服务大厅服务窗口数量")
    data[f"{prefix}-actual_raw"] = "230个"
    data["sheet-goal_achieved"] = "改过的实际完成情况"
    version = package.version

    # The rows and the sheet are written, the version is claimed; then the server goes away.
    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("evalportal.review.audit.audit_save", connection_lost)
    response = client.post(url, data)
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.content.decode()

    package.refresh_from_db()
    row = IndicatorRow.objects.get(project_sheet__project=project, name="政务服务大厅服务窗口数量")
    assert package.version == version and row.actual_raw == "218个"
    assert project.sheet.__class__.objects.get(pk=project.sheet.pk).goal_achieved != "改过的实际完成情况"
