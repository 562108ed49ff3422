"""The `backprop-dojo` command: `grade SUBMISSION... --out OUT`, `merge SHARD... --out OUT`,
and `knn-speed [--impl PATH]`, the timing table of the kNN exercise."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from .conventions import CONVENTIONS
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check"] and not {"-h", "--help"} & set(argv[1:2]):
        return _check(argv[1:])
    parser = argparse.ArgumentParser(prog="backprop-dojo", description="Check and grade CS231n-style code against torch.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser(
        "check", help="check your folder (default: the current one): backprop-dojo check [PATH] [pytest options]",
        description="Runs the exercise checks on PATH (default: the current folder) with pytest; any pytest option "
                    "follows (-k NAME, -m FAMILY, -x, --lf, -n 2, --report FILE.html, --course-year YEAR). "
                    "Exit status: 0 everything written passes, 1 an exercise fails, 4 nothing to check.")
    grading = commands.add_parser("grade", help="grade submission folders, each in its own sandboxed process")
    grading.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION_DIR")
    grading.add_argument("--out", required=True, type=Path, help="write OUT/<submission>/results.json and OUT/summary.csv")
    grading.add_argument("--jobs", type=int, default=1, metavar="N", help="grade N submissions at a time (default 1)")
    grading.add_argument("--shard", metavar="I/N", help="grade only the I-th of N deterministic shares (1-based)")
    grading.add_argument("--rubric", type=Path, metavar="FILE", help="weights, visibility, examples, hidden seed (TOML)")
    grading.add_argument("--assignment", metavar="N", help="count only assignment N's exercises (1, 2, 3 or extras)")
    grading.add_argument("--force", action="store_true", help="regrade submissions whose results in OUT are still valid")
    grading.add_argument("--timeout", type=float, default=10.0, metavar="S", help="seconds per learner call (default 10)")
    grading.add_argument("--budget", type=float, metavar="S",
                         help="seconds of learner time per submission in all; once used up, its other calls fail")
    grading.add_argument("--memory", type=int, default=2048, metavar="MB", help="address space per learner process (default 2048)")
    grading.add_argument("--isolation", choices=["auto", "process", "namespaces"], default="auto",
                         help="auto (default) and namespaces: each learner in a jail of its own (own root, /proc, tmp, "
                              "no network, nothing left running), an error where the machine cannot build one; "
                              "process: a child process only, with a warning of what it does not protect")
    grading.add_argument("--course-year", type=int, metavar="YEAR",
                         help="grade with the conventions of that CS231n course year (default: the current ones)")
    for convention in CONVENTIONS.values():
        grading.add_argument(convention.flag, choices=list(convention.meanings), help="wins over --course-year")
    merging = commands.add_parser("merge", help="join the outputs of sharded grading runs")
    merging.add_argument("shards", nargs="+", type=Path, metavar="OUT")
    merging.add_argument("--out", required=True, type=Path, help="the merged output folder")
    scope = commands.add_parser("gradescope", help="write a Gradescope autograder bundle (setup.sh, run_autograder)")
    scope.add_argument("--rubric", type=Path, metavar="FILE", help="the rubric it grades with (default: every exercise)")
    scope.add_argument("--out", required=True, type=Path, metavar="ZIP", help="the bundle to write, e.g. autograder.zip")
    speed = commands.add_parser("knn-speed", help="time your three kNN distance methods against torch.cdist")
    speed.add_argument("--impl", type=Path, metavar="PATH", help="your code (default: the reference solutions)")
    speed.add_argument("--cifar", action="store_true", help="CIFAR-10 scale: 500 test x 5000 training points (minutes)")
    args = parser.parse_args(argv)
    try:
        return {"grade": _grade, "merge": _merge, "gradescope": _gradescope, "knn-speed": _knn_speed}[args.command](args)
    except ValueError as error:
        parser.error(str(error))


def _check(argv: list[str]) -> int:
    """pytest on the packaged exercise templates, with the folder as rootdir (so --lf
    remembers this folder's failures) and the learner's own options passed through."""
    import shlex

    import pytest

    folder = argv[0] if argv and not argv[0].startswith("-") else "."
    rest = argv[1:] if argv and argv[0] == folder else argv
    os.environ["BACKPROP_DOJO_RERUN"] = f"backprop-dojo check {shlex.quote(folder)}"
    code = int(pytest.main([f"--impl={folder}", f"--rootdir={folder}", *rest]))
    # pytest has written its reports and cache: skip the interpreter's shutdown after torch
    # (0.35-1.2 s of tearing down what the process no longer needs)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _grade(args) -> int:
    from .grading import rubric
    from .grading.grade import Interrupted, grade_all, shard
    from .grading.sandbox import choose_isolation

    missing = [str(folder) for folder in args.submissions if not folder.is_dir()]
    if missing:
        raise ValueError(f"no such folder: {', '.join(missing)}")
    folders = args.submissions
    if args.shard:
        index, _, count = args.shard.partition("/")
        if not (index.isdigit() and count.isdigit()):
            raise ValueError(f"--shard {args.shard}: expected I/N, e.g. 2/4")
        folders = shard(folders, int(index), int(count))
    isolation, warning = choose_isolation(args.isolation)  # auto never falls back silently
    chosen = rubric.load(args.rubric, args.assignment)
    flags = {name.replace("-", "_"): getattr(args, name.replace("-", "_")) for name in CONVENTIONS}
    run_config = rubric.run_config(chosen, args.course_year, **flags)
    console = Console(stderr=True)
    if warning:
        console.print(f"[bold yellow]{warning}[/]", markup=True, highlight=False)
    try:
        with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      TextColumn("{task.description}"), console=console) as progress:
            task = progress.add_task("", total=len(folders))
            results = grade_all(
                folders, args.out, chosen, run_config, jobs=args.jobs, timeout=args.timeout, memory_mb=args.memory,
                isolation=isolation, budget=args.budget, force=args.force, part=(int(index), int(count)) if args.shard else (1, 1),
                progress=lambda name: progress.update(task, advance=1, description=name),
                kept=lambda n: progress.update(task, advance=n, description=f"{n} kept from an earlier run" if n else ""),
            )
    except Interrupted as stop:
        console.print(f"interrupted: {stop.done} of {stop.done + stop.remaining} submissions graded and kept in "
                      f"{args.out}; {stop.remaining} remain: run the same command again to grade them")
        return 128 + stop.signum
    for name in sorted(results):
        best = sum(test["max_score"] for test in results[name]["tests"])
        console.print(f"{name}: {results[name]['score']:g} / {best:g}")
    console.print(f"results: {args.out}/<submission>/results.json, {args.out}/summary.csv")
    return _report_grader_errors(results, console)


def _report_grader_errors(results: dict, console: Console) -> int:
    """1, loudly, when the harness failed on an exercise: those are regraded by a rerun."""
    from .grading.grade import grader_errors

    failed = {name: grader_errors(result) for name, result in sorted(results.items()) if grader_errors(result)}
    for name, errors in failed.items():
        for error in errors:
            console.print(f"[bold red]GRADER ERROR[/] {name}: {error}", markup=True, highlight=False)
    if failed:
        console.print(f"[bold red]the grader failed on {sum(map(len, failed.values()))} exercises of {len(failed)} "
                      "submissions; they are not counted. Please report it; a rerun regrades them.[/]")
    return 1 if failed else 0


def _merge(args) -> int:
    from .grading.grade import merge

    results = merge(args.shards, args.out)
    print(f"merged {len(results)} submissions into {args.out}", file=sys.stderr)
    return _report_grader_errors(results, Console(stderr=True))


def _gradescope(args) -> int:
    from .grading import gradescope, rubric

    rubric.load(args.rubric)  # an invalid rubric is an error now, not on Gradescope
    gradescope.bundle(args.rubric or rubric.DEFAULT, args.out)
    print(f"wrote {args.out}: upload it as the autograder of a Gradescope programming assignment", file=sys.stderr)
    return 0


def _knn_speed(args) -> int:
    from .knn_speed import print_table

    print_table(args.impl, cifar=args.cifar)
    return 0


if __name__ == "__main__":
    sys.exit(main())
