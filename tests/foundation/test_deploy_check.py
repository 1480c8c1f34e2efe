"""`manage.py check --deploy` with the production profile: only the warnings the README explains."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def deploy_warnings(**env) -> set[str]:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "EVALPORTAL_TESTING")}
    environment.update({"SECRET_KEY": "x" * 20 + "production-only-secret-key-for-the-check-0123456789",
                        "ALLOWED_HOSTS": "evalportal.intranet", "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
                        **env})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120)
    return set(re.findall(r"\(security\.(W\d+)\)", result.stdout + result.stderr))


def test_https_profile_leaves_only_the_preload_warning():
    assert deploy_warnings(HTTPS="true") == {"W021"}


def test_plain_http_intranet_profile_leaves_only_the_https_warnings():
    assert deploy_warnings() == {"W004", "W008", "W012", "W016"}


def test_production_refuses_to_start_without_a_secret_key():
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "EVALPORTAL_TESTING", "SECRET_KEY")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
