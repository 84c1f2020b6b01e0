"""Why false loyalty barely moves in the national scenario, and collapses in the demo.

Runs the national scenario (scenarios/china_mnp_2019.yaml), the same without MNP, and
the teaching scenario (scenarios/false_loyalty_demo.yaml), and classifies EVERY
subscriber every month as the model does (sim/behaviour/loyalty.py: a hostage stays,
is dissatisfied and prefers another carrier when switching costs nothing). For the
hostages it records who they are (segment, contract, stars, tenure, bundle, awareness,
switching-cost parts), what holds them (how many review a month, their logit chance
of leaving when they review, the same chance with each switching-cost part removed,
how far they prefer a rival: the value gap in yuan/month against their switching cost
spread over the planning horizon), and where hostages come from and go to each month
(entries from other quadrants and newcomers; exits by moving, leaving the market or
recovering).

    python experiments/mechanisms/false_loyalty_national.py            # 40,000 rows, seeds 1-3
    python experiments/mechanisms/false_loyalty_national.py --seeds 1  # quicker
    python experiments/mechanisms/false_loyalty_national.py --from-csv # figure and table only

Writes experiments/mechanisms/false_loyalty_monthly.csv (per run, month and carrier),
false_loyalty_profile.csv (hostages against everyone, before MNP and at 2021-12),
false_loyalty_national.png and the figures table of docs/mechanisms.md (between its
`false-loyalty` markers).
"""

from __future__ import annotations

import argparse
import re
from multiprocessing import Pool
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.behaviour import loyalty  # noqa: E402
from sim.behaviour.switching_cost import PARTS  # noqa: E402
from sim.model import MNPModel  # noqa: E402
from sim.month import PHASES, switching_costs_of  # noqa: E402
from sim.params import month_label  # noqa: E402
from sim.scenario.loading import load_scenario  # noqa: E402
from sim.style import KNOWN_COLOURS, QUADRANT_COLOURS  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
DOC = ROOT / "docs/mechanisms.md"
RUNS = {  # name: (scenario, overrides)
    "national": ("scenarios/china_mnp_2019.yaml", []),
    "national, no MNP": ("scenarios/china_mnp_2019.yaml", ["policy.mnp_start=null"]),
    "demo": ("scenarios/false_loyalty_demo.yaml", []),
}
PROFILE_MONTHS = {"national": ("2019-10", "2021-12"), "demo": ("2019-12", "2021-12")}


def leave_chance(values: np.ndarray, current: np.ndarray, cost: np.ndarray,
                 horizon: float, noise: float) -> np.ndarray:
    """Logit chance of choosing another carrier when reviewing (sim/behaviour/choice.py)."""
    u = values - (cost / horizon)[:, None]
    at = np.arange(len(current))
    u[at, current] = values[at, current]
    u = (u - u.max(axis=1, keepdims=True)) / noise
    p = np.exp(u)
    return 1.0 - p[at, current] / p.sum(axis=1)


