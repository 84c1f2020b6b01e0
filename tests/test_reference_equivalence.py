"""The vectorised model against the plain-Mesa reference (experiments/bench/), at a
reduced size: same distributions of cumulative net porting and false-loyal share.

The full-size check (5,000 subscribers, 24 months, 30 seeds) is
`python experiments/bench/equivalence.py`, run by `make bench`.
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "experiments" / "bench"))

import equivalence  # noqa: E402
from common import scenario  # noqa: E402

pytestmark = pytest.mark.slow
SEEDS = list(range(1, 11))
NO_RENEWAL = "behaviour.contract_renewal=0"
NO_PLAN_FIT = "behaviour.plan_mismatch_weight=0"  # (bill shock: no bill rises in the status quo)
#: nor loyalty points or sub-brands (sim/behaviour/points.py, sub_brands.py): compare without them
NO_POINTS_OR_SUB_BRANDS = ("carriers.mobile.points_accrual=0",
                           "carriers.unicom.points_accrual=0",
                           "carriers.telecom.points_accrual=0", "carriers.mobile.sub_brands=1")


@pytest.fixture(scope="module")
def frame():
    # 24 months from 2019-01: MNP opens in month 11, so porting is well under way
    # the reference has no contract re-signing (sim/behaviour/contracts.py), no plan fit
    # (sim/behaviour/plan_fit.py), no loyalty points or sub-brands: compare without them
    return equivalence.samples(scenario(3000, 24, NO_RENEWAL, NO_PLAN_FIT,
                                        *NO_POINTS_OR_SUB_BRANDS), SEEDS)


def test_models_are_indistinguishable(frame):
    table = equivalence.compare(frame)
    assert table["indistinguishable"].all(), table.to_string()


def test_the_test_detects_a_real_difference(frame):
    """The same comparison tells the models apart when the reference's MNP opens four
    months earlier (2019-07): at this size the equivalence test has power."""
    earlier = scenario(3000, 24, NO_RENEWAL, NO_PLAN_FIT, *NO_POINTS_OR_SUB_BRANDS,
                       "policy.mnp_start=2019-07", "policy.porting_rules.0.from=2019-07")
    other = equivalence.samples(earlier, SEEDS, models=("mesa_reference",))
    table = equivalence.compare(pd.concat([frame[frame["model"] == "vectorised"], other]))
    assert not table["indistinguishable"].all()


def test_holm_adjustment():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    # sorted 0.01*4=0.04, 0.03*3=0.09, 0.04*2=0.08 -> monotone 0.09, 0.5*1=0.5
    assert np.allclose(equivalence.holm(p), [0.04, 0.09, 0.09, 0.5])
