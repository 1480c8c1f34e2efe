"""Writes of the insight app: refresh one package after a save (cheap), or a whole region and year (batch).

`insight_refresh(package)` is what `reports.services.package_refresh` calls. It never raises: signals are
advice, and a failure here must not cost a clerk their save (it is logged instead).
"""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice

from django.db import connection, transaction
from django.db.models import Count, Q

from evalportal.orgs.models import OutlineSection, Region, TemplateCategory, TemplateSubcategory
from evalportal.reports.models import ReportPackage
from evalportal.reports.selectors import REVIEWER_VISIBLE_STATES, load_package, package_data

from . import region as screening
from . import signals as sig
from . import textmatch as tm
from .models import FingerprintBand, KeyEvaluation, PackageSignals, RegionBoilerplate, TextFingerprint, TextMatch

logger = logging.getLogger(__name__)

SCHEME = f"v1-k{tm.SHINGLE}-b{tm.BINS}-r{tm.ROWS_PER_BAND}"


# --- the stop-list --------------------------------------------------------------------------------------------

def stop_list() -> frozenset[int]:
    """Standard phrases plus every heading of every outline and the indicator framework's names."""
    phrases = set(OutlineSection.objects.values_list("title", flat=True))
    phrases.update(TemplateCategory.objects.values_list("name", flat=True))
    phrases.update(TemplateSubcategory.objects.values_list("name", flat=True))
    return tm.STANDARD_STOP | tm.stop_hashes(sorted(phrases))


def display_stop(package: ReportPackage) -> frozenset[int]:
    """What never counts when a package's matches are shown: the stop-list and its region's boilerplate."""
    boilerplate = _boilerplate(package.department.region_id, (package.year,)).get(package.year, frozenset())
    return stop_list() | boilerplate


def _version(stop: frozenset[int]) -> str:
    # A new heading changes which shingles count, so it changes every digest and signatures get recomputed.
    return hashlib.sha1((SCHEME + ",".join(map(str, sorted(stop)))).encode()).hexdigest()[:12]


def _digest(text: str, version: str) -> str:
    return hashlib.sha1(f"{version}\n{text}".encode()).hexdigest()


# --- the fingerprint index ------------------------------------------------------------------------------------

def fingerprints_sync(package: ReportPackage, pkg, stop: frozenset[int], version: str) -> list[TextFingerprint]:
    """Make the package's stored passages match its texts; unchanged passages keep their rows (and matches)."""
    department = package.department
    wanted = {passage.location: passage for passage in tm.passages(pkg)}
    existing = {fp.location: fp for fp in TextFingerprint.objects.filter(package=package).only(
        "pk", "location", "digest", "label", "paragraph", "signature", "year", "department_id", "region_id")}
    keep, stale = [], []
    for location, fp in existing.items():
        passage = wanted.get(location)
        if (passage is None or fp.digest != _digest(passage.text, version) or fp.year != package.year
                or fp.region_id != department.region_id):
            stale.append(fp.pk)
        else:
            keep.append(fp)
    if stale:
        TextFingerprint.objects.filter(pk__in=stale).delete()      # their bands and matches go with them
    kept = {fp.location for fp in keep}
    new = []
    for location, passage in wanted.items():
        if location in kept:
            continue
        hashes = tm.shingles(passage.text, stop)
        if len(hashes) < tm.MIN_SHINGLES:
            continue            # a heading, 无, or a phrase every report uses: nothing to compare
        new.append(TextFingerprint(
            package=package, department=department, region_id=department.region_id, year=package.year,
            location=location, label=passage.label[:300], paragraph=passage.text,
            digest=_digest(passage.text, version), signature=list(tm.signature(hashes))))
    TextFingerprint.objects.bulk_create(new)
    FingerprintBand.objects.bulk_create(
        FingerprintBand(fingerprint=fp, region_id=fp.region_id, year=fp.year, key=key)
        for fp in new for key in tm.band_keys(fp.signature))
    return keep + new


def _boilerplate(region_id: int, years: Iterable[int]) -> dict[int, frozenset[int]]:
    return {row.year: frozenset(row.hashes)
            for row in RegionBoilerplate.objects.filter(region_id=region_id, year__in=list(years))}


