"""The verdict engine: runs an exercise's checks on its examples, and says what a failure
means. The pytest templates, `check()` in a notebook and the grader all run checks through
`examples()`, so the same code gets the same verdict everywhere.

Examples are drawn from a fixed seed per exercise and check: every run draws the same ones
(`--explore` chooses another base seed). A failing check is then read once more:
- a function whose TODO block is still empty is "not implemented" (a starter stub fails
  for that reason: it returns None, zeros or `(0.0, {})`);
- an exercise that needs another one that fails (a backward its forward, spatial batchnorm
  the batchnorm it calls) is "not checked", naming the function where the bug is.
"""

from __future__ import annotations

import ast
import textwrap
import warnings
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import hypothesis
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

from . import recorded, reproducer
from .ahead import first_calls
from .checks import CHECKS, ONE_EXCHANGE, answers
from .compare import LooseForm
from .kept_examples import KeptExamples
from .learner import STOPPED, Learner, NotImplementedExercise
from .run_config import DEFAULT_EXAMPLES, RunConfig
from .specs import Exercise, Model

DEFAULT = RunConfig()


def _draws_from_the_seed_alone() -> None:
    """Hypothesis now and then draws a constant read from every local module the process
    has loaded: the learner's own modules, this package when installed in place. The same
    seed would then draw other examples in pytest (the learner's modules loaded in process)
    than in the grader (loaded in its child), or after one more lazy import. The examples
    must follow the seed alone, so Hypothesis sees no local constants (its own global ones
    stay). tests/harness/test_same_verdict.py fails if a Hypothesis release defeats this."""
    from hypothesis.internal.conjecture import providers
    from hypothesis.internal.constants_ast import Constants

    none = Constants()
    providers._get_local_constants = lambda: none
    providers.CONSTANTS_CACHE.cache.clear()


_draws_from_the_seed_alone()

# The worst first: an exercise's verdict is the worst of its checks'.
STATUSES = ("failed", "not checked", "not implemented", "warned", "passed")
VERDICT_PROPERTY = "backprop-dojo verdict"  # a pytest report's user property: a skip's verdict


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    message: str = ""
    culprit: str = ""  # "not checked": the exercise where the bug is
    reproducer: str = ""  # "failed": the failing example's calls, as Python to paste


def seed_of(exercise: Exercise, check: str, base: int = 0) -> int:
    """The fixed seed of one check of one exercise (`base` from --explore or a rubric)."""
    return zlib.crc32(f"{exercise.name}:{check}:{base}".encode())


def examples(check, exercise: Exercise, learner: Learner, run_config: RunConfig = DEFAULT, base_seed: int | None = None,
             shrink: bool = False):
    """A function running `check(exercise, learner, data, run_config)` on each of the run's
    examples, drawn from the check's fixed seed for `base_seed` (the run's own by default);
    with `shrink`, a failure is then reduced to a minimal example (the verdict is the same,
    the example smaller). Examples another learner of this process has passed, or with
    `run_config.keep_examples` an earlier run, are replayed (recorded.py): the same
    examples, without Hypothesis's engine; a replayed failure that is to be shrunk is
    Hypothesis's to draw and shrink again. A sandboxed learner gets each replayed example's
    first exchange, all in one request, for a check that makes one per example (ahead.py)."""
    phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
    base = run_config.seed if base_seed is None else base_seed
    seed = seed_of(exercise, getattr(check, "__name__", "check"), base)

    def run_once(data) -> None:
        learner.calls.clear()  # the reproducer shows the calls of the last example
        check(exercise, learner, data, run_config)

    def hypothesis_run(wrap=recorded.same, then=run_once) -> None:
        @settings(max_examples=run_config.examples, derandomize=False, database=None, deadline=None, phases=phases,
                  verbosity=Verbosity.quiet, suppress_health_check=list(HealthCheck), print_blob=False,
                  report_multiple_bugs=False)
        @given(st.data())
        def run_examples(data):
            then(wrap(data))

        hypothesis.seed(seed)(run_examples)()

    # the fixed examples only, as many as a learner's run draws: --explore's, a hidden seed's or a thorough
    # profile's would only fill the cache
    kept = KeptExamples() if run_config.keep_examples and base == 0 and run_config.examples <= DEFAULT_EXAMPLES else None
    ahead = None
    if not learner.in_this_process and ONE_EXCHANGE.get(check, lambda spec: False)(exercise.spec):

        def ahead(recording: list):
            return learner.ahead(first_calls(check, exercise, learner, recording, run_config))

    return recorded.examples((check, exercise, seed, run_config.examples), run_once, hypothesis_run,
                             seeded=learner.in_this_process, shrink=shrink, kept=kept, ahead=ahead)


@contextmanager
def afresh():
    """Compute everything meanwhile, as if for the first learner of the process: no example
    replayed, no torch answer remembered (to show that neither changes a verdict)."""
    with recorded.afresh(), answers.afresh():
        yield


def run(exercise: Exercise, learner: Learner, run_config: RunConfig = DEFAULT,
        only: frozenset[str] | None = None) -> dict[str, Outcome]:
    """Each applicable check's outcome (or those in `only`), without shrinking: on the
    examples of the run's seed, then of its hidden seed if it has one. An error of
    Hypothesis itself is the harness's fault and is raised, not reported."""
    outcomes = {}
    for name in sorted(exercise.checks if only is None else exercise.checks & only):
        tried = []
        for base in run_config.seeds:
            tried.append(_outcome(examples(CHECKS[name], exercise, learner, run_config, base), run_config.strict))
            if tried[-1].status not in ("passed", "warned"):
                break
        outcomes[name] = verdict(dict(enumerate(tried)))
        if outcomes[name].status == "failed":
            pasted = reproducer.snippet(learner, f"{exercise.name}-{name}")
            outcomes[name] = Outcome("failed", outcomes[name].message, reproducer=pasted)
    if any(outcome.status == "failed" for outcome in outcomes.values()):
        explained = explain(exercise, learner, run_config)
        if explained:
            outcomes = {name: explained if o.status == "failed" else o for name, o in outcomes.items()}
    return outcomes


