"""The teaching scenario tells the false-loyalty story, at its default size, on its
default seed and on others; and it is MNP that tells it (without MNP, no surge)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.runner import run
from sim.scenario import load_scenario
from sim.story import tell

DEMO = Path(__file__).resolve().parents[1] / "scenarios" / "false_loyalty_demo.yaml"
SEEDS = (7, 11, 23)  # 7 is the scenario's own seed


@pytest.fixture(scope="module")
def demo():
    return load_scenario(DEMO)


@pytest.fixture(scope="module", params=SEEDS)
def story(request, demo):
    ts = run(demo, seed=request.param).timeseries
    return tell(ts, demo.start, demo.policy.mnp_start)


def test_demo_uses_its_default_seed_and_size(demo):
    assert demo.seed == SEEDS[0] and demo.policy.mnp_start is not None


def test_before_mnp_the_market_looks_loyal_but_is_held_hostage(story):
    assert story.churn_before < 0.5              # under 0.5% of subscribers a month
    assert story.hostage_before > 40             # yet over 40% are hostages
    assert story.focus_hostage_before > 70       # and most of the incumbent's base


def test_opening_brings_a_porting_surge(story):
    assert story.churn_surge > 3                 # over 3% of subscribers in one month
    assert story.churn_surge > 10 * story.churn_before


def test_hostage_share_collapses(story):
    assert story.hostage_after < story.hostage_before / 2
    assert story.hostage_end < story.hostage_before / 3
    assert story.focus_share_end < story.focus_share_before / 2   # the incumbent empties


def test_churn_settles_far_below_the_surge(story):
    assert story.churn_late < story.churn_surge / 4


def test_without_mnp_there_is_no_surge_and_hostages_stay(demo):
    closed = load_scenario(DEMO, ["policy.mnp_start=null", f"months={demo.months}"])
    ts = run(closed, seed=SEEDS[0]).timeseries
    assert ts["port_in"].sum() == 0
    # read the same months as the story with MNP, on the same seed
    with_mnp = tell(run(demo, seed=SEEDS[0]).timeseries, demo.start, demo.policy.mnp_start)
    without = tell(ts, demo.start, demo.policy.mnp_start)  # months only: MNP never opens here
    assert without.churn_surge < with_mnp.churn_surge / 5
    assert without.hostage_end > with_mnp.hostage_end * 2


# ---------------------------------------------------------------- the lesson's table and figures

LESSONS = {"en": DEMO.parents[1] / "docs" / "teaching-false-loyalty.md",
           "zh": DEMO.parents[1] / "docs" / "teaching-false-loyalty.zh.md"}


def test_quadrant_rules_are_what_the_model_classifies():
    import itertools

    import numpy as np

    from sim.behaviour.loyalty import QUADRANTS, classify
    from sim.story import quadrant_rules

    rules = quadrant_rules()
    for left, satisfied, prefers in itertools.product((False, True), repeat=3):
        values = np.array([[1.0, 2.0 if prefers else 0.5, 0.0]])  # carrier 0 is current
        code = classify(values, np.array([0], dtype=np.int8), np.array([satisfied]),
                        np.array([left]))[0]
        matching = [r for r in rules if r.moves == left
                    and r.satisfied in (None, satisfied) and r.prefers_other in (None, prefers)]
        assert [r.quadrant for r in matching] == [QUADRANTS[code]], (left, satisfied, prefers)
    by_name = {(r.quadrant, r.moves): r for r in rules}
    hostage, defector = by_name[("hostage", False)], by_name[("defector", True)]
    assert (hostage.moves, hostage.satisfied, hostage.prefers_other) == (False, False, True)
    assert defector.moves and not defector.satisfied  # the defector leaves; the hostage stays


@pytest.mark.parametrize("lang", sorted(LESSONS))
def test_each_lesson_quotes_the_codes_quadrant_table(lang):
    from sim.story import quadrant_table, with_quadrant_table

    text = LESSONS[lang].read_text()
    assert quadrant_table(lang) in text
    assert with_quadrant_table(text, lang) == text, "run `make lesson` to regenerate it"


@pytest.mark.parametrize("lang", sorted(LESSONS))
def test_each_lessons_figures_exist(lang):
    import re

    text = LESSONS[lang].read_text()
    figures = re.findall(r"\]\((figures/[^)]+\.png)\)", text)
    assert len(figures) == 5
    assert all(f.startswith("figures/false-loyalty-zh/" if lang == "zh" else
                            "figures/false-loyalty/") for f in figures)
    for f in figures:
        assert (LESSONS[lang].parent / f).is_file(), f


def _cjk_font_or_skip():
    import os

    from sim import i18n

    if i18n.cjk_font() is None:
        if os.environ.get("CI"):
            pytest.fail(i18n.FONT_HELP)
        pytest.skip(i18n.FONT_HELP)


def test_chinese_figures_have_every_glyph(tmp_path, demo):
    import warnings

    from sim.story import write_figures

    _cjk_font_or_skip()
    ts = run(load_scenario(DEMO, ["population.size=2000", "months=15"]), seed=7).timeseries
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        written = write_figures(ts, demo.policy.mnp_start, tmp_path, "zh")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]
    assert len(written) == 5 and all(p.stat().st_size > 10_000 for p in written)


def test_english_figures_keep_their_font(tmp_path, demo):
    """Drawing in Chinese first does not change the font of a later English figure."""
    import matplotlib

    from sim import plots

    _cjk_font_or_skip()
    ts = run(load_scenario(DEMO, ["population.size=2000", "months=3"]), seed=7).timeseries
    before = list(matplotlib.rcParams["font.family"])
    plots.plot_churn(ts, "t", None, tmp_path / "zh.png", lang="zh")
    assert list(matplotlib.rcParams["font.family"]) == before


def test_story_refuses_an_unknown_language(capsys):
    from sim.story import main

    with pytest.raises(SystemExit) as exit_:
        main([str(DEMO), "out/nowhere", "--lang", "fr"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--lang" in err and "'fr'" in err and "Traceback" not in err