class Recorder:
    """Classifies every row each month and keeps per-carrier aggregates and a profile."""

    def __init__(self, model: MNPModel, name: str, seed: int):
        """An empty record for `model`'s run `name` with `seed`."""
        self.model, self.name, self.seed = model, name, seed
        self.rows: list[dict] = []
        self.profiles: list[pd.DataFrame] = []
        self.prev_hostage: np.ndarray | None = None

    def before_moves(self, m) -> None:
        """Values, switching costs and review flags of every row, before the moves."""
        subs, n = m.subs, len(m.subs)
        every = np.arange(n)
        self.values, _ = m.values_of(every)
        self.costs = switching_costs_of(m, every)
        self.reviewed = np.zeros(n, bool)
        self.reviewed[m.rows] = True
        self.state = {"carrier": subs.carrier.copy(), "satisfaction": subs.satisfaction.copy(),
                      "segment": subs.segment.copy(), "contract_left": subs.contract_left.copy(),
                      "stars": subs.stars.copy(), "tenure": subs.tenure.copy(),
                      "bundle": subs.has_bundle.copy(), "aware": subs.aware.copy()}

    def after_moves(self, m) -> None:
        """Quadrants, hostage flows and aggregates of the month."""
        beh, st = m.spec.behaviour, self.state
        carrier, n = st["carrier"], len(st["carrier"])
        satisfied = st["satisfaction"] >= beh.satisfied_threshold
        left = m.flows.left
        quad = loyalty.classify(self.values, carrier, satisfied, left)
        hostage = quad == loyalty.HOSTAGE
        at = np.arange(n)
        own = self.values[at, carrier]
        rival = self.values.copy()
        rival[at, carrier] = -np.inf
        gap = rival.max(axis=1) - own   # yuan/month a rival is preferred by, without costs
        horizon, noise = beh.planning_horizon_months, beh.choice_noise
        total = self.costs.total
        p_leave = leave_chance(self.values, carrier, total, horizon, noise)
        p_without = {p: leave_chance(self.values, carrier, total - self.costs.part(p), horizon,
                                     noise) for p in PARTS}
        p_free = leave_chance(self.values, carrier, np.zeros(n, np.float32), horizon, noise)
        # the cost if the row could port: no number loss, the porting hassle instead
        port_cost = (total - self.costs.part("number_loss") - self.costs.hassle
                     + np.broadcast_to(m.port_hassle, n))
        replaced = np.zeros(n, bool)
        replaced[m.flows.replaced] = True
        prev = self.prev_hostage
        label = month_label(m.spec.start, m.month)
        for c, key in [(-1, "market"), *enumerate(m.spec.carrier_keys)]:
            on = np.ones(n, bool) if c < 0 else carrier == c
            h = hostage & on
            k = max(int(h.sum()), 1)
            row = {"run": self.name, "seed": self.seed, "month": label, "carrier": key,
                   "subscribers": int(on.sum()), "hostages": int(h.sum()),
                   "hostage_share": h.sum() / max(on.sum(), 1),
                   "hostages_reviewing": self.reviewed[h].sum() / k,
                   "hostages_near_indifferent": (gap[h] < noise).sum() / k,
                   "hostages_freed_by_porting": (gap[h] > port_cost[h] / horizon).sum() / k,
                   "hostage_gap_p90": np.percentile(gap[h], 90) if h.any() else np.nan,
                   "hostage_p_leave_if_review": p_leave[h].mean() if h.any() else np.nan,
                   "hostage_p_leave_if_free": p_free[h].mean() if h.any() else np.nan,
                   "hostage_gap_median": np.median(gap[h]) if h.any() else np.nan,
                   "hostage_cost_median": np.median(total[h] / horizon) if h.any() else np.nan,
                   "hostages_gap_above_cost": (gap[h] > total[h] / horizon).sum() / k,
                   "hostages_aware": st["aware"][h].sum() / k,
                   "hostages_can_port": self.costs.is_port[h].sum() / k}
            for p in PARTS:
                row[f"hostage_sc_{p}"] = self.costs.part(p)[h].mean() if h.any() else np.nan
                row[f"hostage_p_leave_without_{p}"] = (p_without[p][h].mean() if h.any()
                                                       else np.nan)
            if prev is not None:
                was = prev & on  # hostages of this carrier last month (carrier then = now)
                row["entries"] = int((h & ~prev).sum())
                row["entries_new_customers"] = int((h & ~prev & self.recent).sum())
                row["exits_moved"] = int((was & left).sum())
                row["hostages_moving"] = (was & left).sum() / max(int(was.sum()), 1)
                row["exits_left_market"] = int((was & replaced).sum())
                row["exits_recovered"] = int((was & ~h & ~left & ~replaced).sum())
            self.rows.append(row)
        if label in PROFILE_MONTHS.get(self.name, ()):
            self.profiles.append(self.profile(label, hostage, gap, total / horizon))
        # next month's comparison: hostage flag on the same row and carrier
        self.prev_hostage = hostage & ~left & ~replaced

    def profile(self, label: str, hostage: np.ndarray, gap: np.ndarray,
                cost: np.ndarray) -> pd.DataFrame:
        """Hostages against everyone (market and China Mobile): segment and holds."""
        st, names = self.state, self.model.segments.names
        frame = pd.DataFrame({
            "carrier": np.array(self.model.carrier_keys)[st["carrier"]],
            "segment": np.array(names)[st["segment"]], "hostage": hostage,
            "on_contract": st["contract_left"] > 0, "contract_months_left": st["contract_left"],
            "stars": st["stars"], "tenure_years": st["tenure"] / 12, "bundle": st["bundle"],
            "aware": st["aware"], "can_port": self.costs.is_port,
            "gap_yuan_month": gap, "cost_yuan_month": cost,
            **{f"sc_{p}": self.costs.part(p) for p in PARTS}})
        out = []
        for who, sub in [("market", frame), ("mobile", frame[frame.carrier == "mobile"])]:
            for group, g in [("everyone", sub), ("hostages", sub[sub.hostage])]:
                rec = {"run": self.name, "seed": self.seed, "month": label, "carrier": who,
                       "group": group, "count": len(g)}
                rec.update({f"segment_{s}": (g.segment == s).mean() for s in names})
                rec.update(g.drop(columns=["carrier", "segment", "hostage"]).mean().to_dict())
                out.append(rec)
        return pd.DataFrame(out)


