"""All approved packages of a region and year as one ZIP, built in a background process (issue 7, item 4).

`build_region_zip(region_id, year, out_path, progress)` is the job body: a plain function, so that it can move
to a task queue unchanged. It writes each PDF into the ZIP file on disk as soon as it is rendered, so neither
memory nor any request grows with the region; `progress(done, total, label)` reports after every package.
`start_job(job)` puts it on the task queue (evalportal.core.tasks.region_zip): the request returns at once, a
worker process builds the file, and the page polls. A worker killed half-way leaves only a `.part` file and a
job whose heartbeat stops: the status page reports it as interrupted (ExportJob.is_stale).
"""
from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from evalportal.review.workflow import LOCKED_STATES

logger = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


def approved_packages(region_id: int, year: int):
    """Approved (and published) packages of the region and its child regions for the year, by department."""
    from evalportal.orgs.models import Region
    from evalportal.reports.models import ReportPackage
    region = Region.objects.get(pk=region_id)
    return (ReportPackage.objects.filter(department__region_id__in=region.descendant_ids(), year=year,
                                         state__in=LOCKED_STATES)
            .select_related("department").order_by("department__region__name", "department__name"))


def build_region_zip(region_id: int, year: int, out_path: str, progress: Progress) -> int:
    """Write the ZIP to `out_path` (via a temporary name) and return the number of PDFs in it."""
    from . import pdf
    packages = list(approved_packages(region_id, year).values_list("pk", flat=True))
    total = len(packages)
    progress(0, total, "")
    temporary = Path(f"{out_path}.part")
    temporary.parent.mkdir(parents=True, exist_ok=True)
    names: set[str] = set()
    # PDFs are compressed already: ZIP_STORED costs no CPU and streams each file straight to disk.
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for done, pk in enumerate(packages, start=1):
            from evalportal.reports.selectors import load_package
            package = load_package(pk)
            name = pdf.pdf_filename(package)
            if name in names:        # two departments of the same name in different regions
                name = f"{package.department.region.name}-{name}"
            names.add(name)
            archive.writestr(name, pdf.package_pdf(package))
            progress(done, total, package.department.name)
    os.replace(temporary, out_path)
    return total


def job_path(job) -> str:
    return str(Path(settings.EXPORT_JOB_DIR) / f"region-{job.region_id}-{job.year}-job{job.pk}.zip")


def run_job(job_id: int) -> None:
    """Body of the background process: build the ZIP of one ExportJob and record progress on it."""
    from .models import ExportJob
    job = ExportJob.objects.get(pk=job_id)
    job.status, job.path, job.heartbeat_at = ExportJob.Status.RUNNING, job_path(job), timezone.now()
    job.save(update_fields=["status", "path", "heartbeat_at"])

    def progress(done: int, total: int, label: str) -> None:
        ExportJob.objects.filter(pk=job_id).update(done=done, total=total, current=label[:200],
                                                   heartbeat_at=timezone.now())

    try:
        build_region_zip(job.region_id, job.year, job.path, progress)
    except Exception as error:      # noqa: BLE001  (recorded on the job and shown on its page)
        logger.exception("region zip job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.FAILED, error=str(error)[:2000],
                                                   finished_at=timezone.now())
        return
    ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.DONE, size=os.path.getsize(job.path),
                                               finished_at=timezone.now())


def start_job(job) -> None:
    """Queue the job; whichever worker the configured task backend runs picks it up."""
    from evalportal.core.tasks import region_zip
    region_zip.enqueue(job.pk)
