"""The committed scenario reference is the one the schema generates."""

from sim.reference import reference_markdown

from .conftest import ROOT


def test_reference_page_is_current():
    committed = (ROOT / "docs" / "scenario-reference.md").read_text(encoding="utf-8")
    assert committed == reference_markdown(), "run `make docs` and commit docs/"


def test_every_parameter_has_unit_and_source():
    page = reference_markdown()
    params, columns = page.split("## Reported columns")
    rows = [r for r in params.splitlines() if r.startswith("| `")]
    assert len(rows) > 80
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[3] and cells[4], f"missing unit or source: {row}"
    declared = [r for r in columns.splitlines() if r.startswith("| `")]
    assert len(declared) > 40
    for row in declared:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1] and cells[2], f"missing unit or meaning: {row}"