def simulate(args: tuple) -> tuple[list[dict], list[pd.DataFrame]]:
    """One run with every row classified every month."""
    name, size, months, seed = args
    path, sets = RUNS[name]
    extra = [f"population.size={size}"] + ([f"months={months}"] if name != "demo" else [])
    model = MNPModel(load_scenario(ROOT / path, extra + sets), rng=seed)
    rec = Recorder(model, name, seed)
    for month in range(model.spec.months):
        m = model._context(month)
        model.month_label = month_label(model.spec.start, month)
        rec.recent = model.subs.tenure <= 1  # joined or moved last month
        for phase_name, phase in PHASES:
            if phase_name == "move":
                rec.before_moves(m)
            phase(model, m)
        rec.after_moves(m)
        model.month += 1
    return rec.rows, rec.profiles


def _months(a) -> None:
    a.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    a.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    a.tick_params(axis="x", labelrotation=30, labelsize=8)


def plot(monthly: pd.DataFrame, path: Path) -> None:
    """Four panels: hostage shares; reviews and leaving chance; flows; what holds them."""
    seeds = ", ".join(str(s) for s in sorted(monthly["seed"].unique()))
    mean = monthly.groupby(["run", "carrier", "month"], sort=False).mean(numeric_only=True)
    fig, ax = plt.subplots(2, 2, figsize=(13, 9))
    styles = {"national": "-", "national, no MNP": ":", "demo": "--"}
    a = ax[0, 0]
    for run, style in styles.items():
        for key in ("market", "mobile"):
            s = mean.loc[(run, key)]["hostage_share"]
            a.plot(pd.PeriodIndex(s.index, freq="M").to_timestamp(), 100 * s, style,
                   color=KNOWN_COLOURS[key], label=f"{run}: {'China Mobile' if key == 'mobile'
                                                          else 'whole market'}")
    a.set(title="Hostage (false-loyal) share of subscribers", ylabel="% of subscribers")
    a.legend(fontsize=7)
    a = ax[0, 1]
    for run, style in (("national", "-"), ("demo", "--")):
        s = mean.loc[(run, "mobile")]
        t = pd.PeriodIndex(s.index, freq="M").to_timestamp()
        a.plot(t, 100 * s["hostages_reviewing"], style, color="#999999",
               label=f"{run}: hostages reviewing")
        a.plot(t, 100 * s["hostage_p_leave_if_review"], style, color="#E69F00",
               label=f"{run}: chance to leave if reviewing")
        a.plot(t, 100 * s["hostages_moving"], style, color="#000000",
               label=f"{run}: hostages leaving (moved)")
    a.set(title="China Mobile's hostages each month: who reviews, who leaves",
          ylabel="% of China Mobile's hostages per month")
    a.legend(fontsize=7)
    a = ax[1, 0]
    s = mean.loc[("national", "mobile")].iloc[1:]
    t = pd.PeriodIndex(s.index, freq="M").to_timestamp()
    scale = 1 / s["subscribers"] * 1000
    a.bar(t, s["entries"] * scale, width=25, color=QUADRANT_COLOURS["hostage"],
          label="new hostages")
    bottom = np.zeros(len(s))
    for col, colour, lab in (("exits_moved", QUADRANT_COLOURS["defector"], "left by moving"),
                             ("exits_recovered", QUADRANT_COLOURS["loyalist"],
                              "no longer hostage (satisfied or prefer own)"),
                             ("exits_left_market", "#999999", "left the market")):
        v = -s[col].to_numpy() * scale.to_numpy()
        a.bar(t, v, width=25, bottom=bottom, color=colour, label=lab)
        bottom += v
    a.axhline(0, color="black", lw=0.5)
    a.set(title="National: China Mobile's hostages in and out each month",
          ylabel="per 1,000 China Mobile subscribers per month")
    a.legend(fontsize=7)
    a = ax[1, 1]
    cols = [f"hostage_p_leave_without_{p}" for p in PARTS] + ["hostage_p_leave_if_free"]
    labels = [f"without {p.replace('_', ' ')}" for p in PARTS] + ["no switching cost"]
    x = np.arange(len(cols) + 1)
    for i, (run, month) in enumerate((("national", "2021-12"), ("demo", "2021-12"))):
        r = mean.loc[(run, "mobile", month)]
        vals = [r["hostage_p_leave_if_review"]] + [r[c] for c in cols]
        a.bar(x + 0.4 * i - 0.2, 100 * np.array(vals), width=0.4,
              color=[KNOWN_COLOURS["mobile"], "#56B4E9"][i], label=f"{run}, {month}")
    a.set_xticks(x, ["as is"] + labels, rotation=30, ha="right", fontsize=8)
    a.set(title="China Mobile's hostages: chance to leave when reviewing,\n"
                "with all switching costs ('as is') and with one part removed",
          ylabel="% chance to choose a rival (logit)")
    a.legend(fontsize=7)
    for a in (ax[0, 0], ax[0, 1], ax[1, 0]):
        _months(a)
    fig.suptitle("False loyalty in the national scenario (40,000 rows) against the teaching "
                 f"demo (20,000 rows), 2019-01 to 2021-12; mean of seeds {seeds}")
    fig.tight_layout()
    fig.savefig(path, dpi=90)


