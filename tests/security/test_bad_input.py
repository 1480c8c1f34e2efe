"""Every form of the application, fed wrong types, over-long text, negative money, unknown choices,
no CSRF token and another department's ids: never a 500; a rejected form comes back with what was typed."""
import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from evalportal.accounts.models import User
from evalportal.reports.models import ReportPackage

from tests.security.walker import BAD_VALUES, forms_in, mutate, url_patterns

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin:", "password_reset", "logout", "login")


def kwargs_for(route: str, package: ReportPackage) -> dict | None:
    project = package.projects.order_by("order").first()
    known = {"pk": package.pk, "package_pk": package.pk, "project_pk": project.pk if project else 0}
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if any(name not in known for name in names):
        return None
    return {name: known[name] for name in names}


def pages_of(package: ReportPackage, *, scoped_only: bool = False) -> list[str]:
    """Every page that can be reached for the package; scoped_only: only those naming it in the URL."""
    urls = []
    for name, route, _ in url_patterns():
        if name.startswith(SKIP_PREFIXES):
            continue
        kwargs = kwargs_for(route, package)
        if kwargs is None or (scoped_only and not kwargs):
            continue
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return urls


def walk(client: Client, package: ReportPackage) -> list[tuple[str, str, int]]:
    """Post each kind of bad input into every POST form on every page; returns (page, how, status)."""
    seen = []
    for url in pages_of(package):
        page = client.get(url)
        assert page.status_code < 500, f"GET {url} → {page.status_code}"
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for form in forms_in(page.content.decode()):
            if form.method != "post" or not form.fields or "logout" in form.action:
                continue
            target = form.action or url
            for how in BAD_VALUES:
                data = mutate(form, how)
                response = client.post(target, data, HTTP_REFERER=url)
                assert response.status_code < 500, f"POST {target} ({how}) → {response.status_code}"
                seen.append((url, how, response.status_code))
                # Passwords are never echoed back, by design; every other typed field must be.
                typed = [f.name for f in form.fields if f.kind != "password" and data.get(f.name) == BAD_VALUES[how]]
                if response.status_code == 200 and typed and how in ("wrong_type", "negative", "over_long"):
                    body = response.content.decode()
                    if "<form" in body and "is-invalid" in body:
                        # A rejected form comes back filled in with what was typed (escaped in HTML).
                        assert BAD_VALUES[how][:40] in body or "不是数字abc" in body or "-5.00" in body, (
                            f"{target} ({how}) rejected the form but lost what was typed")
    return seen


def test_every_form_of_a_draft_survives_bad_input_as_its_filler(demo_loaded):
    client = Client()
    client.force_login(User.objects.get(username="filler2"))
    package = ReportPackage.objects.get(department__name="常宁市行政审批服务局")
    seen = walk(client, package)
    assert seen, "no form was found to walk"


def test_every_form_of_a_package_under_review_survives_bad_input_as_its_reviewer(demo_loaded):
    client = Client()
    client.force_login(User.objects.get(username="reviewer"))
    package = ReportPackage.objects.get(department__name="汨罗市行政审批服务局")
    walk(client, package)


def test_posts_without_a_csrf_token_are_refused_not_crashed(demo_loaded):
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="filler2"))
    package = ReportPackage.objects.get(department__name="常宁市行政审批服务局")
    for url in pages_of(package):
        response = client.post(url, {"anything": "1"})
        assert response.status_code in (403, 404, 405), f"POST {url} without CSRF → {response.status_code}"


def test_another_departments_ids_get_404_on_every_page(demo_loaded):
    client = Client()
    client.force_login(User.objects.get(username="filler2"))
    foreign = ReportPackage.objects.get(department__name="汨罗市行政审批服务局")
    urls = pages_of(foreign, scoped_only=True)
    assert len(urls) > 5
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (404, 405), f"{method.__name__.upper()} {url} → {response.status_code}"
