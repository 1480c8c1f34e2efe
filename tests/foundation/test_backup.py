import pytest
from django.core.management import CommandError, call_command

from evalportal.reports.models import IndicatorRow, ReportPackage
from evalportal.reports.selectors import load_package, package_data

pytestmark = pytest.mark.django_db(transaction=True)


def _audit_count(package) -> int:
    try:
        from evalportal.review.models import AuditEvent
    except ImportError:
        return 0
    return AuditEvent.objects.filter(package=package).count()


def test_backup_and_restore_round_trip_a_whole_package_with_its_trail(demo_a, tmp_path):
    before = package_data(load_package(demo_a.pk))
    trail = _audit_count(demo_a)
    backup = tmp_path / "backup.json.gz"
    call_command("backup", "--output", str(backup), verbosity=0)

    # A restore into a database that already holds data needs --force and leaves it as the backup says.
    IndicatorRow.objects.filter(department_sheet__package=demo_a).delete()
    with pytest.raises(CommandError):
        call_command("restore", str(backup), verbosity=0)
    call_command("restore", str(backup), "--force", verbosity=0)

    restored = ReportPackage.objects.get(department__code=demo_a.department.code, year=2023)
    assert package_data(load_package(restored.pk)) == before
    assert _audit_count(restored) == trail


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, db):
    junk = tmp_path / "junk.json.gz"
    junk.write_bytes(b"not gzip at all")
    with pytest.raises(CommandError, match="无法读取备份文件"):
        call_command("restore", str(junk))
