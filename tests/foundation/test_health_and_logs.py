import json
import logging

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_login_and_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_reports_a_broken_database_as_503(client, monkeypatch):
    from django.db import OperationalError, connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["status"] == "error"


def test_every_request_is_logged_as_one_json_line_with_user_and_duration(client, caplog, templates_loaded):
    from evalportal.accounts.roles import Role
    from tests.factories import make_department, make_user
    client.force_login(make_user(Role.FILLER, department=make_department(), username="logclerk"))
    with caplog.at_level(logging.INFO, logger="evalportal.requests"):
        client.get("/")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "evalportal.requests"]
    assert lines and lines[-1]["user"] == "logclerk" and lines[-1]["status"] == 200 and lines[-1]["ms"] >= 0


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
