"""Writing the modules of a reconstructed CS231n folder: learner code rewritten from
reference/, starter stubs generated from reference/'s signatures in a course year's style,
and edits (bugs, side effects) applied to the result.

A module is assembled from a reference module: every top-level function and class is kept
(rewritten as a learner writes it: absolute `cs231n.` imports, the year's TODO banners around
the code), stubbed (its body replaced by the year's starter form), or dropped. Edits are
then applied to the assembled text, each `old` occurring exactly once.
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "reference"

START = "# *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"
END = "# *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****"


def banner(year: int, text: str = "Implement this part.", body: str = "pass") -> str:
    """The TODO block of a year's starter: 2016-2018 a bare banner around `pass`; from 2019
    on the START / END OF YOUR CODE lines inside it too."""
    if year <= 2018:
        rule = "#" * 77
        return f"{rule}\n# TODO: {text}\n{rule}\n{body}\n{rule}\n#{'END OF YOUR CODE':^75}#\n{rule}"
    rule = "#" * 75
    return f"{rule}\n# TODO: {text}\n{rule}\n{START}\n\n{body}\n\n{END}\n{rule}\n#{'END OF YOUR CODE':^73}#\n{rule}"


def absolute_imports(source: str) -> str:
    """reference/'s relative imports as a cs231n folder has them."""
    return source.replace("from ..", "from cs231n.").replace("from .", "from cs231n.")


def reference_source(module: str) -> str:
    """module: "layers", "classifiers/fc_net", ..."""
    return absolute_imports((REFERENCE / f"{module}.py").read_text())


# --------------------------------------------------------------------------------------
# Starter stubs, by exercise
# --------------------------------------------------------------------------------------

_SETDEFAULTS = {
    "sgd": ["learning_rate", "1e-2"],
    "sgd_momentum": ["learning_rate", "1e-2", "momentum", "0.9"],
    "rmsprop": ["learning_rate", "1e-2", "decay_rate", "0.99", "epsilon", "1e-8", "cache", "np.zeros_like(w)"],
    "adam": ["learning_rate", "1e-3", "beta1", "0.9", "beta2", "0.999", "epsilon", "1e-8",
             "m", "np.zeros_like(w)", "v", "np.zeros_like(w)", "t", "{t}"],
}


def stub_body(name: str, returns: list[str], year: int) -> str:
    """The body (after the docstring) of the official starter of exercise `name`."""
    todo = banner(year)
    method = name.rpartition(".")[2]
    if name.startswith("KNearestNeighbor.compute_distances"):
        loops = {"two_loops": 2, "one_loop": 1, "no_loops": 0}[method.removeprefix("compute_distances_")]
        lines = ["num_test = X.shape[0]", "num_train = self.X_train.shape[0]", "dists = np.zeros((num_test, num_train))"]
        inner = todo
        if loops:
            inner = "for i in range(num_test):\n" + (
                textwrap.indent("for j in range(num_train):\n" + textwrap.indent(todo, "    "), "    ")
                if loops == 2 else textwrap.indent(todo, "    ")
            )
        return "\n".join(lines + [inner, "return dists"])
    if name == "KNearestNeighbor.predict_labels":
        loop = "for i in range(num_test):\n    closest_y = []\n" + textwrap.indent(todo + "\n" + todo, "    ")
        return f"num_test = dists.shape[0]\ny_pred = np.zeros(num_test)\n{loop}\nreturn y_pred"
    if method == "loss" and name != "CaptioningRNN.loss":  # the nets
        first = "loss, grads = 0, {}" if name == "TwoLayerNet.loss" else "loss, grads = 0.0, {}"
        return f"scores = None\n{todo}\nif y is None:\n    return scores\n\n{first}\n{todo}\nreturn loss, grads"
    if name == "CaptioningRNN.loss":
        return ("captions_in = captions[:, :-1]\ncaptions_out = captions[:, 1:]\n"
                "mask = captions_out != self._null\nloss, grads = 0.0, {}\n" + todo + "\nreturn loss, grads")
    if name in _SETDEFAULTS:
        pairs = _SETDEFAULTS[name]
        lines = ["if config is None:", "    config = {}"] + [
            f'config.setdefault("{key}", {value})' for key, value in zip(pairs[::2], pairs[1::2])
        ]
        lines = [line.replace("{t}", "1" if year == 2017 else "0") for line in lines]
        if name == "sgd_momentum":
            lines += ['v = config.get("velocity", np.zeros_like(w))', "next_w = None", todo, 'config["velocity"] = v']
        else:
            lines += ["next_w = None", todo]
        return "\n".join(lines + ["return next_w, config"])
    if name in {"svm_loss_naive", "svm_loss_vectorized", "softmax_loss_naive", "softmax_loss_vectorized"}:
        return f"loss = 0.0\ndW = np.zeros_like(W)\n{todo}\nreturn loss, dW"
    if name == "dropout_forward":
        return (
            'p, mode = dropout_param["p"], dropout_param["mode"]\n'
            'if "seed" in dropout_param:\n    np.random.seed(dropout_param["seed"])\n\n'
            "mask = None\nout = None\n\n"
            'if mode == "train":\n' + textwrap.indent(todo, "    ") + '\nelif mode == "test":\n'
            + textwrap.indent(todo, "    ") + "\n\ncache = (dropout_param, mask)\n"
            "out = out.astype(x.dtype, copy=False)\n\nreturn out, cache"
        )
    if name == "dropout_backward":
        return (
            'dropout_param, mask = cache\nmode = dropout_param["mode"]\n\ndx = None\n'
            'if mode == "train":\n' + textwrap.indent(todo, "    ") + '\nelif mode == "test":\n    dx = dout\nreturn dx'
        )
    if name in {"batchnorm_forward", "spatial_batchnorm_forward"} and name == "batchnorm_forward":
        return (
            'mode = bn_param["mode"]\neps = bn_param.get("eps", 1e-5)\nmomentum = bn_param.get("momentum", 0.9)\n\n'
            "N, D = x.shape\n"
            'running_mean = bn_param.get("running_mean", np.zeros(D, dtype=x.dtype))\n'
            'running_var = bn_param.get("running_var", np.zeros(D, dtype=x.dtype))\n\n'
            "out, cache = None, None\n"
            'if mode == "train":\n' + textwrap.indent(todo, "    ") + '\nelif mode == "test":\n'
            + textwrap.indent(todo, "    ") + "\nelse:\n"
            "    raise ValueError('Invalid forward batchnorm mode \"%s\"' % mode)\n\n"
            '# Store the updated running means back into bn_param\nbn_param["running_mean"] = running_mean\n'
            'bn_param["running_var"] = running_var\n\nreturn out, cache'
        )
    caches = {
        "affine_forward": "cache = (x, w, b)",
        "relu_forward": "cache = x",
        "conv_forward_naive": "cache = (x, w, b, conv_param)",
        "max_pool_forward_naive": "cache = (x, pool_param)",
    }
    if name in caches:
        return f"out = None\n{todo}\n{caches[name]}\nreturn out, cache"
    names = ", ".join(returns)
    return f"{names} = {', '.join(['None'] * len(returns))}\n{todo}\nreturn {names}"