#: (column, label, format) of the generated table in docs/mechanisms.md
TABLE = (("hostage_share", "hostage share of subscribers", "{:.1%}"),
         ("hostages_reviewing", "hostages who review this month", "{:.1%}"),
         ("hostage_p_leave_if_review", "chance a reviewing hostage leaves (logit)", "{:.1%}"),
         ("hostages_moving", "last month's hostages who moved this month", "{:.2%}"),
         ("hostage_gap_median", "median preference for the best rival, yuan/month", "{:.1f}"),
         ("hostages_near_indifferent", "hostages preferring a rival by < 5 yuan/month "
          "(the taste-noise scale)", "{:.0%}"),
         ("hostage_cost_median", "median switching cost / 24 months, yuan/month", "{:.1f}"),
         ("hostages_freed_by_porting", "hostages whose preference exceeds the cost of "
          "porting", "{:.1%}"),
         ("hostages_aware", "hostages aware of MNP", "{:.0%}"),
         ("hostages_can_port", "hostages for whom a move would be a port", "{:.0%}"),
         ("hostage_sc_number_loss", "hostages' mean number-loss cost, yuan", "{:.0f}"),
         ("hostage_sc_hassle", "hostages' mean hassle, yuan", "{:.0f}"),
         ("hostage_sc_bundle", "hostages' mean bundle cost, yuan", "{:.0f}"),
         ("hostage_sc_loyalty", "hostages' mean star benefits, yuan", "{:.0f}"),
         ("hostage_sc_contract", "hostages' mean contract penalty, yuan", "{:.0f}"),
         ("entries", "new hostages a month, per 1,000 subscribers", "per1000"),
         ("exits_recovered", "hostages a month who stop being hostages without moving, per "
          "1,000", "per1000"),
         ("exits_moved", "hostages a month who move, per 1,000", "per1000"))


