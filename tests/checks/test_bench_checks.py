"""The checks benchmark builds a valid synthetic package and times derive() + run()."""
from evalportal.checks import derive, run
from evalportal.core.bench import BENCHES, load_all
from evalportal.core.bench.checks import synthetic_package


def test_synthetic_package_scores_and_checks():
    pkg = synthetic_package(5)
    derived = derive(pkg)
    assert len(derived.projects) == 5 and all(len(p.rows) == 12 for p in pkg.projects)
    assert derived.department.score.complete
    codes = {f.code for f in run(pkg, stage="submit", derived=derived)}
    assert {"K06", "K10", "K32", "K35", "K37"} <= codes    # the synthetic texts exercise the text checks


def test_checks_bench_is_registered():
    assert "checks" in load_all() and BENCHES["checks"].help
