"""Bulk ZIP exports go through the task interface: inline under tests, on Redis with the rq backend,
and a worker that dies half-way leaves no half-written ZIP and a job that says it was interrupted."""
import zipfile
from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from evalportal.accounts.roles import Role
from evalportal.exporters import bulk
from evalportal.exporters.models import ExportJob
from tests.exporters.test_pdf import approve
from tests.factories import make_user

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/15"      # a database of its own, flushed around each test


@pytest.fixture
def rq_backend(settings):
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379 (the rq task backend needs it)")
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield connection
    connection.flushdb()


@pytest.fixture
def approved_region(demo_a, settings, tmp_path):
    settings.EXPORT_JOB_DIR = str(tmp_path)
    reviewer = make_user(Role.REVIEWER, region=demo_a.department.region)
    approve(demo_a, reviewer)
    return demo_a.department.region, reviewer


def test_a_bulk_export_runs_through_redis(rq_backend, approved_region):
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker
    region, reviewer = approved_region
    job = ExportJob.objects.create(user=reviewer, region=region, year=2023, total=1)
    bulk.start_job(job)

    queue = django_rq.get_queue("default")
    assert queue.count == 1                          # waiting on Redis, not run in this request
    job.refresh_from_db()
    assert job.status == ExportJob.Status.QUEUED

    # A worker (here in-process, no fork, so it shares the test's database connection) works it off.
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == 1
    assert zipfile.ZipFile(job.path).namelist() == ["2023年度汨罗市行政审批服务局绩效自评报告（已通过）.pdf"]


def test_a_worker_that_dies_mid_export_leaves_no_zip_and_an_interrupted_job(approved_region, monkeypatch,
                                                                             client, tmp_path):
    region, reviewer = approved_region
    job = ExportJob.objects.create(user=reviewer, region=region, year=2023, total=1)

    def killed(package):
        raise SystemExit("worker killed")             # what SIGTERM does to the render in a worker

    monkeypatch.setattr("evalportal.exporters.pdf.package_pdf", killed)
    with pytest.raises(SystemExit):
        bulk.run_job(job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING    # nobody was left to record the end
    assert not (tmp_path / bulk.job_path(job).split("/")[-1]).exists()   # only the .part file was written

    # Once its heartbeat is old, the status page says so and offers a new run instead of waiting forever.
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    client.force_login(reviewer)
    page = client.get(f"/export/region-zip/status/?job={job.pk}").content.decode()
    assert "后台任务进程中断" in page
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
