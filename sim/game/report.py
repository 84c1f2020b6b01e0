"""What `mnp game --out DIR` writes.

Payoff and best-response tables, equilibria, heat maps, the best-response path, and
report.html with a plain-language reading.
"""

from __future__ import annotations

import html
import itertools
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.axes import colourbar_axis, readable_axis
from sim.game.play import Played  # noqa: E402
from sim.game.profiles import Game  # noqa: E402
from sim.game.solve import (  # noqa: E402
    Dynamics,
    Equilibrium,
    PayoffTable,
    best_responses,
)
from sim.outputs import atomic_write, write_csv, write_json, write_text  # noqa: E402
from sim.pages import embed_image, page  # noqa: E402
from sim.style import carrier_colour, carrier_label  # noqa: E402


def payoff_frame(table: PayoffTable) -> pd.DataFrame:
    """One row per simulated profile and carrier: mean payoff and its 95% CI."""
    rows = []
    for profile in sorted(table.values):
        names = table.game.names(profile)
        for c, carrier in enumerate(table.game.carriers):
            mean, low, high = table.interval(profile, c)
            rows.append({**dict(zip(table.game.carriers, names, strict=True)), "carrier": carrier,
                         "payoff": mean, "ci_low": low, "ci_high": high})
    return pd.DataFrame(rows)


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=110, format="png"))
    plt.close(fig)


def plot_heatmaps(table: PayoffTable, path: Path) -> None:
    """For each carrier with a choice: its payoff over (own strategy x one rival's strategy).

    One panel per strategy of the other rival.
    """
    game = table.game
    keys, n = game.carriers, len(game.carriers)
    players = [c for c in range(n) if game.shape[c] > 1]
    panels = [1 if _others(c, n)[1] is None else game.shape[_others(c, n)[1]] for c in players]
    fig, axes = plt.subplots(len(players), max(panels),
                             figsize=(5.0 * max(game.shape), 3.4 * len(players)), squeeze=False)
    for ax in axes.flat:
        ax.set_visible(False)
    for row, c in enumerate(players):
        j, k = _others(c, n)
        for col in range(1 if k is None else game.shape[k]):
            ax = axes[row, col]
            ax.set_visible(True)
            grid = np.full((game.shape[c], game.shape[j]), np.nan)
            for s, t in itertools.product(range(game.shape[c]), range(game.shape[j])):
                profile = _profile(n, c, s, j, t, k, col)
                if table.has(profile):
                    grid[s, t] = table.mean(profile, c)
            image = ax.imshow(grid, cmap="viridis", aspect="auto")
            for s, t in itertools.product(range(grid.shape[0]), range(grid.shape[1])):
                if grid[s, t] == grid[s, t]:
                    best = best_responses(table, c, _profile(n, c, s, j, t, k, col))
                    mark = " *" if best is not None and s in best else ""
                    ax.text(t, s, f"{_fmt(grid[s, t])}{mark}", ha="center", va="center",
                            color="white", fontsize=8)
            ax.set_xticks(range(game.shape[j]), game.strategies[keys[j]], rotation=20,
                          fontsize=7)
            ax.set_yticks(range(game.shape[c]), game.strategies[keys[c]], fontsize=7)
            ax.set_xlabel(f"{carrier_label(keys[j])} plays", fontsize=8)
            ax.set_ylabel(f"{carrier_label(keys[c])} plays", fontsize=8)
            fixed = "" if k is None else (f"; {carrier_label(keys[k])}: "
                                          f"{game.strategies[keys[k]][col]}")
            rest = " (other carriers at their status quo)" if n > 3 else ""
            ax.set_title(f"{carrier_label(keys[c])}'s payoff{fixed}{rest}", fontsize=8)
            colourbar_axis(fig.colorbar(image, ax=ax), "number", f"payoff ({table.payoff.unit})")
    fig.suptitle(f"Payoff ({table.payoff.name}, {table.payoff.unit}) by strategy pair; "
                 "* marks the best response")
    _save(fig, path)


def _with_strategy(profile: tuple, carrier: int, strategy: int) -> tuple:
    out = list(profile)
    out[carrier] = strategy
    return tuple(out)


def _fmt(value: float) -> str:
    """Enough digits to tell close payoffs apart."""
    return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3g}"


def _others(c: int, n: int) -> tuple[int, int | None]:
    """The two rivals a carrier's heat map shows (the second is None in a duopoly)."""
    rivals = [i for i in range(n) if i != c]
    return rivals[0], (rivals[1] if len(rivals) > 1 else None)


def _profile(n: int, c: int, s: int, j: int, t: int, k: int | None, u: int) -> tuple[int, ...]:
    """Profile: carrier c plays s, j plays t, k plays u; every other carrier its status quo."""
    out = [0] * n
    out[c], out[j] = s, t
    if k is not None:
        out[k] = u
    return tuple(out)


