"""The stored signals and the incremental copied-text index, on a generated region with planted reports."""
import pytest

from evalportal.insight import services
from evalportal.insight.models import PackageSignals, TextFingerprint, TextMatch
from evalportal.reports.models import NarrativeSection
from tests.insight.conftest import build_region

pytestmark = pytest.mark.django_db


def ranking(region_packages, year=2023):
    rows = PackageSignals.objects.filter(package__year=year).select_related("package__department")
    index_of = {package.pk: index for (index, y), package in region_packages.items()}
    return [(index_of[row.package_id], float(row.score), row.codes) for row in rows.order_by("-score", "package_id")]


def test_the_region_recompute_ranks_the_planted_reports_first(planted_region):
    region, packages = planted_region
    result = services.region_recompute(region, 2023)
    assert result.packages == 30 and result.matches >= 3
    ranked = ranking(packages)
    top = {index for index, score, codes in ranked[:4]}
    # 7 inflated, 12 copied (last year's text and department 11's), 20 carryover; 11 is 12's copy source.
    assert top == {7, 11, 12, 20}
    assert all(score == 0 for index, score, codes in ranked[4:])
    by_index = {index: codes for index, score, codes in ranked}
    assert {"full_marks", "actual_equals_target", "targets_lowered", "qualitative_without_evidence"} <= by_index[7]
    assert by_index[12] == {"copied_text"} and by_index[20] == {"execution_with_carryover"}


def test_signals_explain_themselves_with_numbers(planted_region):
    region, packages = planted_region
    services.region_recompute(region, 2023)
    inflated = PackageSignals.objects.get(package=packages[(7, 2023)])
    lowered = next(s for s in inflated.signals if s["code"] == "targets_lowered")
    assert "较2022年降低" in lowered["message"] and "总分由" in lowered["message"]
    copied = PackageSignals.objects.get(package=packages[(12, 2023)])
    kinds = {item["kind"] for item in copied.copies}
    assert kinds == {"previous_year", "same_year"}
    assert any(item["other"] == packages[(11, 2023)].department.name for item in copied.copies)


def test_one_changed_package_updates_its_matches_and_its_partners(planted_region):
    region, packages = planted_region
    services.region_recompute(region, 2023)
    copier, source = packages[(12, 2023)], packages[(11, 2023)]
    assert TextMatch.objects.filter(source_package=copier, kind="same_year").exists()
    assert PackageSignals.objects.get(package=source).codes == {"copied_text"}

    # The copier rewrites the borrowed paragraph in its own words: both flags on that pair disappear.
    NarrativeSection.objects.filter(package=copier, key="S6.2.1").update(
        text="本年度我单位围绕机关事务集中统一管理，修订公务接待、办公用房和公车使用三项制度，并对下属单位开展两轮专项检查。")
    services.insight_refresh(copier)
    assert not TextMatch.objects.filter(kind="same_year").filter(source_package__in=[copier, source]).exists()
    assert PackageSignals.objects.get(package=source).codes == set()
    still = PackageSignals.objects.get(package=copier)
    assert {item["kind"] for item in still.copies} == {"previous_year"}     # S7 and S8 are still last year's

    # …and copies it back: the incremental index finds the pair again without a region recompute.
    NarrativeSection.objects.filter(package=copier, key="S6.2.1").update(
        text=NarrativeSection.objects.get(package=source, key="S6.2.1").text)
    services.insight_refresh(copier)
    assert PackageSignals.objects.get(package=source).codes == {"copied_text"}
    assert TextMatch.objects.filter(kind="same_year", source_package=copier, target_package=source).exists()


def test_the_incremental_update_agrees_with_the_region_recompute(planted_region):
    region, packages = planted_region
    services.region_recompute(region, 2023)
    before = {row.package_id: (row.codes, row.score) for row in PackageSignals.objects.all()}
    for (index, year), package in packages.items():
        if year == 2023 and index in (7, 11, 12, 20, 3):
            services.package_insight_update(package)
    after = {row.package_id: (row.codes, row.score) for row in PackageSignals.objects.all()}
    assert after == before


def test_unchanged_paragraphs_keep_their_fingerprints(planted_region):
    region, packages = planted_region
    services.region_recompute(region, 2023)
    package = packages[(3, 2023)]
    ids = set(TextFingerprint.objects.filter(package=package).values_list("pk", flat=True))
    NarrativeSection.objects.filter(package=package, key="S8").update(text="全新的一段文字，与任何报告都不相同，用于检验只重算改动的段落。" * 2)
    services.insight_refresh(package)
    now = set(TextFingerprint.objects.filter(package=package).values_list("pk", flat=True))
    assert len(ids - now) == 1 and len(now - ids) == 1


def test_a_failure_never_reaches_the_caller(planted_region, monkeypatch, caplog):
    region, packages = planted_region

    def broken(package):
        raise RuntimeError("boom")
    monkeypatch.setattr(services, "package_insight_update", broken)
    services.insight_refresh(packages[(3, 2023)])        # no exception
    assert "insight refresh failed" in caplog.text


def test_drafts_do_not_count_as_peers(hunan):
    from evalportal.review.workflow import State
    region, packages = build_region(hunan, departments=8, planted={}, state=State.DRAFT)
    services.region_recompute(region, 2023)
    assert all("above_peers" not in row.codes for row in PackageSignals.objects.all())
    assert PackageSignals.objects.count() == 8


def test_a_bulk_rebuild_stores_what_the_recompute_stores(planted_region):
    from evalportal.insight import region as screening
    from evalportal.reports.models import ReportPackage
    region, packages = planted_region
    services.region_recompute(region, 2023)
    recomputed = {row.package_id: (row.codes, row.score) for row in PackageSignals.objects.all()}
    saved = list(ReportPackage.objects.filter(department__region=region).select_related("department"))
    stop = services.stop_list()
    result = screening.screen_region(services._entries(saved), 2023, stop)
    services.index_rebuild({package.pk: package for package in saved}, result, stop)
    assert {row.package_id: (row.codes, row.score) for row in PackageSignals.objects.all()} == recomputed
    # The rebuilt index serves the incremental path: an untouched package keeps its fingerprints.
    package = packages[(3, 2023)]
    ids = set(TextFingerprint.objects.filter(package=package).values_list("pk", flat=True))
    services.insight_refresh(package)
    assert set(TextFingerprint.objects.filter(package=package).values_list("pk", flat=True)) == ids
