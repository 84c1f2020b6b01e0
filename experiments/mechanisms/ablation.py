"""Every mechanism switched off (and some scaled) on the default scenario, paired runs.

The mechanisms are DECLARED in `MECHANISMS`: one entry each, with the module that
implements it, the seed it comes from, what it does, the parameters that set its
strength (dotted scenario paths; `*` stands for every carrier or segment) and,
optionally, how it is switched off (default: those parameters at 0) and the multiples
of its strength to run as well (`scales`: 2 for "doubled", 0.5/2 for a sensitivity
range). Adding a mechanism is adding one entry.

Each variant runs on the same seeds as the baseline (common random numbers: same
population, graph and draws), so a variant's effect is the paired difference,
seed by seed. Outcomes over the months run (2019-01 to 2021-06 by default):
China Mobile's port-outs, China Mobile's net porting and the market's ports. Each is
reported as the mean paired difference in % of the baseline mean, with a 95%
t-interval over the seeds.

    python experiments/mechanisms/ablation.py            # 40,000 rows, 30 months, seeds 1-5
    python experiments/mechanisms/ablation.py --quick    # 8,000 rows, seeds 1-2: a smoke run

Writes experiments/mechanisms/ablation.csv and the generated part of docs/mechanisms.md
(between its `ablation` markers); --quick writes ablation_quick.csv only.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from dataclasses import dataclass
from multiprocessing import Pool
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.params import month_label
from sim.runner import run
from sim.scenario.loading import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios/china_mnp_2019.yaml"
HERE = Path(__file__).resolve().parent
DOC = ROOT / "docs/mechanisms.md"
OUTCOMES = {"mobile_port_out": "China Mobile port-outs",
            "mobile_net_porting": "China Mobile net porting",
            "market_ports": "market ports"}


@dataclass(frozen=True)
class Mechanism:
    """One mechanism: where it lives, its seed, its strength and how to switch it off."""

    name: str
    module: str
    seed: str
    does: str
    params: tuple[str, ...]              # dotted paths setting its strength (`*`: each key)
    off: dict[str, Any] | None = None    # None: every param at 0
    scales: tuple[float, ...] = ()       # multiples of the params to run too (2: doubled)
    note: str = ""


B, P, S = "behaviour.", "policy.", "population.social."
FR = B + "friction."
STEPS = tuple(FR + "step_cost." + k for k in ("sms_code", "losing_carrier_code", "in_person",
                                              "one_stop"))
SEG, CAR = "population.segments.*.", "carriers.*."

#: The declared table: every mechanism of sim/behaviour/ and ../shared/DOMAIN.md.
MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism("network problems", "experiences", "001, 004",
              "dropped calls, weak signal: satisfaction falls; likelier at low network quality "
              "and in weak-coverage areas", (B + "network_problem_rate",), scales=(2,)),
    Mechanism("weak-coverage areas", "experiences, offers", "004",
              "subscribers in basements, high-rises, remote areas face a worse network",
              ("population.weak_coverage_share",)),
    Mechanism("billing surprises", "experiences", "000, 002",
              "hidden fees and silent plan changes, likelier at low transparency",
              (B + "billing_surprise_rate",), scales=(2,)),
    Mechanism("complaints", "experiences", "000, 001",
              "a share of bad experiences become complaints, resolved well (satisfaction "
              "restored) or badly (more lost)", (B + "complaint_prob",), scales=(2,)),
    Mechanism("complaint recovery", "experiences", "001",
              "a complaint resolved well restores satisfaction", (B + "complaint_recovery",)),
    Mechanism("complaint handled badly", "experiences", "000",
              "a complaint handled badly costs extra satisfaction", (B + "complaint_bad_hit",)),
    Mechanism("star service", "experiences", "003",
              "higher stars get complaints resolved well more often",
              (B + "star_service_bonus",)),
    Mechanism("neglect of existing customers", "experiences, offers", "002",
              "new-customer-only offers lower existing customers' satisfaction",
              (B + "neglect_hit",),
              note="inactive in the status quo (no new-customer-only offer runs)"),
    Mechanism("arrears", "experiences, switching_cost", "002",
              "accounts fall into arrears (settled at 50%/month); in arrears a subscriber "
              "cannot port", (SEG + "arrears_rate",)),
    Mechanism("suspension on arrears", "experiences", "002, 003",
              "arrears lead to a quick suspension: satisfaction falls, the star score loses "
              "100 points", (CAR + "suspension_on_arrears",), scales=(0.5, 2)),
    Mechanism("suspension hit", "experiences", "002",
              "satisfaction lost on a suspension", (B + "suspension_hit",), scales=(2,)),
    Mechanism("satisfaction drift", "satisfaction", "002, 004",
              "satisfaction relaxes each month toward what the carrier delivers for the money",
              (B + "satisfaction_relax",), scales=(2,),
              note="off is degenerate: bad experiences then accumulate with nothing pulling "
              "satisfaction back"),
    Mechanism("value sensitivity", "satisfaction", "004",
              "a bill above the market's mean price lowers the satisfaction target",
              (B + "value_sensitivity",), scales=(2,)),
    Mechanism("satisfaction in the choice", "choice", "002",
              "own satisfaction adds to (or takes from) the current carrier's appeal",
              (B + "satisfaction_weight",), scales=(2,)),
    Mechanism("brand", "choice", "002",
              "China Mobile's brand and image value (9 yuan/month)", ("carriers.mobile.brand",)),
    Mechanism("peer pull", "choice, social", "002",
              "contacts and family on the same carrier (on-net, family plans)",
              (S + "peer_pull",), scales=(2,)),
    Mechanism("word of mouth", "choice, social", "004",
              "satisfied contacts recommend their carrier, dissatisfied ones warn",
              (S + "word_of_mouth",), scales=(2,)),
    Mechanism("reviews after contacts move", "consideration, social", "004",
              "each contact who moved last month raises the chance to review",
              (S + "mover_review_boost",), scales=(2,)),
    Mechanism("base review rate", "consideration", "004",
              "a segment's chance to review in a month with no trigger", (SEG + "review_rate",),
              scales=(2,)),
    Mechanism("reviews after a bad experience", "consideration", "004",
              "a network problem, billing surprise or suspension prompts a review",
              (B + "review_after_bad_experience",), scales=(2,)),
    Mechanism("reviews at contract end", "consideration", "004",
              "the month a contract ends prompts a review", (B + "review_at_contract_end",),
              scales=(0.5, 2)),
    Mechanism("reviews on awareness", "consideration", "DOMAIN.md",
              "learning that MNP is open prompts a review", (B + "review_on_awareness",),
              scales=(2,)),
    Mechanism("awareness by word of mouth", "social", "DOMAIN.md",
              "aware contacts tell others about MNP", (P + "awareness.word_of_mouth",),
              scales=(2,)),
    Mechanism("awareness launch publicity", "social", "DOMAIN.md",
              "extra chance to learn of MNP in its opening month", (P + "awareness.launch_boost",),
              scales=(2,)),
    Mechanism("gradual awareness", "social", "DOMAIN.md; pilots' uptake in shared/data/",
              "only aware subscribers can port; off = everyone aware when MNP opens",
              (P + "awareness.media_rate",), off={P + "awareness.initial_share": 1.0},
              scales=(2,)),
    Mechanism("number loss", "switching_cost", "DOMAIN.md (removed by MNP)",
              "losing one's number when switching without porting", (P + "number_loss_cost",),
              scales=(2,)),
    Mechanism("porting friction (all parts)", "porting_friction, switching_cost",
              "DOMAIN.md; MIIT 2019 rules",
              "China's porting facts (SMS codes, a shop visit with ID, free, within the day) "
              "as a hassle through behaviour.friction", (FR + "base", FR + "fee_weight",
                                                         FR + "day_cost", *STEPS),
              scales=(0.5, 2)),
    Mechanism("porting friction: day cost", "porting_friction", "assumption",
              "hassle per day from request to a working number", (FR + "day_cost",),
              scales=(2,), note="China's 2019 rule takes 0 days: no effect there by design"),
    Mechanism("porting friction: step costs", "porting_friction", "MIIT 2019 rules; fits",
              "hassle of each step (SMS code, losing carrier's code, shop visit, one stop)",
              STEPS, scales=(2,)),
    Mechanism("new-number hassle", "switching_cost", "DOMAIN.md",
              "a new SIM with a new number, beyond losing the number",
              (P + "new_number_hassle",)),
    Mechanism("contract penalty", "switching_cost", "004",
              "handset-subsidy payback per remaining contract month (paid to port under "
              "'penalty' lock-in)", (CAR + "contract_penalty",), scales=(0.5, 2)),
    Mechanism("contract lock-in blocks porting", "switching_cost", "MIIT rules (DOMAIN.md)",
              "'block': no port until the contract ends (the scenario reads 'penalty')",
              (), off={P + "eligibility.contract_lockin": "block"},
              note="a variant of the rule, not an ablation: 'off' here means 'block'"),
    Mechanism("contracts re-signing", "contracts", "004; assumption (stationary share)",
              "subscribers off contract re-sign with their carrier, holding the contract share",
              (B + "contract_renewal",), scales=(2,)),
    Mechanism("contracts", "moves, contracts, switching_cost", "004",
              "a share of subscribers on contract (penalty, contract-end reviews)",
              (SEG + "contract_share",), scales=(0.5, 2)),
    Mechanism("120-day tenure rule", "switching_cost", "MIIT rules (DOMAIN.md)",
              "no port before 120 days with the carrier", (P + "eligibility.min_tenure_days",)),
    Mechanism("bundles", "switching_cost, choice", "002",
              "home broadband / family plan value lost on leaving", (CAR + "bundle_value",),
              scales=(2,)),
    Mechanism("star benefits", "switching_cost", "003",
              "star benefits lost on leaving (star level x star_benefit)", (CAR + "star_benefit",),
              scales=(2,)),
    Mechanism("star programme", "stars, switching_cost, experiences", "003",
              "seed 003's credit-score stars at all three carriers; off = no stars at all",
              (), off={CAR + "star_programme": False}),
    Mechanism("honeymoon", "moves", "assumption",
              "a satisfaction bonus on joining a new carrier", (B + "honeymoon",), scales=(2,)),
    Mechanism("leaving and joining the market", "moves", "DOMAIN.md",
              "subscribers leave the market; newcomers choose with no switching cost",
              ("population.leave_rate",), scales=(2,)),
    Mechanism("bill shock", "bill_shock", "004",
              "a bill above last month's (a promotion or discount ending, a worse renewal) "
              "costs satisfaction and prompts a review",
              (B + "bill_shock_hit", B + "bill_shock_review"), scales=(2,),
              note="inactive in the status quo (nobody's bill rises); with an expiring 10% cut "
              "it adds 38% to China Mobile's port-outs (experiments/mechanisms/"
              "promo_ablation.py)"),
    Mechanism("plan fit", "plan_fit, satisfaction", "004",
              "a subscriber's usage misfit times (1 - the carrier's plan fit) is bill wasted, "
              "lowering the satisfaction target", (B + "plan_mismatch_weight",), scales=(2,)),
    Mechanism("loyalty points", "points, switching_cost", "002",
              "points accrue with spend, are forfeited on leaving and lapse at a clearing "
              "unless redeemed", (CAR + "points_accrual",), scales=(2,)),
    Mechanism("points lapsing unnoticed", "points", "002",
              "badly handled points lapse and cost satisfaction", (B + "points_lapse_hit",),
              scales=(2,)),
    Mechanism("sub-brand dilution", "sub_brands", "002",
              "each sub-brand beyond the first dilutes the carrier's brand value",
              (B + "sub_brand_dilution",), scales=(2,)),
    Mechanism("sub-brand price pull", "sub_brands, choice", "002",
              "subscribers of a carrier with sub-brands weigh a cheaper rival's bill more",
              (B + "sub_brand_price_pull",), scales=(2,)),
    Mechanism("peer learning", "peer_learning", "issue #19; Ferreira et al. 2019",
              "each contact who ported (and is still in the market) lowers the porting hassle "
              "a subscriber perceives", (B + "peer_learning",), scales=(2,)),
    Mechanism("handset replacement reviews", "handset_cycle, consideration",
              "issue #19; China Mobile Terminal Lab 2020, CAICT",
              "a new handset (every 25 months, off contract) prompts a review, more often "
              "while 5G handsets' share rises (2019-11 to 2022-01)",
              (B + "review_on_handset", B + "review_on_new_generation"), scales=(2,)),
    Mechanism("taste drift", "taste_drift, choice", "issue #19",
              "each subscriber's taste for each carrier drifts (AR(1)), so mismatches "
              "with the current carrier build up", (B + "taste_drift_sd",), scales=(2,)),
    Mechanism("expectation shortfall", "disappointment, moves", "assumption; post-purchase "
              "regret (Sanchez Garcia & Curras-Perez 2020)",
              "what the new carrier delivers falls short of what a porter expected: a drawn "
              "loss of starting satisfaction", (B + "port_shortfall_mean", B + "port_shortfall_sd"),
              scales=(2,)),
    Mechanism("disappointed porters review", "disappointment, consideration", "assumption",
              "a recent porter below the satisfied threshold reviews again",
              (B + "disappointed_review",), scales=(2,)),
    Mechanism("grudge against carriers left", "memory, choice", "assumption",
              "a carrier the subscriber left (the number's original, the last one left) is "
              "valued less", (B + "former_carrier_grudge",), scales=(2,)),
    Mechanism("a growing market (schedule)", "growth, moves", "scenario (population.growth)",
              "1% net additions a month from the start: more newcomers, who choose with no "
              "switching cost", (), off={}, note="a variant, off in the default scenario "
              "(saturated): 'on' gives population.growth 1%/month from 2019-01"),
    Mechanism("handset subsidy (lever)", "levers/acquisition", "004",
              "a 600-yuan subsidised handset with a 24-month contract for new customers",
              (), off={}, note="a lever, off in the status quo: 'off' is the baseline, and "
              "'on' gives China Mobile scenarios/strategies/handset_subsidy.yaml from MNP"),
    Mechanism("plan migration (lever)", "levers/plan_migration", "004",
              "China Mobile moves mismatched subscribers onto fitting plans",
              (), off={}, note="a lever: 'on' gives China Mobile "
              "scenarios/strategies/plan_migration.yaml"),
    Mechanism("points programme (lever)", "levers/points", "002",
              "China Mobile doubles its points and handles them well from MNP - 3 months",
              (), off={}, note="a lever: 'on' gives China Mobile "
              "scenarios/strategies/points_programme.yaml"),
    Mechanism("retiring sub-brands (lever)", "levers/brands", "002",
              "China Mobile keeps one brand from MNP - 6 months",
              (), off={}, note="a lever: 'on' gives China Mobile "
              "scenarios/strategies/retire_sub_brands.yaml"),
    Mechanism("retention desk (lever)", "levers/retention_desk", "004; MIIT 2019 rules",
              "China Mobile holds its port-out requests for a retention call with a 100-yuan "
              "gift, up to the rules' max_retention_share",
              (), off={}, note="a lever: 'on' gives China Mobile "
              "scenarios/strategies/retention_desk.yaml"),
)
#: Lever entries measured by switching them ON (name -> overrides).
SWITCH_ON = {"a growing market (schedule)": {"population.growth": (
                 "[{from: 2019-01, monthly_rate: 0.01, source: ablation}]")},
             "handset subsidy (lever)": {"strategies.mobile": "handset_subsidy"},
             "plan migration (lever)": {"strategies.mobile": "plan_migration"},
             "points programme (lever)": {"strategies.mobile": "points_programme"},
             "retiring sub-brands (lever)": {"strategies.mobile": "retire_sub_brands"},
             "retention desk (lever)": {"strategies.mobile": "retention_desk"}}


def _walk(obj: Any, parts: list[str], prefix: str = ""):
    """Yield (full path, parent object, field name) for a dotted path with `*` wildcards."""
    head, rest = parts[0], parts[1:]
    if not rest:
        yield prefix + head, obj, head
        return
    if head == "*":
        for key in obj:
            yield from _walk(obj[key], rest, f"{prefix}{key}.")
        return
    child = obj[head] if isinstance(obj, dict) else getattr(obj, head)
    yield from _walk(child, rest, f"{prefix}{head}.")


def expand(spec: Any, path: str) -> list[tuple[str, Any, Any]]:
    """(concrete path, scenario value, pydantic FieldInfo) for each match of `path`."""
    return [(p, getattr(parent, name), type(parent).model_fields[name])
            for p, parent, name in _walk(spec, path.split("."))]


def _upper_bound(info: Any) -> float | None:
    for m in info.metadata:
        if hasattr(m, "le"):
            return float(m.le)
    return None


def overrides(spec: Any, mech: Mechanism, variant: str) -> list[str]:
    """--set strings for a variant: 'off', 'on' (levers) or 'xK' (params times K)."""
    if variant == "on":
        return [f"{k}={v}" for k, v in SWITCH_ON[mech.name].items()]
    if variant == "off" and mech.off is not None:
        pairs = [(p, v) for path, v in mech.off.items() for p, _, _ in expand(spec, path)]
    else:
        k = 0.0 if variant == "off" else float(variant[1:])
        pairs = []
        for path in mech.params:
            for p, value, info in expand(spec, path):
                new = value * k
                bound = _upper_bound(info)
                new = min(new, bound) if bound is not None else new
                pairs.append((p, int(round(new)) if isinstance(value, int) else new))
    sets = []
    for p, v in pairs:
        sets.append(f"{p}={str(v).lower() if isinstance(v, bool) else v}")
    return sets


def capped(spec: Any, mech: Mechanism, variant: str) -> list[str]:
    """The params a scaled variant could not scale fully (held at their upper bound)."""
    if not variant.startswith("x"):
        return []
    k = float(variant[1:])
    return [f"{p}={_fmt(_upper_bound(info))}" for path in mech.params
            for p, value, info in expand(spec, path)
            if _upper_bound(info) is not None and value * k > _upper_bound(info)]


def variants(mech: Mechanism) -> list[str]:
    """The variants run for a mechanism, in report order."""
    if mech.name in SWITCH_ON:
        return ["on"]
    return ["off", *(f"x{k:g}" for k in mech.scales)]


def outcomes(sets: list[str], size: int, months: int, seed: int) -> dict[str, float]:
    """One run's totals over the months: China Mobile's port-outs and net porting, all ports."""
    spec = load_scenario(SCENARIO, [f"population.size={size}", f"months={months}", *sets])
    ts = run(spec, seed=seed).timeseries
    mobile = ts[ts["carrier"] == "mobile"]
    return {"mobile_port_out": float(mobile["port_out"].sum()),
            "mobile_net_porting": float(mobile["net_porting"].sum()),
            "market_ports": float(ts["port_in"].sum())}


def _job(args: tuple) -> tuple:
    key, sets, size, months, seed = args
    return key, seed, outcomes(sets, size, months, seed)


def paired(base: np.ndarray, alt: np.ndarray) -> tuple[float, float, float, float]:
    """Mean paired difference and its 95% t-interval, in % of |baseline mean|; and the mean."""
    d = alt - base
    scale = abs(base.mean()) / 100
    if len(d) < 2 or not d.any():
        m = d.mean() / scale
        return m, m, m, d.mean()
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return d.mean() / scale, (d.mean() - half) / scale, (d.mean() + half) / scale, d.mean()


def run_all(size: int, months: int, seeds: list[int], processes: int) -> pd.DataFrame:
    """Every variant of every mechanism, and the baseline, on every seed; the paired table."""
    spec = load_scenario(SCENARIO, [f"population.size={size}", f"months={months}"])
    plan = {("baseline", ""): []}
    for mech in MECHANISMS:
        for v in variants(mech):
            plan[(mech.name, v)] = overrides(spec, mech, v)
    jobs = [(key, sets, size, months, s) for key, sets in plan.items() for s in seeds]
    results: dict[tuple, dict[int, dict]] = {}
    with Pool(processes) as pool:
        for key, seed, out in pool.imap_unordered(_job, jobs):
            results.setdefault(key, {})[seed] = out
    base = results[("baseline", "")]
    rows = []
    for mech in MECHANISMS:
        for v in variants(mech):
            alt = results[(mech.name, v)]
            for o in OUTCOMES:
                b = np.array([base[s][o] for s in seeds])
                a = np.array([alt[s][o] for s in seeds])
                pct, lo, hi, diff = paired(b, a)
                rows.append({"mechanism": mech.name, "variant": v, "outcome": o,
                             "baseline_mean": b.mean(), "variant_mean": a.mean(),
                             "diff_mean": diff, "diff_pct": pct, "ci_low_pct": lo,
                             "ci_high_pct": hi, "n_seeds": len(seeds),
                             "overrides": " ".join(plan[(mech.name, v)])})
    return pd.DataFrame(rows)


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, (int, float)) and not isinstance(x, bool) else str(x)


def describe_param(spec: Any, path: str) -> str:
    """'path = value(s) [unit]; schema default D; source S', read from the schema metadata."""
    found = expand(spec, path)
    values = list(dict.fromkeys(_fmt(v) for _, v, _ in found))
    info = found[0][2]
    extra = info.json_schema_extra or {}
    default = info.default
    shown = path.replace("population.segments.*.", "segment ").replace("carriers.*.", "carrier ")
    return (f"`{shown}` = {' / '.join(values)} {extra.get('unit', '')} "
            f"(schema default {_fmt(default)}; source: {extra.get('source', '?')})")


def effect(table: pd.DataFrame, name: str, variant: str, outcome: str) -> str:
    """'+4.1% [+3.2, +5.0]' for one mechanism, variant and outcome."""
    r = table[(table.mechanism == name) & (table.variant == variant)
              & (table.outcome == outcome)].iloc[0]
    if r.ci_low_pct == r.ci_high_pct == r.diff_pct == 0:
        return "0 (identical)"
    return f"{r.diff_pct:+.1f}% [{r.ci_low_pct:+.1f}, {r.ci_high_pct:+.1f}]"


def markdown(table: pd.DataFrame, size: int, months: int, seeds: list[int],
             seconds: float) -> str:
    """The generated part of docs/mechanisms.md: one line per mechanism and variant."""
    spec = load_scenario(SCENARIO, [f"population.size={size}", f"months={months}"])
    base = table.drop_duplicates("outcome").set_index("outcome")["baseline_mean"]
    lines = [
        f"Paired runs of `{SCENARIO.relative_to(ROOT)}`: {size:,} rows, {months} months "
        f"({spec.start} to {month_label(spec.start, months - 1)}), seeds "
        f"{', '.join(map(str, seeds))}, with the default 24-month burn-in; each variant on the "
        "baseline's seeds (common random numbers). Effect = mean paired difference in % of "
        "the baseline mean (for net porting, of its absolute value: + means less negative), "
        "with its 95% t-interval over the seeds. Baseline means over the months: China "
        f"Mobile port-outs {base['mobile_port_out'] / 1e6:.1f} M, China Mobile net porting "
        f"{base['mobile_net_porting'] / 1e6:+.1f} M, market ports "
        f"{base['market_ports'] / 1e6:.1f} M (real subscribers). Variants: `off` (the "
        "mechanism switched off, usually its strength at 0), `xK` (its strength times K, "
        "capped at the parameter's upper bound), `on` (a lever switched on). Generated by "
        f"`python experiments/mechanisms/ablation.py` in {seconds / 60:.1f} minutes on 2 "
        "processes; the numbers are in `experiments/mechanisms/ablation.csv`.", "",
        "| mechanism | module | seed | what it does | strength (scenario value; schema default; "
        "source) | variant | CM port-outs | CM net porting | market ports |",
        "|---|---|---|---|---|---|---|---|---|"]
    for mech in MECHANISMS:
        params = "<br>".join(describe_param(spec, p) for p in mech.params) or "—"
        if mech.off is not None and mech.off:
            params += "<br>off: " + ", ".join(f"`{k}: {_fmt(v)}`" for k, v in mech.off.items())
        does = mech.does + (f" ({mech.note})" if mech.note else "")
        for i, v in enumerate(variants(mech)):
            head = (f"| {mech.name} | `sim/behaviour/{mech.module}` | {mech.seed} | {does} | "
                    f"{params} " if i == 0 else "| | | | | ")
            cells = [effect(table, mech.name, v, o) for o in OUTCOMES]
            cap = capped(spec, mech, v)
            shown = v + (f" (capped: {', '.join(sorted(set(cap)))})" if cap else "")
            lines.append(head + f"| {shown} | " + " | ".join(cells) + " |")
    lines += ["", sensitivity(table, spec)]
    return "\n".join(lines).replace("`sim/behaviour/levers/", "`sim/levers/")


#: The strengths issue #25 found weak and unexamined: their range, 0 to 2 times.
SENSITIVITY = ("reviews at contract end", "contract penalty", "suspension on arrears")


def sensitivity(table: pd.DataFrame, spec: Any) -> str:
    """A table of the three unexamined strengths at 0, 0.5, 1 and 2 times their value."""
    lines = ["**Sensitivity of the unexamined strengths** (CM port-outs, % of the baseline, "
             "95% interval; 1x is the baseline):", "",
             "| strength | 0x | 0.5x | 1x | 2x |", "|---|---|---|---|---|"]
    by_name = {m.name: m for m in MECHANISMS}
    for name in SENSITIVITY:
        mech = by_name[name]
        path, value, _ = expand(spec, mech.params[0])[0]
        cells = []
        for v in ("off", "x0.5", "x1", "x2"):
            if v == "x1":
                cells.append(f"{_fmt(value)} (0)")
                continue
            k = 0.0 if v == "off" else float(v[1:])
            bound = _upper_bound(expand(spec, mech.params[0])[0][2])
            level = min(value * k, bound) if bound is not None else value * k
            cells.append(f"{_fmt(round(level, 4))}: "
                         f"{effect(table, name, v, 'mobile_port_out')}")
        shown = mech.params[0].replace("carriers.*.", "carrier ")
        lines.append(f"| {name} (`{shown}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace the text between the ablation markers of docs/mechanisms.md."""
    doc = DOC.read_text() if DOC.exists() else (
        "# Mechanisms\n\n<!-- ablation:start -->\n<!-- ablation:end -->\n")
    new = re.sub(r"<!-- ablation:start -->.*<!-- ablation:end -->",
                 lambda _: f"<!-- ablation:start -->\n{text}\n<!-- ablation:end -->", doc,
                 flags=re.S)
    DOC.write_text(new)