def plot_dynamics(table: PayoffTable, dynamics: Dynamics, path: Path) -> None:
    """Each carrier's payoff along the best-response path, as its change from the status quo.

    Changes, because levels differ by carrier size and would hide the moves; profiles named.
    """
    fig, ax = plt.subplots(figsize=(max(6.0, 1.8 * len(dynamics.path) + 3), 4))
    steps = range(len(dynamics.path))
    start = dynamics.path[0][0]
    for c, carrier in enumerate(table.game.carriers):  # change from the status quo
        ax.plot(steps, [table.mean(p, c) - table.mean(start, c) for p, _ in dynamics.path],
                marker="o", color=carrier_colour(carrier), label=carrier_label(carrier))
    ax.axhline(0, color="black", lw=0.6)
    labels = ["start\n" + "\n".join(table.game.names(dynamics.path[0][0]))] + [
        f"{carrier_label(mover)} moves\n" + "\n".join(table.game.names(p))
        for p, mover in dynamics.path[1:]]
    ax.set_xticks(list(steps), labels, fontsize=7)
    readable_axis(ax, "y", "number", f"payoff change from the status quo ({table.payoff.unit})",
                  signed=True)
    ax.set(xlabel="move (profile: " + ", ".join(table.game.carriers) + ")",
           title=f"Best-response dynamics from the status quo: ends in {dynamics.ending}")
    ax.legend(fontsize=8)
    _save(fig, path)


def reading(played: Played, table: PayoffTable, equilibria: list[Equilibrium],
            dynamics: Dynamics, mixed: dict | None) -> list[str]:
    """Plain-language sentences a strategist can quote."""
    game = table.game
    out = _equilibria_sentences(game, equilibria)
    out += _best_response_sentences(table)
    out.append(_dynamics_sentence(game, dynamics))
    if mixed is not None:
        out.append(_mixed_sentence(mixed))
    return out


def _equilibria_sentences(game: Game, equilibria: list[Equilibrium]) -> list[str]:
    """What the pure-strategy equilibria are, and which of them are robust."""
    label = game.label
    out = []
    if equilibria:
        robust = [e for e in equilibria if e.robust]
        if len(equilibria) == 1:
            e = equilibria[0]
            out.append(f"The profile {label(e.profile)} is the only pure-strategy equilibrium, "
                       f"and it is {'robust' if e.robust else 'fragile'}"
                       + ("" if e.robust else " (some deviation may pay within the noise)") + ".")
        else:
            out.append(f"There are {len(equilibria)} pure-strategy equilibria: "
                       + "; ".join(f"{label(e.profile)} ({'robust' if e.robust else 'fragile'})"
                                   for e in equilibria)
                       + (f". Only {label(robust[0].profile)} is robust." if len(robust) == 1
                          else "."))
    else:
        out.append("No profile is a pure-strategy equilibrium: some carrier always gains by "
                   "changing strategy.")
    return out


def _best_response_sentences(table: PayoffTable) -> list[str]:
    """Each carrier's best response to the status quo, and what changes or keeps it.

    When one rival's move changes it, and whether it is weakly dominant.
    """
    game, out = table.game, []
    start = game.status_quo
    for c, carrier in enumerate(game.carriers):
        if game.shape[c] < 2:
            continue
        best = best_responses(table, c, start)
        if best is None:
            continue
        choice = game.strategies[carrier][best[0]]
        rivals = ", ".join(f"{carrier_label(k)} {game.strategies[k][start[i]]}"
                           for i, k in enumerate(game.carriers) if i != c)
        out.append(f"If the rivals keep the status quo ({rivals}), {carrier_label(carrier)}'s "
                   f"best response is {choice}.")
        for j, rival in enumerate(game.carriers):  # one rival moves: does c's answer change?
            for t in range(1, game.shape[j]) if j != c else ():
                other = _with_strategy(start, j, t)
                answer = best_responses(table, c, other)
                if answer is not None and best[0] not in answer:
                    out.append(f"If {carrier_label(rival)} plays {game.strategies[rival][t]} "
                               f"(the other rival at its status quo), {carrier_label(carrier)}'s "
                               f"best response changes to {game.strategies[carrier][answer[0]]}.")
        everywhere = [best_responses(table, c, p) for p in table.values]
        if all(b is not None and best[0] in b for b in everywhere) and len(everywhere):
            out.append(f"For {carrier_label(carrier)}, {choice} is a best response whatever the "
                       "rivals do (weakly dominant).")
    return out


def _dynamics_sentence(game: Game, dynamics: Dynamics) -> str:
    """Where best responses from the status quo lead, and in how many moves."""
    moves = len(dynamics.path) - 1
    end = game.label(dynamics.path[-1][0])
    how = {"equilibrium": "an equilibrium", "cycle": "where best responses start to cycle",
           "left the sample": "where the simulated profiles run out"}[dynamics.ending]
    if moves == 0:
        return f"Starting from everyone's status quo, nobody gains by moving: {end} is {how}."
    return (f"Starting from everyone's status quo, best responses lead in {moves} "
            f"move(s) to {end}, {how}.")


