"""Contract 2's assembly orders findings of equal points and rule by names, then message, exactly as a
plain stable sort by the whole key would, whatever shortcut it takes for large buckets.

Why: the shortcut (sort by first names, then runs of equal first names by the whole key) is there for
speed on large maps; the golden reports pin it on real maps, this pins it on collisions made on purpose.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain.coherence_v2_assembly import _NAMES_MESSAGE, _by_names

NAMES = st.sampled_from(["ads", "ads 2", "Ads", "sdr", "sdr team", "", "b", "ß"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(NAMES, min_size=0, max_size=3).map(tuple),
            st.sampled_from(["m", "n", "a"]),
        ),
        min_size=0,
        max_size=60,
    )
)
def test_a_bucket_is_ordered_as_a_stable_sort_by_names_then_message(rows):
    bucket = [(folded, message, ("rule", i), float(i)) for i, (folded, message) in enumerate(rows)]
    expected = sorted(bucket, key=_NAMES_MESSAGE)
    assert _by_names(list(bucket)) == expected


def test_a_large_bucket_with_equal_first_names_keeps_the_order_of_equal_keys():
    bucket = [
        ((name, "x" if i % 3 else "a"), "m", ("rule", i), 0.0) for i, name in enumerate(["b", "a"] * 20)
    ]
    expected = sorted(bucket, key=_NAMES_MESSAGE)
    found = _by_names(list(bucket))
    assert found == expected
    assert [entry[2][1] for entry in found] == [entry[2][1] for entry in expected]
