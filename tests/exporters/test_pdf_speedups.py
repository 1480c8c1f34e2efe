"""evalportal.exporters.speedups: the same pages, text and pixels, with and without them (demo A, approved)."""
import subprocess
import tempfile
from pathlib import Path

import pytest
import tinyhtml5
import weasyprint
import xml.etree.ElementTree as ElementTree

from evalportal.accounts.roles import Role
from evalportal.exporters import pdf, speedups, worker
from tests.exporters.test_pdf import approve, pages_text
from tests.factories import make_user


def pixels(data: bytes) -> list[bytes]:
    """Every page as a grey-scale bitmap (60 dpi is enough to see a missing or moved line)."""
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "in.pdf"
        source.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(source), str(Path(directory) / "page")], check=True)
        return [page.read_bytes() for page in sorted(Path(directory).glob("page-*.pgm"))]


def test_speedups_are_active_on_the_weasyprint_they_were_written_for():
    worker.init()
    assert speedups.installed() == weasyprint.__version__.startswith(speedups.SUPPORTED_VERSIONS)


@pytest.mark.django_db
def test_every_part_prints_the_same_with_and_without_the_speedups(demo_a, settings):
    settings.EXPORT_WORKERS = 0          # render in this process, where the speedups can be switched off
    worker.init()
    if not speedups.installed():
        pytest.skip(f"no speedups for WeasyPrint {weasyprint.__version__}")
    # approved: the verification page (image, table) is printed too
    approve(demo_a, make_user(Role.REVIEWER, region=demo_a.department.region))
    before = speedups.fallbacks()
    fast = pdf.build_pdf(demo_a, reuse=False)
    assert speedups.fallbacks() == before          # every template was read by expat
    with speedups.disabled():
        assert not speedups.installed()
        slow = pdf.build_pdf(demo_a, reuse=False)
    assert speedups.installed()
    assert pages_text(fast) == pages_text(slow) and len(pages_text(fast)) >= 20
    assert "电子文件核验信息" in pages_text(fast)[-1]
    assert pixels(fast) == pixels(slow)
    assert len(fast) < len(slow)                   # one stroke per grid instead of one per cell edge


def test_text_that_is_not_well_formed_is_parsed_as_html():
    worker.init()
    if not speedups.installed():
        pytest.skip(f"no speedups for WeasyPrint {weasyprint.__version__}")
    html = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body><p>甲&nbsp;乙<br>丙</p></body></html>'
    before = speedups.fallbacks()
    tree = speedups.parse_html(html)
    assert speedups.fallbacks() == before + 1
    expected = tinyhtml5.parse(html, namespace_html_elements=False)
    assert ElementTree.tostring(tree) == ElementTree.tostring(expected)
    well_formed = speedups.parse_html('<!DOCTYPE html><html><body><p>甲<br/>乙</p></body></html>')
    assert speedups.fallbacks() == before + 1 and well_formed.find("body/p/br") is not None
