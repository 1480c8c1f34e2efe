"""Locked packages reject writes (service guard, model guard, admin); the audit trail is append-only."""
import pytest
from django.core.exceptions import PermissionDenied

from evalportal.reports.models import DepartmentEvalSheet, IndicatorRow, ReportPackage
from evalportal.review.audit import audit_event, audit_save
from evalportal.review.guards import PackageLocked, ensure_editable
from evalportal.review.models import AuditEvent, FieldChange
from evalportal.review.workflow import EDITABLE_STATES, State

pytestmark = pytest.mark.django_db


def _state(package, state):
    ReportPackage.objects.filter(pk=package.pk).update(state=state)
    package.refresh_from_db()
    return package


@pytest.mark.parametrize("state", list(State))
def test_ensure_editable_allows_only_draft_and_returned(demo_a, state):
    _state(demo_a, state)
    if state in EDITABLE_STATES:
        ensure_editable(demo_a)
    else:
        with pytest.raises(PackageLocked) as refused:
            ensure_editable(demo_a)
        assert "不能修改" in str(refused.value)


@pytest.mark.parametrize("state", [State.APPROVED, State.PUBLISHED])
def test_no_save_reaches_the_content_of_an_approved_package(demo_a, state):
    _state(demo_a, state)
    row = IndicatorRow.objects.filter(department_sheet__package=demo_a).first()
    row.actual_raw = "50%"
    with pytest.raises(PackageLocked):
        row.save()
    sheet = DepartmentEvalSheet.objects.get(package=demo_a)
    sheet.goal_achieved = "改写"
    with pytest.raises(PackageLocked):
        sheet.save()
    assert IndicatorRow.objects.get(pk=row.pk).actual_raw != "50%"


def test_the_form_save_service_refuses_a_locked_package(demo_a):
    from evalportal.reports import services
    _state(demo_a, State.APPROVED)
    claim = getattr(services, "_claim_version", None)
    if claim is None:
        pytest.skip("form save services not present")
    with pytest.raises(PackageLocked):
        claim(demo_a, demo_a.version)


def test_the_admin_shows_locked_content_read_only(client, demo_a):
    from evalportal.accounts.models import User
    admin = User.objects.create_superuser("root", "root@example.gov.cn", "evalportal-demo-pw")
    client.force_login(admin)
    sheet = DepartmentEvalSheet.objects.get(package=demo_a)
    url = f"/admin/reports/departmentevalsheet/{sheet.pk}/change/"
    assert 'name="goal_achieved"' in client.get(url).content.decode()     # a draft is editable
    _state(demo_a, State.APPROVED)
    page = client.get(url).content.decode()
    assert 'name="goal_achieved"' not in page                              # read-only view
    response = client.post(url, {"goal_achieved": "改写"})
    assert response.status_code == 403
    assert client.post(f"/admin/reports/departmentevalsheet/{sheet.pk}/delete/", {"post": "yes"}).status_code == 403
    sheet.refresh_from_db()
    assert sheet.goal_achieved != "改写"
    # The workflow fields of the package itself are never editable in the admin.
    _state(demo_a, State.DRAFT)
    page = client.get(f"/admin/reports/reportpackage/{demo_a.pk}/change/").content.decode()
    assert 'name="state"' not in page


def test_audit_save_records_each_change_and_the_trail_cannot_be_edited_or_deleted(demo_a):
    from evalportal.accounts.models import User
    filler = User.objects.get(username="filler")
    event = audit_save(package=demo_a, actor=filler, remote_addr="10.1.2.3", changes=[
        ("附件2", "全年执行数", "1450.82", "1450.00"), ("附件2「社会公众满意度」", "实际完成值", "98%", "97%")])
    assert (event.kind, event.role, event.remote_addr, event.actor_name) == ("save", "filler", "10.1.2.3", "彭雁")
    assert list(event.changes.values_list("field", "old", "new")) == [
        ("全年执行数", "1450.82", "1450.00"), ("实际完成值", "98%", "97%")]
    event.note = "改"
    with pytest.raises(PermissionDenied):
        event.save()
    with pytest.raises(PermissionDenied):
        event.delete()
    with pytest.raises(PermissionDenied):
        AuditEvent.objects.filter(pk=event.pk).update(note="改")
    with pytest.raises(PermissionDenied):
        FieldChange.objects.filter(event=event).delete()
    assert FieldChange.objects.filter(event=event).count() == 2
    imported = audit_event(package=demo_a, actor=filler, kind=AuditEvent.Kind.IMPORT, file_hash="ab" * 32)
    assert imported.extra == {"file_hash": "ab" * 32}


def test_an_audit_event_rolls_back_with_the_change_it_records(demo_a):
    from django.db import transaction

    from evalportal.accounts.models import User
    filler = User.objects.get(username="filler")
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            audit_save(package=demo_a, actor=filler, changes=[("附件2", "基本支出", "1", "2")])
            raise RuntimeError("the save failed")
    assert not AuditEvent.objects.filter(package=demo_a).exists()


def test_the_trail_survives_deleting_the_package(demo_a):
    from evalportal.accounts.models import User
    audit_save(package=demo_a, actor=User.objects.get(username="filler"), changes=[("附件2", "基本支出", "1", "2")])
    label = str(demo_a)
    demo_a.delete()
    event = AuditEvent.objects.get(package_label=label)
    assert event.package_id is None and event.changes.count() == 1