def _package_matches(package: ReportPackage, fingerprints: list[TextFingerprint],
                     stop: frozenset[int]) -> list[TextMatch]:
    """Near-duplicates of this package's passages: its own department one year either side, and every other
    department of its region in the same year. Candidates come from the band index, then are verified."""
    if not fingerprints:
        return []
    year, department_id, region_id = package.year, package.department_id, package.department.region_id
    keys_of = {fp.pk: set(tm.band_keys(fp.signature)) for fp in fingerprints}
    all_keys = set().union(*keys_of.values())
    bands = FingerprintBand.objects.filter(region_id=region_id, year__in=(year - 1, year, year + 1), key__in=all_keys)
    # A band shared by many passages is boilerplate (the same rule as find_matches): count in the database
    # instead of fetching thousands of members only to drop them.
    crowded = set(bands.values("key").annotate(members=Count("pk")).filter(members__gte=tm.MAX_BUCKET)
                  .values_list("key", flat=True))
    hits = (bands.exclude(key__in=crowded).exclude(fingerprint__package=package)
            .values_list("key", "fingerprint_id", "fingerprint__department_id", "year"))
    members: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for key, fingerprint_id, other_department, other_year in hits:
        members[key].append((fingerprint_id, other_department, other_year))
    pairable = screening.may_pair(year)
    me = screening.Owner(package.pk, department_id, year)
    candidates: dict[int, set[int]] = defaultdict(set)      # other fingerprint → mine
    for mine, keys in keys_of.items():
        for key in keys - crowded:
            for fingerprint_id, other_department, other_year in members.get(key, ()):
                if pairable(me, screening.Owner(None, other_department, other_year)):
                    candidates[fingerprint_id].add(mine)
    if not candidates:
        return []
    boilerplate = _boilerplate(region_id, (year, year + 1))
    mine_by_pk = {fp.pk: fp for fp in fingerprints}
    my_hashes = {pk: tm.shingles(fp.paragraph, stop) for pk, fp in mine_by_pk.items()}
    found = []
    for other in TextFingerprint.objects.filter(pk__in=list(candidates)).only(
            "pk", "paragraph", "package_id", "year", "department_id"):
        other_hashes = tm.shingles(other.paragraph, stop)
        later_is_other = other.year > year
        common = boilerplate.get(other.year if later_is_other else year, frozenset())
        for mine in candidates[other.pk]:
            comparison = tm.compare(my_hashes[mine] - common, other_hashes - common)
            if not comparison.is_match:
                continue
            kind = TextMatch.Kind.PREVIOUS_YEAR if other.department_id == department_id else TextMatch.Kind.SAME_YEAR
            source, target = (other, mine_by_pk[mine]) if later_is_other else (mine_by_pk[mine], other)
            found.append(TextMatch(source=source, target=target, source_package_id=source.package_id,
                                   target_package_id=target.package_id, kind=kind,
                                   similarity=round(comparison.containment, 3), shared=comparison.shared))
    return found


# --- copied-text summaries and the stored signals ----------------------------------------------------------------