def _mixed_sentence(mixed: dict) -> str:
    """Gambit's logit-tracing equilibrium: a pure profile, or each carrier's mix."""
    support = {k: {n: p for n, p in probs.items() if p >= 0.005}
               for k, probs in mixed.items()}
    if all(len(v) == 1 for v in support.values()):
        pure = "(" + ", ".join(next(iter(v)) for v in support.values()) + ")"
        return (f"Gambit's logit-tracing equilibrium (on mean payoffs) is the pure "
                f"profile {pure}: no mixing is needed.")
    return ("A mixed-strategy equilibrium (Gambit's logit tracing, on mean payoffs): "
            + "; ".join(f"{carrier_label(k)} " + ", ".join(
                f"{n} {100 * p:.0f}%" for n, p in v.items())
                for k, v in support.items() if len(mixed[k]) > 1) + ".")


def save_game(played: Played, table: PayoffTable, equilibria: list[Equilibrium],
              dynamics: Dynamics, mixed: dict | None, responses: pd.DataFrame,
              out: Path) -> list[Path]:
    """Write the tables, plots and report.html into `out` (the game's store)."""
    out = Path(out)
    payoffs = payoff_frame(table)
    write_csv(out / "payoffs.csv", payoffs)
    write_csv(out / "best_responses.csv", responses)
    game = table.game
    summary = {
        "payoff": table.payoff.name, "unit": table.payoff.unit,
        "strategies": {k: list(v) for k, v in game.strategies.items()},
        "profiles_simulated": len(table.values), "profiles_total": game.size,
        "sampling": played.method, "replicates": played.replicates,
        "months": played.scenario.months, "wall_seconds": round(played.wall_seconds, 2),
        "workers": played.workers,
        "pure_equilibria": [{"profile": dict(zip(game.carriers, game.names(e.profile),
                                                 strict=True)),
                             "robust": e.robust, "deviations": e.deviations}
                            for e in equilibria],
        "best_response_dynamics": {"path": [list(game.names(p)) for p, _ in dynamics.path],
                                   "movers": [m for _, m in dynamics.path],
                                   "ending": dynamics.ending},
        "mixed_equilibrium": mixed,
    }
    write_json(out / "game.json", summary)
    plot_heatmaps(table, out / "payoff_heatmaps.png")
    plot_dynamics(table, dynamics, out / "best_response_path.png")
    sentences = reading(played, table, equilibria, dynamics, mixed)
    write_text(out / "report.html", _html(played, table, responses, equilibria, sentences,
                                          out))
    return [out / n for n in ("payoffs.csv", "best_responses.csv", "game.json",
                              "payoff_heatmaps.png", "best_response_path.png", "report.html")]


def _html(played: Played, table: PayoffTable, responses: pd.DataFrame,
          equilibria: list[Equilibrium], sentences: list[str], out: Path) -> str:
    game = table.game
    eq = {e.profile: e for e in equilibria}
    rows = []
    for profile in sorted(table.values):
        tag = ("robust equilibrium" if eq[profile].robust else "fragile equilibrium") \
            if profile in eq else ""
        cells = "".join(f"<td>{mean:.4g} ± {high - mean:.2g}</td>" for mean, _, high in
                        (table.interval(profile, c) for c in range(len(game.carriers))))
        rows.append("<tr>" + "".join(f"<td>{html.escape(n)}</td>" for n in game.names(profile))
                    + cells + f"<td>{tag}</td></tr>")
    head = "".join(f"<th>{carrier_label(k)} plays</th>" for k in game.carriers) + "".join(
        f"<th>{carrier_label(k)} payoff</th>" for k in game.carriers) + "<th></th>"
    best = "".join(f"<tr><td>{carrier_label(r.carrier)}</td><td>{html.escape(r.rivals)}</td>"
                   f"<td>{html.escape(r.best_response)}</td><td>{r.payoff:.4g}</td></tr>"
                   for r in responses.itertuples())
    body = f"""<h1>Strategy game: {html.escape(played.scenario.name)}</h1>
<h2>Reading</h2><ul>{''.join(f'<li>{html.escape(s)}</li>' for s in sentences)}</ul>
<p>Payoff: <b>{html.escape(table.payoff.name)}</b> over the {played.scenario.months} simulated
months, in {html.escape(table.payoff.unit)}; mean over {played.replicates} replicates with
common random numbers, ± the half-width of its 95% CI. Simulated: {html.escape(played.method)}.
An equilibrium is robust when no unilateral deviation's paired gain has a 95% CI reaching above
zero.</p>
<h2>Payoff table</h2><table><tr>{head}</tr>{''.join(rows)}</table>
<h2>Best responses</h2><table><tr><th>carrier</th><th>rivals play</th><th>best response</th>
<th>payoff</th></tr>{best}</table>
<h2>Figures</h2>{embed_image(out / 'payoff_heatmaps.png', 'Payoff heat maps')}
{embed_image(out / 'best_response_path.png', 'Best-response path')}
<p>{played.wall_seconds:.1f} s on {played.workers} worker(s).</p>"""
    return page(f"{played.scenario.name}: strategy game", body)
