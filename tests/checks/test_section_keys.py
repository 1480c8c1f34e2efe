"""Findings point at the same section keys the review comments use (domain.md §7), projects by id."""
from dataclasses import replace

from evalportal.checks import run
from evalportal.review.sections import is_section_key, section_project_id
from tests.checks.builders import demo_a, demo_b


def test_every_finding_carries_a_review_section_key():
    for pkg in (demo_a(), demo_b()):
        findings = run(pkg, stage="submit")
        assert findings
        for finding in findings:
            assert is_section_key(finding.section_key), (finding.code, finding.section_key)


def test_project_sections_are_addressed_by_project_id_not_print_order():
    base = demo_a()
    pkg = replace(base, projects=tuple(replace(p, id=100 + p.order) for p in base.projects))
    ids = {p.id for p in pkg.projects}
    orders = {p.order for p in pkg.projects}
    assert ids.isdisjoint(orders), "the builder must give projects ids that differ from their order"
    keys = [f.section_key for f in run(pkg, stage="submit")]
    project_keys = [k for k in keys if section_project_id(k) is not None]
    assert project_keys and all(section_project_id(k) in ids for k in project_keys)
