import pytest

pytestmark = pytest.mark.django_db


def attempt(client, username, password, ip):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_that_user_at_that_address_only(client, demo_loaded, settings):
    office = "10.1.1.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "filler", "wrong-password", office)
    locked = attempt(client, "filler", "evalportal-demo", office)
    assert locked.status_code == 429 and "暂时锁定" in locked.content.decode()
    # A colleague behind the same NAT address still logs in, and so does the same user elsewhere.
    assert attempt(client, "head", "evalportal-demo", office).status_code == 302
    client.logout()
    assert attempt(client, "filler", "evalportal-demo", "10.2.2.2").status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, demo_loaded, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "filler", "wrong-password", "10.1.1.1")
    assert attempt(client, "filler", "evalportal-demo", "10.1.1.1").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "filler", "wrong-password", "10.1.1.1")
    assert attempt(client, "filler", "evalportal-demo", "10.1.1.1").status_code == 302
