"""`make load`: 50 clerks each editing their own package and 5 editing one shared package, on gunicorn.

Statistics cover LOAD_SECONDS of editing that start once the last clerk has logged in (measure_from_now).

Each save either lands (302) or answers with the conflict message; every landed save is written to
LOAD_RESULTS with the version it was based on, so `manage.py loadtest_verify` can prove nothing was lost.
"""
import itertools
import json
import os
import re
import threading
import uuid

import gevent
from locust import HttpUser, between, events, task

from evalportal.core.loadtest.forms import forms_in

RESULTS = os.environ.get("LOAD_RESULTS", "var/load-results.jsonl")
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))
_lock = threading.Lock()
_own = itertools.count(1)
_shared = itertools.count(1)
_logged_in = itertools.count(1)
SERVER_ERRORS = {"count": 0}


@events.request.add_listener
def count_server_errors(response=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS["count"] += 1


@events.quitting.add_listener
def report_server_errors(environment, **kwargs):
    print(f"5xx responses: {SERVER_ERRORS['count']}")


def measure_from_now(environment) -> None:
    """Once every clerk has logged in: the morning's logins (password hashing) are a phase of their own, so the
    statistics restart here and the run ends SECONDS later."""
    stats = environment.runner.stats
    print(f"all {environment.runner.target_user_count} clerks logged in: login phase {stats.total.num_requests} "
          f"requests, p95 {stats.total.get_response_time_percentile(0.95):.0f} ms; measuring {SECONDS} s from now")
    stats.reset_all()
    gevent.spawn_later(SECONDS, environment.runner.quit)


def record(entry: dict) -> None:
    with _lock, open(RESULTS, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Clerk(HttpUser):
    abstract = True
    # A clerk changes a figure or a sentence and saves: a few seconds of reading and typing between saves.
    wait_time = between(float(os.environ.get("LOAD_WAIT_MIN", 3)), float(os.environ.get("LOAD_WAIT_MAX", 8)))
    username = ""

    def on_start(self):
        login = self.client.get("/accounts/login/", name="登录页")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        self.client.post("/accounts/login/", {"username": self.username, "password": "evalportal-demo",
                                              "csrfmiddlewaretoken": token}, name="登录")
        home = self.client.get("/", name="我的报告")
        package_url = re.search(r'href="(/packages/\d+/)"', home.text).group(1)
        overview = self.client.get(package_url, name="报告总览")
        self.sheet_url = re.search(r'href="(/packages/\d+/projects/\d+/)"', overview.text).group(1)
        if next(_logged_in) == self.environment.runner.target_user_count:
            measure_from_now(self.environment)

    @task
    def edit_goal(self):
        page = self.client.get(self.sheet_url, name="附件3 表单")
        form = next((f for f in forms_in(page.text) if any(x.name == "version" for x in f.fields)), None)
        if form is None:
            return
        data = {f.name: f.value for f in form.fields}
        goal = next(name for name in data if name.endswith("goal_achieved"))
        value = f"{self.username}-{uuid.uuid4().hex[:10]}"
        data[goal] = value
        # Written before sending: a save the server commits while the run is being stopped is never answered,
        # and the verifier must know it was attempted.
        record({"user": self.username, "sheet": self.sheet_url, "field": goal, "value": value,
                "based_on_version": int(data["version"]), "attempt": True})
        with self.client.post(self.sheet_url, data, allow_redirects=False, name="附件3 保存",
                              catch_response=True) as response:
            if response.status_code == 302:
                record({"user": self.username, "sheet": self.sheet_url, "field": goal, "value": value,
                        "based_on_version": int(data["version"])})
                response.success()
            elif response.status_code == 200 and "保存冲突" in response.text:
                response.success()          # the promised answer to a concurrent edit, not a failure
                record({"user": self.username, "sheet": self.sheet_url, "conflict": True})
            else:
                response.failure(f"unexpected {response.status_code}")


class OwnPackageClerk(Clerk):
    fixed_count = int(os.environ.get("LOAD_OWN_USERS", 50))

    def on_start(self):
        self.username = f"load{next(_own):02d}"
        super().on_start()


class SharedPackageClerk(Clerk):
    fixed_count = int(os.environ.get("LOAD_SHARED_USERS", 5))

    def on_start(self):
        self.username = f"shared{next(_shared):02d}"
        super().on_start()
