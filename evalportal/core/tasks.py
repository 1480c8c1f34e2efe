"""Background work through one interface: Django's Tasks API (django-tasks backport).

settings.TASK_BACKEND picks the backend: "database" (django-tasks-db; `manage.py db_worker`, started by
`make run` and `make serve-prod`), "rq" (Redis; `manage.py rqworker default` on any number of machines),
or "immediate" (inline, under tests). Task bodies are plain functions of the apps; these wrappers only
give them a queue.
"""
from django_tasks import task


@task()
def region_zip(job_id: int) -> int:
    """All approved PDFs of a region and year as one ZIP (exporters.bulk.run_job records progress)."""
    from evalportal.exporters import bulk, rendering
    try:
        bulk.run_job(job_id)
    finally:
        rendering.shutdown_pool()     # the worker process renders with its own pool; don't keep it idle
    return job_id


@task()
def insight_package(package_id: int) -> int:
    """Refresh one package's plausibility signals and copied-text fingerprints after it changed."""
    from evalportal.insight.services import insight_refresh
    from evalportal.reports.models import ReportPackage
    package = ReportPackage.objects.filter(pk=package_id).select_related("department").first()
    if package is not None:
        insight_refresh(package)
    return package_id


@task()
def insight_region(region_id: int, year: int) -> int:
    """Recompute plausibility signals and the copied-text index for a region and year."""
    from evalportal.insight import services
    from evalportal.orgs.models import Region
    services.region_recompute(Region.objects.get(pk=region_id), year)
    return region_id