def doc_table(monthly: pd.DataFrame, seeds: list[int]) -> str:
    """The generated figures of docs/mechanisms.md's false-loyalty section."""
    mean = monthly.groupby(["run", "carrier", "month"], sort=False).mean(numeric_only=True)
    cols = [("national", "market", "2019-10"), ("national", "market", "2021-12"),
            ("national, no MNP", "market", "2021-12"), ("national", "mobile", "2019-10"),
            ("national", "mobile", "2021-12"), ("demo", "mobile", "2019-12"),
            ("demo", "mobile", "2021-12")]
    head = " | ".join(f"{r}, {'China Mobile' if c == 'mobile' else 'market'}, {m}"
                      for r, c, m in cols)
    lines = [f"Mean of seeds {', '.join(map(str, seeds))} (national: 40,000 rows; demo: "
             "20,000 rows); generated by `python experiments/mechanisms/false_loyalty_national.py`"
             " (numbers in `experiments/mechanisms/false_loyalty_monthly.csv` and "
             "`false_loyalty_profile.csv`).", "", f"| | {head} |",
             "|---" * (len(cols) + 1) + "|"]
    for col, label, fmt in TABLE:
        cells = []
        for r, c, m in cols:
            v = mean.loc[(r, c, m)]
            x = v[col] / v["subscribers"] * 1000 if fmt == "per1000" else v[col]
            cells.append(f"{x:.1f}" if fmt == "per1000" else fmt.format(x))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_doc(text: str) -> None:
    """Replace the text between the false-loyalty markers of docs/mechanisms.md."""
    doc = DOC.read_text()
    DOC.write_text(re.sub(r"<!-- false-loyalty:start -->.*<!-- false-loyalty:end -->",
                          lambda _: f"<!-- false-loyalty:start -->\n{text}\n"
                                    "<!-- false-loyalty:end -->", doc, flags=re.S))


def main() -> None:
    """Run, classify, write the CSVs and the figure, print the headline numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=40_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--from-csv", action="store_true",
                        help="redraw the figure and the doc table from the CSV, no runs")
    args = parser.parse_args()
    if args.from_csv:
        monthly = pd.read_csv(HERE / "false_loyalty_monthly.csv", dtype={"month": str})
        plot(monthly, HERE / "false_loyalty_national.png")
        write_doc(doc_table(monthly, sorted(monthly["seed"].unique())))
        return
    jobs = [(name, args.size if name != "demo" else 20_000, args.months, s)
            for name in RUNS for s in args.seeds]
    with Pool(args.processes) as pool:
        results = pool.map(simulate, jobs)
    monthly = pd.DataFrame([r for rows, _ in results for r in rows])
    profile = pd.concat([p for _, ps in results for p in ps])
    monthly.to_csv(HERE / "false_loyalty_monthly.csv", index=False, float_format="%.5g")
    prof = profile.groupby(["run", "month", "carrier", "group"], sort=False).mean(
        numeric_only=True).drop(columns="seed")
    prof.to_csv(HERE / "false_loyalty_profile.csv", float_format="%.4g")
    plot(monthly, HERE / "false_loyalty_national.png")
    write_doc(doc_table(monthly, args.seeds))
    mean = monthly.groupby(["run", "carrier", "month"], sort=False).mean(numeric_only=True)
    pd.set_option("display.width", 200)
    for run in RUNS:
        for key in ("market", "mobile"):
            s = mean.loc[(run, key)]
            pick = s.loc[[m for m in ("2019-10", "2019-12", "2020-06", "2021-06", "2021-12")
                          if m in s.index]]
            print(f"\n{run} / {key}")
            print(pick.drop(columns=["seed"]).T.round(3).to_string())
    print(prof.T.round(3).to_string())


if __name__ == "__main__":
    main()