def copy_summaries(package_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Each package's matches as CopySummary dicts (with the match id, for the side-by-side view)."""
    ids = set(package_ids)
    result: dict[int, list[dict]] = {pk: [] for pk in ids}
    matches = (TextMatch.objects.filter(Q(source_package__in=ids) | Q(target_package__in=ids, kind=TextMatch.Kind.SAME_YEAR))
               .select_related("source", "target", "source_package__department", "target_package__department")
               .order_by("-similarity", "pk"))
    for match in matches:
        sides = [(match.source, match.source_package, match.target, match.target_package)]
        if match.kind == TextMatch.Kind.SAME_YEAR:
            sides.append((match.target, match.target_package, match.source, match.source_package))
        for mine, my_package, other, other_package in sides:
            if my_package.pk not in ids:
                continue
            other_name = (f"本单位{other_package.year}年度报告" if match.kind == TextMatch.Kind.PREVIOUS_YEAR
                          else other_package.department.name)
            result[my_package.pk].append({"match": match.pk, "kind": match.kind, "label": mine.label,
                                          "other": other_name, "other_label": other.label,
                                          "other_package": other_package.pk, "similarity": match.similarity})
    return result


def _summary(item: dict) -> sig.CopySummary:
    return sig.CopySummary(item["kind"], item["label"], item["other"], item["other_label"], item["similarity"])


def _with_copies(signals: list[dict], copies: list[dict]) -> tuple[list[dict], Decimal]:
    """The figure signals plus the copied-text signal built from `copies`, and the 关注分 they add up to."""
    copy = sig.copied_text([_summary(item) for item in copies])
    signals = [signal for signal in signals if signal["code"] != "copied_text"] + ([copy.as_dict()] if copy else [])
    return signals, Decimal(str(round(sum(signal["points"] for signal in signals), 1)))


def _store(package_id: int, signals: list[dict], copies: list[dict], facts: sig.PackageFacts | None) -> None:
    signals, score = _with_copies(signals, copies)
    values = {"signals": signals, "copies": copies, "score": score}
    if facts is not None:
        values.update(total_score=facts.total, grade=facts.grade, execution_rate=facts.execution_rate,
                      budget=facts.budget, spent=facts.spent)
    PackageSignals.objects.update_or_create(package_id=package_id, defaults=values)


def _restore_copies(package_ids: Iterable[int]) -> None:
    """Partners of a changed package: only their copied-text part changes (a package never screened yet gets
    its row at its own first refresh)."""
    stored = {row.package_id: row for row in PackageSignals.objects.filter(package_id__in=set(package_ids))}
    if not stored:
        return
    for package_id, copies in copy_summaries(stored).items():
        _store(package_id, stored[package_id].signals, copies, None)


def _peers(package: ReportPackage, total: Decimal | None) -> sig.PeerStats | None:
    department = package.department
    totals = list(PackageSignals.objects.filter(
        package__year=package.year, package__department__region_id=department.region_id,
        package__department__nature=department.nature, package__state__in=REVIEWER_VISIBLE_STATES,
        total_score__isnull=False).exclude(package=package).values_list("total_score", flat=True))
    if package.state in REVIEWER_VISIBLE_STATES and total is not None:
        totals.append(total)
    return sig.peer_stats(totals, department.get_nature_display())


def _facts_of(package_pk: int) -> tuple[object, sig.PackageFacts]:
    pkg = package_data(load_package(package_pk))
    return pkg, sig.package_facts(pkg)


@transaction.atomic
def package_insight_update(package: ReportPackage) -> PackageSignals:
    """Recompute one package: figure signals, its passages in the index, its matches, and its partners'."""
    package = ReportPackage.objects.select_related("department").get(pk=package.pk)
    pkg, facts = _facts_of(package.pk)
    before = ReportPackage.objects.filter(department_id=package.department_id, year=package.year - 1).first()
    previous = _facts_of(before.pk)[1] if before else None
    signals = sig.data_signals(facts, previous, _peers(package, facts.total))

    stop = stop_list()
    old_partners = set(TextMatch.objects.filter(source_package=package).values_list("target_package_id", flat=True))
    old_partners |= set(TextMatch.objects.filter(target_package=package).values_list("source_package_id", flat=True))
    fingerprints = fingerprints_sync(package, pkg, stop, _version(stop))
    TextMatch.objects.filter(Q(source_package=package) | Q(target_package=package)).delete()
    matches = _package_matches(package, fingerprints, stop)
    TextMatch.objects.bulk_create(matches, ignore_conflicts=True)
    new_partners = {m.target_package_id if m.source_package_id == package.pk else m.source_package_id
                    for m in matches}

    copies = copy_summaries([package.pk])[package.pk]
    _store(package.pk, [signal.as_dict() for signal in signals], copies, facts)
    _restore_copies((old_partners | new_partners) - {package.pk})
    return PackageSignals.objects.get(package=package)


def insight_refresh(package: ReportPackage) -> None:
    """Called after every save (reports.services.package_refresh). Never raises."""
    try:
        with transaction.atomic():     # a failure rolls back the insight rows only
            package_insight_update(package)
    except Exception:      # advice must never cost a clerk their save; the log keeps the failure visible
        logger.exception("insight refresh failed for package %s", package.pk)


# --- 财政重点评价 --------------------------------------------------------------------------------------------

@transaction.atomic
def key_evaluation_set(*, packages, chosen: bool, actor, note: str = "") -> int:
    """Choose (or un-choose) packages for the bureau's on-site evaluation; returns how many changed."""
    ids = [package.pk for package in packages]
    if not chosen:
        return KeyEvaluation.objects.filter(package_id__in=ids).delete()[0]
    existing = set(KeyEvaluation.objects.filter(package_id__in=ids).values_list("package_id", flat=True))
    new = [KeyEvaluation(package_id=pk, selected_by=actor, note=note) for pk in ids if pk not in existing]
    KeyEvaluation.objects.bulk_create(new)
    return len(new)


# --- a whole region and year ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecomputeResult:
    packages: int
    fingerprints: int
    matches: int


def _entries(packages: list[ReportPackage]) -> list[screening.Entry]:
    return [screening.Entry(key=p.pk, department=p.department_id, region=p.department.region_id, year=p.year,
                            nature=p.department.get_nature_display(), visible=p.state in REVIEWER_VISIBLE_STATES,
                            pkg=package_data(load_package(p.pk)))
            for p in packages]


@transaction.atomic
def region_recompute(region: Region, year: int) -> RecomputeResult:
    """Everything for the departments of `region` (children included) in `year`: signals, index, matches."""
    packages = list(ReportPackage.objects.filter(department__region_id__in=region.descendant_ids(),
                                                 year__in=(year - 1, year)).select_related("department"))
    entries = _entries(packages)
    stop = stop_list()
    result = screening.screen_region(entries, year, stop)
    version = _version(stop)
    by_pk = {p.pk: p for p in packages}

    fingerprint_ids: dict[tuple[int, str], int] = {}
    for entry in entries:
        for fp in fingerprints_sync(by_pk[entry.key], entry.pkg, stop, version):
            fingerprint_ids[(entry.key, fp.location)] = fp.pk
    current = [p.pk for p in packages if p.year == year]
    TextMatch.objects.filter(Q(source_package__in=current)
                             | Q(target_package__in=current, kind=TextMatch.Kind.SAME_YEAR)).delete()
    matches = []
    for pair in result.pairs:
        source = fingerprint_ids.get((pair.source.owner.key, pair.source.passage.location))
        target = fingerprint_ids.get((pair.target.owner.key, pair.target.passage.location))
        if source is None or target is None:
            continue
        matches.append(TextMatch(source_id=source, target_id=target, source_package_id=pair.source.owner.key,
                                 target_package_id=pair.target.owner.key, kind=pair.kind,
                                 similarity=round(pair.comparison.containment, 3), shared=pair.comparison.shared))
    TextMatch.objects.bulk_create(matches, ignore_conflicts=True)
    for (region_id, _year), hashes in result.boilerplate.items():
        departments = len({e.department for e in entries if e.region == region_id and e.year == year})
        RegionBoilerplate.objects.update_or_create(region_id=region_id, year=year,
                                                   defaults={"hashes": sorted(hashes), "departments": departments})
    copies = copy_summaries(current)
    for pk in current:
        _store(pk, [signal.as_dict() for signal in result.signals[pk]], copies[pk], result.facts[pk])
    # Next year's packages may have lost a match to a paragraph that changed here.
    _restore_copies(PackageSignals.objects.filter(
        package__department__region_id__in=region.descendant_ids(), package__year=year + 1
    ).values_list("package_id", flat=True))
    return RecomputeResult(packages=len(current), fingerprints=len(fingerprint_ids), matches=len(matches))


def _insert_bands(rows: Iterable[tuple[int, int, int, int]]) -> None:
    """Millions of four-integer rows: executemany skips building a model instance for each."""
    quote = connection.ops.quote_name
    table = quote(FingerprintBand._meta.db_table)
    columns = ", ".join(quote(FingerprintBand._meta.get_field(name).column)
                        for name in ("fingerprint", "region", "year", "key"))
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, 10_000)):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s)", chunk)


