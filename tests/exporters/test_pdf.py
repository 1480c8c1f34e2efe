"""The PDF export read back (pypdf, pdftotext, pdffonts): demo A's pages, texts, fonts, watermark, safety, cache."""
import io
import re
import subprocess
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evalportal.accounts.roles import Role
from evalportal.exporters import pdf
from evalportal.exporters.models import ApprovalRecord, RenderedPart
from evalportal.reports.models import IndicatorRow, NarrativeSection
from evalportal.review.workflow import State
from tests.factories import make_user

pytestmark = pytest.mark.django_db
A4 = (595.28, 841.89)


def pages_text(data: bytes) -> list[str]:
    """pdftotext per page (the form feed separates pages) in drawing order, as a reader copying text gets it."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout
    return out.decode().split("\f")[:-1]


def compact(text: str) -> str:
    """Without the line breaks of wrapped lines and table cells."""
    return re.sub(r"\s+", "", text)


def fonts_of(data: bytes) -> list[list[str]]:
    out = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True).stdout.decode()
    return [line.split() for line in out.splitlines()[2:]]


def approve(package, reviewer):
    package.state, package.approved_by, package.approved_at = State.APPROVED, reviewer, timezone.now()
    package.save(update_fields=["state", "approved_by", "approved_at"])
    return package


def test_demo_a_prints_every_part_on_a4_with_its_headings_figures_and_page_numbers(demo_a):
    data = pdf.package_pdf(demo_a)
    reader = PdfReader(io.BytesIO(data))
    texts = pages_text(data)
    assert len(reader.pages) == len(texts) >= 20
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    whole = compact("".join(texts))
    for heading in ("2023年度汨罗市行政审批服务局部门整体支出绩效自评报告", "一、部门基本情况", "（一）基本支出情况",
                    "六、部门整体支出绩效情况", "4.财政资金使用评价情况", "附件：1.部门整体支出绩效评价基础数据表",
                    "2023年度部门整体支出绩效评价基础数据表", "2023年度部门整体支出绩效自评表", "附件3-4",
                    "2023年度项目支出绩效自评表", "政务中心大厅运行经费项目支出绩效评价报告", "单位负责人签字：黎柳平"):
        assert heading in whole, heading
    # Figures of demo A: funds, generated sentences and the engine's scores.
    for figure in ("671.45", "1450.82", "1116.12", "334.70", "289.15", "45.55", "1004.12", "100.00%",
                   "绩效综合评价得分为100.00分", "政务服务事项网上办事率", "≥95%", "≤2天", "填表人：彭雁"):
        assert figure in whole, figure
    assert "≧" not in whole and "≦" not in whole      # printed canonically (domain.md §11)
    # Page numbers run continuously: "— n —" on every page, and the watermark on every page of a draft.
    for number, text in enumerate(texts, start=1):
        assert f"— {number} —" in text
        assert "草稿" in compact(text)
    assert pdf.pdf_filename(demo_a) == "2023年度汨罗市行政审批服务局绩效自评报告（草稿）.pdf"


def test_fonts_are_embedded_subset_simplified_chinese_and_shared(demo_a):
    data = pdf.part_pdf(demo_a, "att3-1")
    fonts = fonts_of(data)
    assert fonts, "no fonts"
    names = [row[0] for row in fonts]
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts    # emb, sub
    assert any("Noto-Serif-CJK-SC" in name for name in names)
    assert not any("JP" in name or "DejaVu" in name for name in names)
    assert len(names) == len(set(names))              # one font per face, however many parts were joined
    whole = pdf.package_pdf(demo_a)
    assert len(whole) < 3_000_000
    assert len({row[0] for row in fonts_of(whole)}) == len(fonts_of(whole))


def test_one_part_alone_is_numbered_from_one(demo_a):
    data = pdf.part_pdf(demo_a, "att2")
    texts = pages_text(data)
    assert "附件2" in texts[0] and "— 1 —" in texts[0] and "— 2 —" in texts[1]
    assert "部门整体支出绩效评价基础数据表" not in "".join(texts)
    assert pdf.pdf_filename(demo_a, "att2") == "2023年度汨罗市行政审批服务局附件2部门整体支出绩效自评表（草稿）.pdf"
    with pytest.raises(pdf.UnknownPart):
        pdf.part_pdf(demo_a, "att4")        # 附件4 is 无 in demo A


def test_a_group_cut_by_a_page_break_repeats_its_labels_on_the_next_page(demo_a):
    sheet = demo_a.projects.get(order=1).sheet
    first = sheet.rows.order_by("order").first()
    IndicatorRow.objects.bulk_create(
        IndicatorRow(project_sheet=sheet, category=first.category, subcategory=first.subcategory,
                     name=f"补充的数量指标第{n}项，用于检验跨页续表", target_raw="≥95%", actual_raw="96%",
                     weight=first.weight, order=100 + n) for n in range(1, 13))
    texts = [compact(text) for text in pages_text(pdf.part_pdf(demo_a, "att3-1"))]
    assert len(texts) >= 3
    continued = [text for text in texts[1:] if "产出指标（30分）（续）" in text]
    assert continued and all("附件3-1政务中心大厅运行经费（续）" in text for text in continued)
    assert all("一级指标二级指标三级指标" in text for text in texts[1:])     # the column header is repeated
    assert "数量指标（续）" in continued[0]
    # The footer shares the page of the total row.
    assert "总分" in texts[-1] and "填表人：彭雁" in texts[-1]


def test_approved_package_has_no_watermark_and_proves_itself(client, demo_a):
    reviewer = make_user(Role.REVIEWER, region=demo_a.department.region)
    approve(demo_a, reviewer)
    data = pdf.package_pdf(demo_a)
    texts = pages_text(data)
    assert not any("草稿" in compact(text) for text in texts)
    record = ApprovalRecord.objects.get(package=demo_a)
    last = texts[-1]
    assert "电子文件核验信息" in last and record.content_hash in last.replace(" ", "").replace("\n", "")
    assert record.approved_by_name == reviewer.display_name and f"/export/verify/{record.token}/" in last
    page = client.get(reverse("exporters:verify", args=[record.token]))
    assert page.status_code == 200 and "核验通过" in page.content.decode()
    upload = io.BytesIO(data)
    upload.name = "report.pdf"
    checked = client.post(reverse("exporters:verify", args=[record.token]), {"file": upload})
    assert "上传的文件与本系统发放的文件完全一致" in checked.content.decode()
    # The record no longer stands once the content changes (reopened and edited, say).
    NarrativeSection.objects.filter(package=demo_a, key="S7").update(text="改过的问题说明。")
    assert "核验未通过" in client.get(reverse("exporters:verify", args=[record.token])).content.decode()
    assert "核验未通过" in client.get(reverse("exporters:verify", args=["not-a-token"])).content.decode()


def test_sample_data_prints_the_demo_footnote(demo_a):
    demo_a.has_sample_data = True
    demo_a.save(update_fields=["has_sample_data"])
    texts = pages_text(pdf.part_pdf(demo_a, "att1"))
    assert all("本报告含样例数据，仅供演示" in text for text in texts)


def test_markup_typed_in_a_narrative_prints_as_text_and_nothing_is_fetched(demo_a):
    typed = '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:9/x.css"> 正文'
    NarrativeSection.objects.filter(package=demo_a, key="S7").update(text=typed)
    texts = "".join(pages_text(pdf.part_pdf(demo_a, "report")))
    assert 'img src="file:///etc/passwd"' in texts and "http://127.0.0.1:9/x.css" in texts
    assert "root:x:0:0" not in texts


def test_the_fetcher_refuses_file_and_http_urls_even_in_raw_html():
    from evalportal.exporters import worker
    from evalportal.exporters.fetching import FetchRefused, SafeFetcher
    html = ('<html lang="zh-CN"><head><link rel="stylesheet" href="http://127.0.0.1:9/evil.css"></head><body>'
            '<img src="file:///etc/passwd"><img src="http://169.254.169.254/latest/meta-data/">'
            '<p style="background: url(file:///etc/hostname)">正文</p></body></html>')
    result = worker.render(html, "@page { size: A4 }")
    assert set(result.refused) >= {"file:///etc/passwd", "http://169.254.169.254/latest/meta-data/",
                                   "http://127.0.0.1:9/evil.css"}
    assert b"root:x:0:0" not in result.pdf
    fetcher = SafeFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch("data:text/plain;base64,5q2j5paH").read() == "正文".encode()


def test_a_changed_figure_renders_only_its_part_again(demo_a):
    first: dict = {}
    pdf.build_pdf(demo_a, stats=first)
    assert first["rendered"] == first["reused"] + first["rendered"] - first["reused"] and first["rendered"] >= 11
    keys_before = set(RenderedPart.objects.values_list("key", flat=True))
    row = IndicatorRow.objects.filter(project_sheet__project__package=demo_a, project_sheet__project__order=2).first()
    row.deviation_reason = "按期完成，无偏差。"
    row.save()
    second: dict = {}
    data = pdf.build_pdf(demo_a, stats=second)
    assert second["rendered"] == 1 and second["reused"] == first["rendered"] - 1
    new_keys = set(RenderedPart.objects.values_list("key", flat=True)) - keys_before
    assert set(RenderedPart.objects.filter(key__in=new_keys).values_list("kind", flat=True)) == {"att3-2"}
    assert "按期完成，无偏差。" in compact("".join(pages_text(data)))
    unchanged: dict = {}
    pdf.build_pdf(demo_a, stats=unchanged)
    assert unchanged["rendered"] == 0


def test_downloads_for_the_package_scope_and_404_for_an_unknown_part(client, demo_a):
    from evalportal.accounts.models import User
    client.force_login(User.objects.get(username="filler"))
    response = client.get(reverse("exporters:package_pdf", args=[demo_a.pk]) + "?part=att1")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''2023" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    assert client.get(reverse("exporters:package_pdf", args=[demo_a.pk]) + "?part=att9").status_code == 404
    overview = client.get(reverse("reports:package", args=[demo_a.pk])).content.decode()
    assert reverse("exporters:package_pdf", args=[demo_a.pk]) + "?part=att3-2" in overview


def test_export_report_command_writes_pdf_and_excel(demo_a, tmp_path):
    call_command("export_report", department="MLS-XZSP", year=2023, format="pdf", output=str(tmp_path / "a.pdf"),
                 part="att2")
    assert (tmp_path / "a.pdf").read_bytes().startswith(b"%PDF-")
    call_command("export_report", department="汨罗市行政审批服务局", year=2023, format="xlsx",
                 output=str(tmp_path / "a.xlsx"))
    assert zipfile.is_zipfile(tmp_path / "a.xlsx")
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="没有找到"):
        call_command("export_report", department="不存在的单位", year=2023, output=str(tmp_path / "b.pdf"))


def test_region_zip_holds_every_approved_package_of_the_region(client, demo_a, settings, tmp_path):
    from evalportal.exporters.bulk import build_region_zip
    settings.EXPORT_JOB_DIR = str(tmp_path)
    reviewer = make_user(Role.REVIEWER, region=demo_a.department.region.parent)   # 岳阳市: 汨罗市 is a child
    client.force_login(reviewer)
    refused = client.post(reverse("exporters:region_zip"), {"region": demo_a.department.region.pk, "year": 2023})
    assert "还没有审核通过的报告" in refused.content.decode()
    approve(demo_a, reviewer)
    seen = []
    count = build_region_zip(demo_a.department.region.pk, 2023, str(tmp_path / "direct.zip"),
                             lambda done, total, label: seen.append((done, total)))
    assert count == 1 and seen[-1] == (1, 1)
    response = client.post(reverse("exporters:region_zip"), {"region": demo_a.department.region.pk, "year": 2023})
    assert response.status_code == 302
    status = client.get(response.url)
    assert "已完成" in status.content.decode()
    job_id = response.url.split("job=")[1]
    download = client.get(reverse("exporters:region_zip_download") + f"?job={job_id}")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == ["2023年度汨罗市行政审批服务局绩效自评报告（已通过）.pdf"]
    # Someone else's job is not found; a filler may not use bulk downloads at all.
    other = make_user(Role.REVIEWER, region=demo_a.department.region)
    client.force_login(other)
    assert client.get(reverse("exporters:region_zip_status") + f"?job={job_id}").status_code == 404
    from evalportal.accounts.models import User
    client.force_login(User.objects.get(username="filler"))
    assert client.get(reverse("exporters:region_zip")).status_code == 403


def test_approval_time_is_what_the_record_shows(demo_a):
    reviewer = make_user(Role.REVIEWER, region=demo_a.department.region)
    approve(demo_a, reviewer)
    demo_a.approved_at = demo_a.approved_at - timedelta(days=1)
    demo_a.save(update_fields=["approved_at"])
    pdf.part_pdf(demo_a, "att1")
    record = ApprovalRecord.objects.get(package=demo_a)
    assert record.approved_at == demo_a.approved_at
