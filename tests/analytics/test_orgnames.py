import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjian.analytics.orgnames import lookup_keys, normalise


@pytest.mark.parametrize(("raw", "clean"), [
    ("市资源 规划局", "市资源规划局"),
    ("\u3000市生态环境局\n", "市生态环境局"),      # ideographic space, newline
    ("县（市）区政府", "县(市)区政府"),            # full-width brackets
    ("ＰＭ２．５", "PM2.5"),
])
def test_normalise(raw, clean):
    assert normalise(raw) == clean


def test_keys_try_the_literal_name_first():
    keys = lookup_keys("市场监管局")
    assert keys[0].name == "市场监管局" and keys[0].rule == "exact"
    assert ("场监管局", 2) in {(k.name, k.level) for k in keys}


def test_renamed_bureau_with_prefix():
    assert [(k.name, k.level) for k in lookup_keys("县环境保护局")] == [
        ("县环境保护局", None), ("县生态环境局", None), ("环境保护局", 3), ("生态环境局", 3)]


def test_short_names_are_not_split():
    assert [k.rule for k in lookup_keys("市局")] == ["exact"]


@given(st.text(max_size=30))
def test_normalise_is_idempotent(text):
    assert normalise(normalise(text)) == normalise(text)


def test_composition_across_a_removed_space():
    # found by hypothesis: NFKC of "A´" is "A ́"; without the space it composes to "Á"
    assert normalise("A´") == normalise(normalise("A´")) == "Á"