@transaction.atomic
def index_rebuild(packages: dict, result: screening.RegionResult, stop: frozenset[int]) -> RecomputeResult:
    """A fresh bulk load of the index, the matches and the signals from an in-memory screening
    (`packages` maps the screening's keys to saved packages). For first loads and the benchmark: the
    per-package path (fingerprints_sync) keeps unchanged rows instead."""
    version = _version(stop)
    TextFingerprint.objects.filter(package__in=list(packages.values())).delete()
    fingerprints: dict[tuple, TextFingerprint] = {}
    for key, items in result.indexed.items():
        package = packages[key]
        for item in items:
            fingerprints[(key, item.passage.location)] = TextFingerprint(
                package=package, department_id=package.department_id, region_id=package.department.region_id,
                year=package.year, location=item.passage.location, label=item.passage.label[:300],
                paragraph=item.passage.text, digest=_digest(item.passage.text, version), signature=list(item.signature))
    TextFingerprint.objects.bulk_create(fingerprints.values(), batch_size=2000)
    _insert_bands((fingerprints[(key, item.passage.location)].pk, packages[key].department.region_id,
                   packages[key].year, band)
                  for key, items in result.indexed.items() for item in items for band in item.bands)
    matches = [TextMatch(source=fingerprints[(pair.source.owner.key, pair.source.passage.location)],
                         target=fingerprints[(pair.target.owner.key, pair.target.passage.location)],
                         source_package=packages[pair.source.owner.key], target_package=packages[pair.target.owner.key],
                         kind=pair.kind, similarity=round(pair.comparison.containment, 3), shared=pair.comparison.shared)
               for pair in result.pairs]
    TextMatch.objects.bulk_create(matches, batch_size=2000, ignore_conflicts=True)
    for (region_id, year), hashes in result.boilerplate.items():
        RegionBoilerplate.objects.update_or_create(region_id=region_id, year=year, defaults={"hashes": sorted(hashes)})
    screened = [packages[key] for key in result.signals]
    PackageSignals.objects.filter(package__in=screened).delete()
    copies = copy_summaries(package.pk for package in screened)
    rows = []
    for key, found in result.signals.items():
        package, facts = packages[key], result.facts[key]
        own = copies.get(package.pk, [])
        signals, score = _with_copies([signal.as_dict() for signal in found], own)
        rows.append(PackageSignals(
            package=package, signals=signals, copies=own, score=score, total_score=facts.total, grade=facts.grade, execution_rate=facts.execution_rate, budget=facts.budget,
            spent=facts.spent))
    PackageSignals.objects.bulk_create(rows, batch_size=2000)
    return RecomputeResult(packages=len(rows), fingerprints=len(fingerprints), matches=len(matches))
