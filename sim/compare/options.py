"""The `mnp compare` options that need more than a type check: horizon, language, decomposition.

Each problem raises `OptionError` with one message that names the option; the command
prints it and exits with status 2 before anything is run or written.
"""

from __future__ import annotations

from pathlib import Path

from sim.compare.decompose import DecompositionError, changes_between, plan_checks
from sim.compare.horizon import HorizonError, resolve_horizon
from sim.compare.labels import MISSING_FONT, LangError, check_lang, cjk_font


class OptionError(ValueError):
    """A bad `mnp compare` option (exit 2)."""

    def render(self) -> str:
        """The message, as `ScenarioError.render()` gives one."""
        return str(self)


def check_options(lang: str, decompose: list[str] | None, samples: int | None,
                  independent: bool) -> None:
    """Checks that need no scenario: --lang, --samples without --decompose, --independent."""
    try:
        check_lang(lang)
    except LangError as exc:
        raise OptionError(str(exc)) from None
    if samples is not None and not decompose:
        raise OptionError("--samples: only used with --decompose NAME (a permutation-sampling "
                          "estimate for strategies of more than 8 actions)")
    if decompose and independent:
        raise OptionError("--decompose needs common random numbers (every coalition on the "
                          "same seeds); drop --independent")


def horizon_overrides(path: Path, overrides: list[str], horizon: str | None) -> list[str]:
    """`overrides` plus the run length `--horizon` asks for (months=N)."""
    if horizon is None:
        return list(overrides)
    from sim.scenario import load_scenario
    spec = load_scenario(path, overrides)
    try:
        months = resolve_horizon(horizon, spec.start, spec.months, spec.policy.first_opening)
    except HorizonError as exc:
        raise OptionError(str(exc)) from None
    return [*overrides, f"months={months}"]


def decompose_plan(specs: dict, carrier: str, names: list[str] | None,
                   samples: int | None) -> list[str]:
    """The strategies to decompose (in order), checked against the loaded strategies."""
    if not names:
        return []
    strategies = list(specs)
    base = specs[strategies[0]].actions_of(carrier)
    counts = {n: len(changes_between(base, specs[n].actions_of(carrier))) for n in strategies}
    try:
        return plan_checks(strategies, names, counts, samples)
    except DecompositionError as exc:
        raise OptionError(str(exc)) from None


def font_warning(lang: str) -> str | None:
    """A one-line warning when Chinese plots would lack a CJK font."""
    return MISSING_FONT if lang == "zh" and cjk_font() is None else None


def notes(cmp, decompositions, inputs, table=None) -> list[str]:
    """Lines the command prints after its table: months, intervals, contributions, PDF."""
    from sim.compare.report import coverage_text, decomposition_intro, words_for
    words = words_for(cmp, "en")
    lines = [f"Covers {coverage_text(cmp, words).removeprefix('covers ')}.",
             "Intervals are simulation noise only (replicates with the same inputs), not "
             "parameter uncertainty."]
    for r in (table.itertuples() if table is not None else []):
        if r.strategy != cmp.baseline:
            per = r.cost_per_port_out_avoided
            lines.append(f"  {r.strategy}: port-ins won {r.port_ins_won / 1e6:+.3f} M, "
                         f"port-outs avoided {r.port_outs_avoided / 1e6:+.3f} M"
                         + (f", {per:,.0f} yuan of lever cost per port-out avoided"
                            if per == per and per and r.diff_cost > 0 else ""))
    if decompositions:
        d = decompositions[0]
        lines.append(f"Decomposition: {d.new_runs} more runs, {d.wall_seconds:.1f} s.")
    for dec in decompositions:
        if not dec.changes:
            lines.append(words.t("no_changes", strategy=dec.strategy))
            continue
        lines.append(decomposition_intro(cmp, dec, words).split(";")[0] + ":")
        for r in dec.table().itertuples():
            lines.append(f"  {r.change:40s} net {r.net_porting / 1e6:+8.3f} M "
                         f"[{r.net_porting_ci_low / 1e6:+.3f}, {r.net_porting_ci_high / 1e6:+.3f}]"
                         f"   cost {r.cost / 1e6:+10.1f} M yuan")
    if inputs.pdf_note:
        lines.append(f"note: {inputs.pdf_note}")
    if warning := font_warning(inputs.lang):
        lines.append(f"warning: {warning}")
    return lines


def run_decompositions(cmp, names: list[str], samples: int | None, base_seed: int, jobs: int,
                       on_run=None) -> list:
    """Run the coalitions the decompositions need, calling on_run(done, total) after each."""
    if not names:
        return []
    from sim.compare.decompose import decompose
    return decompose(cmp, names, samples, base_seed, jobs=jobs,
                     on_run=on_run or (lambda done, total: None))


def strategy_descriptions(path: Path, names: list[str]) -> dict[str, str]:
    """Each strategy file's description (see sim/compare/describe.py)."""
    from sim.compare.describe import strategy_descriptions as read
    return read(path, names)
