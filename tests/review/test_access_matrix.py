"""Every URL pattern of the project has a declared rule per actor, and every rule holds (docs: /tmp/access.md).

Each app declares `ACCESS = {"<namespace>:<name>": {actor: outcome}}` in `evalportal/<app>/access.py`.
Outcomes of a GET: "ok" (200, or a 302 that is not to the login page), "login" (302 to /accounts/login/),
"403", "404", "405". Actors: anonymous, filler / head (demo A's department), filler_other (another
region's department), reviewer_same (汨罗市), reviewer_other (常宁市), admin. The rules are checked against
demo A in 待财政审核 (reached through 提交 → 确认上报).

URL kwargs are filled by name: pk / package_pk → demo A; project_pk → its first project; row_pk → one of
its indicator rows; comment_pk → a reviewer comment on it; snapshot_pk → its snapshot; action → "approve";
number → 4; token / uidb64 → dummy values. Django's admin site (namespace "admin") has its own staff
permission checks and is left out; tests/review/test_locking.py covers it for locked packages.
"""
import importlib

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from evalportal.accounts.roles import Role
from evalportal.reports.models import IndicatorRow
from evalportal.review.services import comment_add, package_transition
from tests.factories import make_department, make_region, make_user
from tests.review.conftest import explain_warnings

pytestmark = pytest.mark.django_db

ACTORS = ("anonymous", "filler", "filler_other", "head", "reviewer_same", "reviewer_other", "admin")
SKIPPED_NAMESPACES = {"admin"}


def _patterns(resolvers=None, prefix=""):
    """(qualified name or None, route parameter names) of every pattern in the project."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern):
            params = tuple(entry.pattern.regex.groupindex)
            yield (f"{prefix}{entry.name}" if entry.name else None, params, str(entry.pattern))


def declared_rules() -> dict:
    rules = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("evalportal."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.access")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.access":
                raise
            continue
        rules.update(module.ACCESS)
    return rules


def test_every_url_pattern_has_a_rule_for_every_actor():
    rules = declared_rules()
    missing = []
    for name, _params, route in _patterns():
        if name is None:
            missing.append(f"（未命名）{route}")
        elif name not in rules:
            missing.append(name)
        elif set(rules[name]) != set(ACTORS):
            missing.append(f"{name}: {sorted(set(ACTORS) ^ set(rules[name]))}")
    assert not missing, "这些网址没有声明访问规则（evalportal/<app>/access.py）：\n" + "\n".join(missing)


@pytest.fixture
def world(demo_a):
    from evalportal.accounts.models import User
    explain_warnings(demo_a)
    filler, head, reviewer = (User.objects.get(username=n) for n in ("filler", "head", "reviewer"))
    package = package_transition(package=demo_a, action="submit", actor=filler)
    package = package_transition(package=package, action="confirm", actor=head)
    other_region = make_region("常宁市")
    admin = User.objects.create_superuser("admin", "admin@example.gov.cn", "evalportal-demo-pw")
    make_user(Role.ADMIN, username="admin-role-holder")
    from evalportal.accounts.models import RoleGrant
    RoleGrant.objects.create(user=admin, role=Role.ADMIN)
    project = package.projects.order_by("order").first()
    row = IndicatorRow.objects.filter(department_sheet__package=package).first()
    comment = comment_add(package=package, actor=reviewer, section_key="att2.indicators", row_id=row.pk,
                          row_label=row.name, text="请核实。")
    users = {
        "anonymous": None, "filler": filler, "head": head, "reviewer_same": reviewer, "admin": admin,
        "filler_other": make_user(Role.FILLER, department=make_department(other_region), username="filler-other"),
        "reviewer_other": make_user(Role.REVIEWER, region=other_region, username="reviewer-other"),
    }
    kwargs = {"pk": package.pk, "package_pk": package.pk, "project_pk": project.pk, "row_pk": row.pk,
              "comment_pk": comment.pk, "snapshot_pk": package.snapshots.first().pk, "action": "approve",
              "number": 4, "token": "set-password", "uidb64": "MQ"}
    return users, kwargs


def outcome_of(response) -> str:
    if response.status_code == 302:
        return "login" if response.url.startswith("/accounts/login/") else "ok"
    if response.status_code == 200:
        return "ok"
    return str(response.status_code)


def test_every_rule_holds_for_demo_a_in_pending_finance(client, world):
    users, values = world
    rules = declared_rules()
    client.raise_request_exception = False     # a 500 is reported as an outcome, with every other mismatch
    wrong = []
    for name, params, _route in _patterns():
        if name is None or name not in rules:
            continue
        url = reverse(name, kwargs={p: values[p] for p in params})
        for actor in ACTORS:
            client.logout()
            if users[actor] is not None:
                client.force_login(users[actor])
            got = outcome_of(client.get(url))
            if got != rules[name][actor]:
                wrong.append(f"{name} {url} {actor}: 期望 {rules[name][actor]}，实际 {got}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_can_fail(client, world):
    """A rule claiming the other region's reviewer may read the package must be caught as a 404."""
    users, values = world
    client.force_login(users["reviewer_other"])
    url = reverse("review:package_review", kwargs={"pk": values["pk"]})
    assert outcome_of(client.get(url)) == "404"
