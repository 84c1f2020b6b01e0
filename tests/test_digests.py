"""Shipped scenarios give the same outputs, to the bit, as the stored digests."""

import json

import pytest

from tests import digests

STORED = json.loads(digests.STORE.read_text())


@pytest.mark.parametrize("case", sorted(STORED))
def test_outputs_match_stored_digests(case):
    assert case in digests.CASES, f"{case} is stored but no longer defined"
    assert digests.differences(STORED[case], digests.run_case(case)) == []
