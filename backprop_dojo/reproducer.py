"""A failing example as Python the learner can paste: the calls of the learner's code that
the example made, with every input at full precision (repr of each float round-trips).
Inputs too large to read are saved to a .npz file instead, and the snippet loads them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from .learner import Call, Learner

MOST_ELEMENTS_SHOWN = 200  # above this many array elements in all, the inputs go to a .npz


def snippet(learner: Learner, label: str) -> str:
    """The calls of the last example, as a script; `label` names the .npz file if one is
    needed (the exercise and check)."""
    calls = list(learner.calls)
    if not calls:
        return ""
    saved: dict[str, np.ndarray] = {}
    large = sum(a.size for call in calls for a in _arrays(call.args)) > MOST_ELEMENTS_SHOWN
    lines, names = [], {}  # names: id of an object already named -> its variable
    used: set[str] = set()
    for number, call in enumerate(calls):
        args = []
        for key, value in call.args.items():
            if key == "self" and id(value) in names:
                continue
            if id(value) not in names and isinstance(value, (np.ndarray, dict, list, tuple)):
                variable = next(f"{key}{n or ''}" for n in range(len(used) + 2) if f"{key}{n or ''}" not in used)
                used.add(variable)
                if large and isinstance(value, np.ndarray):
                    saved[variable] = value
                    lines.append(f'{variable} = inputs["{variable}"]')
                else:
                    lines.append(f"{variable} = {_literal(value)}")
                names[id(value)] = variable
            shown = names.get(id(value)) or _literal(value)
            args.append(f"{key}={shown}" if call.by_keyword else shown)
        owner = names.get(id(call.args.get("self")))
        function = f"{owner}.{call.name.split('.', 1)[1]}" if owner else call.name
        target = _targets(call, names, used)
        lines.append(f"{target}{function}({', '.join(args)})")
    header = ["import numpy as np", "from numpy import array, nan, inf"]
    header += _imports(learner, calls)
    if saved:
        path = Path(tempfile.gettempdir()) / "backprop-dojo" / f"{label}.npz"
        path.parent.mkdir(exist_ok=True)
        np.savez(path, **saved)
        header.append(f'inputs = np.load("{path}")')
    return "\n".join(header + lines)


def _targets(call: Call, names: dict, used: set[str]) -> str:
    """`out, cache = ` for a call's results, which later calls may use."""
    if not call.returns:
        return ""
    values = call.result if len(call.returns) > 1 and isinstance(call.result, tuple) else (call.result,)
    for name, value in zip(call.returns, values):
        names[id(value)] = name
        used.add(name)
    return ", ".join(call.returns) + " = "


def _imports(learner: Learner, calls: list[Call]) -> list[str]:
    modules: dict[str, list[str]] = {}
    for call in calls:
        top = call.name.split(".")[0]
        function = learner.functions.get(top)
        module = getattr(function, "__module__", None)
        if module and module != "__main__" and top not in modules.get(module, []):
            modules.setdefault(module, []).append(top)
    if not modules or not Path(learner.origin).is_dir():
        return []
    lines = ["import sys", f"sys.path.insert(0, {str(Path(learner.origin).resolve())!r})"]
    return lines + [f"from {module} import {', '.join(names)}" for module, names in modules.items()]


def _arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item)


def _literal(value) -> str:
    """Python source for a value, exact: arrays with their dtype, floats by repr."""
    if isinstance(value, np.ndarray):
        text = np.array2string(value, separator=", ", floatmode="unique", threshold=value.size + 1, max_line_width=10**9)
        return f"np.array({text}, dtype=np.{value.dtype})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key!r}: {_literal(item)}" for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_literal(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    if isinstance(value, np.generic):
        return repr(value.item())
    if isinstance(value, type):
        return f"np.{value.__name__}" if issubclass(value, np.generic) else value.__name__
    return repr(value)
