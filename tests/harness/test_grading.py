"""`backprop-dojo grade` (slow: a sandboxed grading run): a hostile corpus graded beside a
correct and a buggy submission in one run, every attack contained and every other grade intact; shards merged equal the
unsharded run; and pytest --sandbox reaches the same verdicts."""

import fcntl
import json
import os
import subprocess

import pytest

from backprop_dojo.grading import rubric
from backprop_dojo.cli import main
from backprop_dojo.grading.sandbox import namespaces_available
from tests import hostile

ROOT = hostile.ROOT

RUBRIC = """
[grading]
examples = 4
only = ["relu_forward", "relu_backward", "affine_forward", "affine_backward"]
[exercises.relu_backward]
weight = 2
"""


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """One run of the CLI over the whole corpus, two at a time; once per test session, also
    when pytest-xdist spreads these tests over workers (they share the run through a lock)."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker's basetemp is in this run's folder
        shared = shared.parent
    base, out = shared / "hostile-grading", shared / "hostile-grading" / "out"
    with (shared / "hostile-grading.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "summary.csv").exists():
            folders = hostile.write(base / "submissions", out)
            (base / "rubric.toml").write_text(RUBRIC)
            args = ["grade", *map(str, folders), "--out", str(out), "--rubric", str(base / "rubric.toml"),
                    "--jobs", "2", "--timeout", "1", "--memory", "512"]
            assert main(args) == 0
    results = {path.parent.name: json.loads(path.read_text()) for path in out.glob("*/results.json")}
    return base, out, results


def outcome(results, submission, exercise):
    (test,) = [test for test in results[submission]["tests"] if test["name"] == exercise]
    return test


@pytest.mark.slow
def test_the_correct_submission_gets_every_point(graded):
    _, _, results = graded
    assert results["correct"]["score"] == 5
    assert "4 / 4 visible exercises pass" in results["correct"]["output"]


@pytest.mark.slow
def test_the_buggy_submission_loses_exactly_its_bug(graded):
    _, _, results = graded
    assert results["buggy"]["score"] == 3
    assert outcome(results, "buggy", "relu_backward")["status"] == "failed"
    assert "relu_backward: dx is wrong" in outcome(results, "buggy", "relu_backward")["output"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "submission, says, score",
    [  # relu_backward (2 points) runs relu_forward for its cache: a dead forward costs it too
        ("endless_loop", "relu_forward did not return within 1 s", 2),
        ("endless_loop_deaf_to_signals", "relu_forward: timed out after 1 s (the learner's process was killed)", 2),
        ("segfault", "a segmentation fault", 2),
        ("memory_hog", "relu_forward: killed: memory limit 512 MB", 2),
        ("monkeypatches", "relu_forward: out is wrong", 4),
        ("steals_frames", "relu_forward: out is wrong", 4),
        ("fake_results", "relu_forward: out is wrong", 4),
    ],
)
def test_an_attack_costs_exactly_the_exercises_it_hit(graded, submission, says, score):
    _, _, results = graded
    assert says in outcome(results, submission, "relu_forward")["output"]
    assert outcome(results, submission, "affine_forward")["status"] == "passed"
    assert outcome(results, submission, "affine_backward")["status"] == "passed"
    assert results[submission]["score"] == score


@pytest.mark.slow
def test_a_submission_that_exits_at_import_scores_nothing_and_fakes_nothing(graded):
    _, _, results = graded
    assert results["exits_at_import"]["score"] == 0
    assert all("importing the submission" in test["output"] for test in results["exits_at_import"]["tests"])
    assert "could not be imported" in results["exits_at_import"]["output"]


@pytest.mark.slow
def test_noise_and_a_background_process_change_no_grade(graded):
    _, _, results = graded
    assert results["noisy"]["score"] == 5
    assert results["leaves_a_process"]["score"] == 5


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_available(), reason="a process that starts its own session escapes without a PID namespace")
def test_nothing_the_submission_started_outlives_it(graded):
    assert subprocess.run(["pgrep", "-f", "sleep 987654"], capture_output=True).stdout == b""


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_available(), reason="the harness's files are hidden only in namespaces")
def test_the_reference_solution_cannot_be_imported_or_read(graded):
    _, _, results = graded
    assert "relu_forward: out is wrong" in outcome(results, "imports_reference", "relu_forward")["output"]


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_available(), reason="other folders are hidden only in namespaces")
def test_fake_results_files_land_nowhere(graded):
    base, out, results = graded
    assert results["fake_results"]["score"] == 4
    assert not list((base / "submissions").glob("**/results.json"))
    assert sorted(path.name for path in out.iterdir()) == sorted([*results, "manifest.json", "summary.csv"])


@pytest.mark.slow
def test_the_summary_has_a_row_per_submission_and_a_column_per_exercise(graded):
    _, out, results = graded
    rows = (out / "summary.csv").read_text().splitlines()
    assert rows[0] == "submission,score,max_score,affine_forward,affine_backward,relu_forward,relu_backward"
    assert len(rows) == 1 + len(results)
    assert "correct,5.0,5.0,1.0,1.0,1.0,2.0" in rows


@pytest.mark.slow
def test_shards_merged_equal_the_unsharded_run(graded, tmp_path):
    base, out, _ = graded
    folders = [base / "submissions" / name for name in ("correct", "buggy", "monkeypatches")]
    common = ["--rubric", str(base / "rubric.toml")]  # the default timeout: a loaded machine changes no verdict
    assert main(["grade", *map(str, folders), "--out", str(tmp_path / "all"), *common]) == 0
    for index in (1, 2):
        assert main(["grade", *map(str, folders), "--out", str(tmp_path / f"shard{index}"), "--shard", f"{index}/2", *common]) == 0
    assert main(["merge", str(tmp_path / "shard1"), str(tmp_path / "shard2"), "--out", str(tmp_path / "merged")]) == 0
    assert (tmp_path / "merged" / "summary.csv").read_text() == (tmp_path / "all" / "summary.csv").read_text()
    for folder in folders:
        merged, whole = (json.loads((tmp_path / run / folder.name / "results.json").read_text()) for run in ("merged", "all"))
        assert {**merged, "execution_time": 0} == {**whole, "execution_time": 0}


def test_hidden_grading_never_claims_everything_passed(tmp_path):
    (tmp_path / "rubric.toml").write_text(RUBRIC + "\n[exercises.affine_forward]\nvisibility = 'hidden'\n")
    assert rubric.load(tmp_path / "rubric.toml").hidden
    (tmp_path / "seeded.toml").write_text(RUBRIC.replace("examples = 4", "examples = 4\nseed = 7"))
    assert rubric.load(tmp_path / "seeded.toml").hidden
    assert not rubric.load(None).hidden


@pytest.mark.slow
def test_pytest_sandbox_reaches_the_verdicts_of_the_grader(graded, pytester):
    """A learner's local `pytest --impl=FOLDER --sandbox` runs the same checks in the same kind
    of process as the grader, and fails what the grade fails."""
    base, _, results = graded
    folder = base / "submissions" / "buggy"
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        run = pytester.runpytest_inprocess(f"--impl={folder}", "--sandbox", "-k", "relu or affine", "-p", "no:cacheprovider",
                                           "-n", "0", "-W", "ignore::pytest.PytestAssertRewriteWarning")
    failed = {line.split("[")[1].split("]")[0] for line in run.stdout.lines if line.startswith("FAILED")}
    graded_failed = {test["name"] for test in results["buggy"]["tests"] if test["status"] == "failed"}
    assert failed == graded_failed == {"relu_backward"}
