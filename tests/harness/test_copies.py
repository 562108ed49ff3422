"""copies.copied is copy.deepcopy, faster: the same structure (an object found twice copied
once), and nothing of the original shared with the copy."""

import copy
import pickle
from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from backprop_dojo.copies import copied

leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3), st.just(np.float32(1.5)),
                   st.just(Fraction(1, 3)), hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=3)))
values = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                                                      st.dictionaries(st.text(max_size=2), inner, max_size=3)), max_leaves=8)


def _arrays(value) -> list:
    if isinstance(value, np.ndarray):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return [array for item in items for array in _arrays(item)]


@given(values)
def test_a_copy_is_what_deepcopy_makes_and_shares_no_array(value):
    made = copied(value)
    assert pickle.dumps(made) == pickle.dumps(copy.deepcopy(value))
    originals = {id(array) for array in _arrays(value)}
    assert not any(id(array) in originals for array in _arrays(made))


def test_an_array_found_twice_is_copied_once():
    x = np.arange(3.0)
    made = copied({"x": x, "batches": [x, x.copy()]})
    assert made["x"] is made["batches"][0] and made["x"] is not x and made["batches"][1] is not made["x"]
