"""Insight follows the package: a save queues a refresh of its signals after commit, and reviewers see them
on the review page and as a dashboard column."""
import pytest
from django.urls import reverse

from evalportal.accounts.models import User
from evalportal.insight.models import PackageSignals
from evalportal.reports.models import ReportPackage
from evalportal.reports.services import package_refresh

pytestmark = pytest.mark.django_db


def test_a_refresh_queues_the_insight_update_after_commit(demo_loaded, django_capture_on_commit_callbacks):
    package = ReportPackage.objects.get(department__name="汨罗市行政审批服务局")
    PackageSignals.objects.filter(package=package).delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        package_refresh(package)
    assert callbacks, "the insight update must wait for the commit"
    signals = PackageSignals.objects.get(package=package)
    assert signals.score > 0          # demo A: every row at full marks, qualitative rows without evidence


def test_reviewers_see_the_signals_on_the_review_page_and_the_dashboard(client, demo_loaded,
                                                                        django_capture_on_commit_callbacks):
    package = ReportPackage.objects.get(department__name="汨罗市行政审批服务局")
    with django_capture_on_commit_callbacks(execute=True):
        package_refresh(package)
    client.force_login(User.objects.get(username="reviewer"))
    review = client.get(reverse("review:package_review", args=[package.pk])).content.decode()
    assert "全部满分" in review
    dashboard = client.get(reverse("review:dashboard")).content.decode()
    assert "关注分" in dashboard and "badge bg-danger" in dashboard