def _outcome(run_examples, strict: bool) -> Outcome:
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("error" if strict else "always", LooseForm)
        try:
            run_examples()
        except NotImplementedExercise as skipped:
            return Outcome("not implemented", skipped.msg)
        except HypothesisException:
            raise
        except (Exception, *STOPPED) as failure:
            return Outcome("failed", f"{type(failure).__name__}: {failure}")
    loose = list(dict.fromkeys(str(w.message) for w in said if issubclass(w.category, LooseForm)))
    return Outcome("warned", "\n".join(loose)) if loose else Outcome("passed")


def verdict(outcomes: dict[str, Outcome]) -> Outcome:
    """An exercise's verdict: the worst of its checks', with that check's message."""
    return min(outcomes.values(), key=lambda outcome: STATUSES.index(outcome.status), default=Outcome("not implemented"))


def verdicts(learner: Learner, run_config: RunConfig = DEFAULT) -> dict[str, Outcome]:
    """The verdict of every exercise the run checks, in the course's order."""
    from .exercises import EXERCISES

    names = EXERCISES if run_config.exercises is None else run_config.exercises
    return {name: verdict(run(EXERCISES[name], learner, run_config)) for name in names}


def explain(exercise: Exercise, learner: Learner, run_config: RunConfig = DEFAULT) -> Outcome | None:
    """What a failure of `exercise` means when it is not the exercise's own bug: a TODO
    block still empty, or another exercise it needs that fails."""
    for name in own_functions(exercise):
        line = learner.unwritten(name)
        if line:
            return Outcome("not implemented", f"{name}: not implemented (its TODO block at line {line} is still empty)")
    learner.explaining.add(exercise.name)
    try:
        for needed, why in needs(exercise, learner):
            if needed.name in learner.explaining:  # the learner's functions call each other
                continue
            key = (needed.name, run_config)
            if key not in learner.dependency_verdicts:
                learner.dependency_verdicts[key] = verdict(run(needed, learner, run_config, only=frozenset(CORE_CHECKS)))
            found = learner.dependency_verdicts[key]
            if found.status in ("failed", "not checked", "not implemented"):
                culprit = found.culprit or needed.name
                state = {"failed": "fails its own check", "not implemented": "is not implemented yet",
                         "not checked": f"needs {culprit}, which fails"}[found.status]
                return Outcome("not checked", f"{exercise.name}: not checked: {why}, which {state}; fix {culprit} first",
                               culprit)
    finally:
        learner.explaining.discard(exercise.name)
    return None


CORE_CHECKS = ("forward", "backward", "model", "steps")  # what another exercise relies on


def own_functions(exercise: Exercise) -> list[str]:
    """The learner's functions that make up the exercise itself (a network's constructor
    and loss, a method and its class's set-up)."""
    spec = exercise.spec
    if isinstance(spec, Model):
        return [f"{spec.cls}.__init__", exercise.name]
    owner = getattr(spec, "owner", None)
    return [exercise.name] + ([f"{owner.cls}.{owner.setup}"] if owner else [])


def needs(exercise: Exercise, learner: Learner) -> list[tuple[Exercise, str]]:
    """The exercises this one relies on, each with why: a backward its forward, and every
    exercise the learner's code calls, followed through the learner's other functions."""
    from .exercises import EXERCISES

    found: dict[str, str] = {}
    spec = exercise.spec
    if exercise.name != spec.forward and spec.forward in EXERCISES:
        found[spec.forward] = f"it takes the cache of {spec.forward}"
    seen, todo = set(), [(name, name) for name in own_functions(exercise)]
    while todo:
        name, via = todo.pop(0)
        if name in seen or not learner.has(name):
            continue
        seen.add(name)
        defined, called_names = referenced(learner, name)
        if defined in EXERCISES and defined != exercise.name and name != defined and defined not in found:
            found[defined] = f"{via} calls {defined} (as {name})"  # conv_forward_fast standing for the naive one
            continue
        for called in called_names:
            if called in EXERCISES and called != exercise.name and called not in found:
                found[called] = f"{via} calls {called}" if via == name else f"{via} calls {called} (through {name})"
            elif called not in EXERCISES:
                todo.append((called, via))
    return [(EXERCISES[name], why) for name, why in found.items() if learner.has(name)]


def referenced(learner: Learner, name: str) -> tuple[str, list[str]]:
    """The name a function's source defines, and the names it refers to (calls and
    attributes), in order."""
    source = learner.source(name)
    if source is None:
        return name, []
    try:
        tree = ast.parse(textwrap.dedent(source[0]))
    except SyntaxError:
        return name, []
    defined = tree.body[0].name if tree.body and isinstance(tree.body[0], (ast.FunctionDef, ast.ClassDef)) else name
    names = [node.id if isinstance(node, ast.Name) else node.attr for node in ast.walk(tree)
             if isinstance(node, (ast.Name, ast.Attribute))]
    return defined, list(dict.fromkeys(names))