def main() -> None:
    """Run the ablation and write the CSV (and, unless --quick, the generated doc)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="8,000 rows, seeds 1-2")
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--months", type=int, default=30)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--docs-only", action="store_true",
                        help="regenerate docs/mechanisms.md from ablation.csv, no runs")
    args = parser.parse_args()
    size, seeds = (8_000, [1, 2]) if args.quick else (args.size, args.seeds)
    out = HERE / ("ablation_quick.csv" if args.quick else "ablation.csv")
    if args.docs_only:
        meta = json.loads((HERE / "ablation.json").read_text())
        write_doc(markdown(pd.read_csv(out), meta["size"], meta["months"], meta["seeds"],
                           meta["seconds"]))
        return
    t0 = time.perf_counter()
    table = run_all(size, args.months, seeds, args.processes)
    seconds = time.perf_counter() - t0
    table.to_csv(out, index=False, float_format="%.6g")
    summary = table.pivot_table(index=["mechanism", "variant"], columns="outcome",
                                values="diff_pct", sort=False)
    print(summary.round(1).to_string())
    print(f"{len(table) // len(OUTCOMES)} variants x {len(seeds)} seeds in {seconds:.0f} s; "
          f"wrote {out.relative_to(ROOT)}")
    if not args.quick:
        (HERE / "ablation.json").write_text(json.dumps(
            {"size": size, "months": args.months, "seeds": seeds, "seconds": round(seconds)}))
        write_doc(markdown(table, size, args.months, seeds, seconds))
        print(f"wrote {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
