import pytest
from django.urls import reverse

from evalportal.accounts.roles import Role
from evalportal.review.workflow import State
from tests.factories import make_department, make_package, make_region, make_user

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_and_rejects_a_wrong_password_keeping_the_username(client, templates_loaded):
    make_user(Role.FILLER, department=make_department(), username="clerk")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "用户名" in page.content.decode() and 'lang="zh-CN"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": "clerk", "password": "wrong-password"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "请输入一个正确的" in body or "用户名和密码" in body
    assert 'value="clerk"' in body


def test_anonymous_users_are_sent_to_the_login_page(client, templates_loaded):
    package = make_package()
    for url in (reverse("reports:home"), reverse("reports:package", args=[package.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")


def test_each_role_sees_only_its_scope_on_the_home_page(client, templates_loaded):
    city = make_region("汨罗市")
    other_city = make_region("常宁市")
    mine = make_package(make_department(city, "汨罗市行政审批服务局"))
    neighbour = make_package(make_department(city, "汨罗市财政局机关"))
    far = make_package(make_department(other_city, "常宁市行政审批服务局"), )
    neighbour.state = State.PENDING_FINANCE
    neighbour.save()
    far.state = State.PENDING_FINANCE
    far.save()

    filler = make_user(Role.FILLER, department=mine.department)
    client.force_login(filler)
    body = client.get(reverse("reports:home")).content.decode()
    assert "汨罗市行政审批服务局" in body and "汨罗市财政局机关" not in body and "常宁市" not in body

    reviewer = make_user(Role.REVIEWER, region=city)
    client.force_login(reviewer)
    body = client.get(reverse("reports:home")).content.decode()
    # A reviewer sees the region's packages from 待财政审核 on: not the draft, not another city.
    assert "汨罗市财政局机关" in body and "汨罗市行政审批服务局" not in body and "常宁市行政审批服务局" not in body

    head = make_user(Role.HEAD, department=far.department)
    client.force_login(head)
    body = client.get(reverse("reports:home")).content.decode()
    assert "常宁市行政审批服务局" in body and "汨罗市" not in body


def test_a_package_outside_the_users_scope_is_a_404(client, templates_loaded):
    mine, theirs = make_package(), make_package()
    client.force_login(make_user(Role.FILLER, department=mine.department))
    assert client.get(reverse("reports:package", args=[mine.pk])).status_code == 200
    assert client.get(reverse("reports:package", args=[theirs.pk])).status_code == 404


def test_the_admin_sees_every_package(client, templates_loaded):
    first, second = make_package(), make_package()
    client.force_login(make_user(Role.ADMIN))
    body = client.get(reverse("reports:home")).content.decode()
    assert first.department.name in body and second.department.name in body
