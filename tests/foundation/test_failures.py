import errno

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_a_dropped_database_connection_gives_a_chinese_503_not_a_500(client, demo_loaded, monkeypatch):
    from evalportal.accounts.models import User
    from evalportal.reports import views
    client.force_login(User.objects.get(username="filler"))

    def dropped(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "packages_visible_to", dropped)
    response = client.get("/")
    assert response.status_code == 503
    assert "数据库暂时无法连接" in response.content.decode()


def test_a_full_disk_gives_a_chinese_503(client, demo_loaded, monkeypatch):
    from evalportal.accounts.models import User
    from evalportal.reports import views
    client.force_login(User.objects.get(username="filler"))

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(views, "packages_visible_to", disk_full)
    response = client.get("/")
    assert response.status_code == 503 and "磁盘空间已满" in response.content.decode()