def _returns(node: ast.FunctionDef) -> list[str]:
    last = node.body[-1]
    if isinstance(last, ast.Return) and last.value is not None:
        values = last.value.elts if isinstance(last.value, ast.Tuple) else [last.value]
        if all(isinstance(v, ast.Name) for v in values):
            return [v.id for v in values]
    return ["out"]


def _body_start(node) -> int:
    """The first line of the body after the docstring (1-based)."""
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        return first.end_lineno + 1 if len(node.body) > 1 else first.end_lineno + 1
    return first.lineno


# --------------------------------------------------------------------------------------
# Assembling a module
# --------------------------------------------------------------------------------------


def module(
    source: str,
    year: int,
    *,
    stubs=(),
    drop=(),
    keep: set[str] | None = None,
    learner_style: bool = True,
    edits=(),
    given=(),
    header: str = "",
) -> str:
    """A module from `source` (reference text): functions and methods named in `stubs`
    ("name" or "Class.method") get the year's starter body, those in `drop` (or not in
    `keep`) are left out, those in `given` are kept as the course wrote them, and the others get the year's TODO banners around their code,
    as a learner fills a starter in. Then each edit (old, new) is applied once."""
    tree = ast.parse(source)
    lines = source.splitlines()
    replacements = []  # (first line, last line, new lines), 1-based inclusive
    stubs, drop = set(stubs), set(drop)

    def visit(node, qualname, indent):
        if qualname in drop or (keep is not None and "." not in qualname and qualname not in keep):
            replacements.append((node.lineno, node.end_lineno, []))
            return
        if isinstance(node, ast.ClassDef):
            for child in node.body:
                if isinstance(child, ast.FunctionDef):
                    visit(child, f"{node.name}.{child.name}", indent + "    ")
            return
        start = _body_start(node)
        inner = indent + "    "
        if qualname in stubs:
            body = stub_body(qualname, _returns(node), year)
            replacements.append((start, node.end_lineno, textwrap.indent(body, inner).splitlines()))
        elif learner_style and qualname not in given and len(node.body) > 2 and isinstance(node.body[-1], ast.Return) and not qualname.endswith("__init__"):
            top, bottom = banner(year, body="@@").split("@@")
            code = lines[start - 1:node.body[-1].lineno - 1]
            new = textwrap.indent(top.rstrip("\n"), inner).splitlines() + code
            new += textwrap.indent(bottom.strip("\n"), inner).splitlines()
            new += lines[node.body[-1].lineno - 1:node.end_lineno]
            replacements.append((start, node.end_lineno, new))

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            visit(node, node.name, "")
    for first, last, new in sorted(replacements, reverse=True):
        lines[first - 1:last] = new
    text = header + "\n".join(lines) + "\n"
    return edit(text, *edits)


def edit(text: str, *edits: tuple[str, str]) -> str:
    for old, new in edits:
        count = text.count(old)
        if count != 1:
            raise ValueError(f"the edit's text occurs {count} times, not once: {old!r}")
        text = text.replace(old, new)
    return text


def python2(text: str) -> str:
    """2016's Python 2 habits that still run under Python 3 with `future` installed:
    xrange from past.builtins in every loop."""
    text = text.replace(" in range(", " in xrange(")
    return "from past.builtins import xrange\n" + text


def line_of(text: str, needle: str) -> int:
    """The line (1-based) of the only occurrence of `needle` in `text`."""
    assert text.count(needle) == 1, needle
    return text[: text.index(needle)].count("\n") + 1
