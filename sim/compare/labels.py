"""The comparison report's words in English (the default) and Chinese (`--lang zh`).

One catalogue per language: headings, table columns, axis labels, the reading's
sentences and the levers' names. Carrier names come from the scenario's labels in
English and from `KNOWN_CARRIER_NAMES_ZH` in Chinese (falling back to the scenario's
label). Plots in Chinese need a CJK font: `cjk_font()` finds an installed one
(Noto Sans CJK, Source Han Sans, WenQuanYi...), which `make fonts` installs.
"""

from __future__ import annotations


from sim import i18n
from sim.params import KNOWN_CARRIER_NAMES_ZH

LANGUAGES = ("en", "zh")

EN: dict[str, str] = {
    "title": "{scenario}: strategies for {carrier}",
    "page_title": "{scenario}: strategy comparison",
    "summary_title": "{scenario}: strategies for {carrier} (summary)",
    "h_reading": "Reading",
    "h_coverage": "Months covered",
    "h_intervals": "What the intervals mean",
    "h_strategies": "The strategies, action by action",
    "h_headline": "Headline figures",
    "h_decomposition": "What each lever contributes",
    "h_figures": "Figures",
    "h_rivals": "Rivals' actions (the same under every strategy)",
    "covers": "covers {first} to {last} ({months} months, {mnp} of them with MNP open)",
    "covers_never": "covers {first} to {last} ({months} months; MNP never opens)",
    "intervals": ("The intervals show simulation noise only: how much the outcome varies "
                  "between replicates run with the same inputs (differences are paired by "
                  "replicate, with a {conf}% t-interval; ranges are {lo}–{hi}% of the "
                  "replicates). They do not include uncertainty in the model's parameters "
                  "(behaviour, calibration, market data), which a later version will add."),
    "setup": ("{replicates} replicates per strategy, {crn}; {rows:,} simulated subscribers "
              "standing for {represents:,.0f}; {seconds} s on {jobs} process(es); "
              "mnp-sim {version}."),
    "crn": "common random numbers (replicate r uses the same seed under every strategy)",
    "independent": "independent seeds per strategy",
    "cost_note": ("Cost is what the levers book; a price cut or discount is lost revenue, "
                  "so see Δ profit. Cost per port-out avoided charges the whole extra cost "
                  "to the port-outs avoided; cost per extra net port to the net gain."),
    "baseline_is": "the baseline",
    "same_as_baseline": "identical to the baseline",
    "adds": "adds",
    "drops": "drops",
    "no_actions": "no actions (status quo)",
    "none": "none",
    "any": "any",
    "yes": "yes",
    "no": "no",
    "from_to": "{start} to {end}",
    "from_on": "from {start} to the end of the run",
    "magnitudes": "magnitudes",
    "targeting": "targeting",
    "cost_rule": "cost rule",
    "no_cost": "no booked cost (lost revenue only)",
    "one_off": "{v} once at the start",
    "per_month": "{v} per month",
    "per_subscriber_month": "{v} per subscriber-month",
    "per_port_in": "{v} per port-in",
    # table columns
    "c_strategy": "strategy", "c_rank": "rank", "c_net": "net porting (M, mean)",
    "c_range": "{lo}–{hi}% (M)", "c_diff": "vs baseline (M)", "c_ci": "{conf}% CI (M)",
    "c_won": "port-ins won (M)", "c_avoided": "port-outs avoided (M)",
    "c_cost": "cost", "c_dcost": "Δ cost", "c_dprofit": "Δ profit",
    "c_per_net": "cost per extra net port", "c_per_avoided": "cost per port-out avoided",
    "c_per_won": "cost per port-in won", "c_forgone": "profit forgone per extra port",
    "c_subs": "subscribers at horizon (M)", "c_change": "change", "c_lever": "lever",
    "c_when": "months", "c_details": "magnitudes, targeting and cost rule",
    "c_action": "action",
    # decomposition
    "decomp_intro": ("Shapley values over {strategy}'s changes from the baseline ({method}); "
                     "every coalition of changes was run on the same {replicates} replicate "
                     "seeds, so each contribution is a paired difference. The contributions "
                     "add up to the strategy's gain."),
    "exact": "exact, {coalitions} coalitions",
    "sampled": "estimated from {samples} random orders, {coalitions} coalitions",
    "total": "total (the strategy's gain)",
    "no_changes": "{strategy} is identical to the baseline: nothing to decompose.",
    # plots
    "p_bands": "Cumulative net porting by strategy",
    "p_diffs": "Paired difference to the baseline",
    "p_cost": "Cost against net-porting gain",
    "p_decomp": "What each lever contributes",
    "month": "month",
    "y_cum": "cumulative net porting (millions)",
    "t_bands": "{carrier}: cumulative net porting by strategy (mean, {lo}–{hi}% band over "
               "{replicates} replicates)",
    "x_diff": "extra cumulative net porting vs {baseline} (millions)",
    "t_diff": "{carrier}: paired difference to {baseline} ({conf}% CI)",
    "y_cost": "extra lever cost vs {baseline} ({unit})",
    "t_cost": "{carrier}: what each strategy costs and gains",
    "x_decomp": "contribution to extra net porting (millions)",
    "t_decomp": "{carrier}: {strategy}, contribution of each change ({conf}% CI)",
    "mnp_opens": "MNP opens",
    "billion_yuan": "billion yuan", "million_yuan": "million yuan",
    # reading
    "r_intro": ("For {carrier}, over {months} months ({first} to {last}), {replicates} "
                "replicates per strategy, compared with {baseline}:"),
    "r_ci": "95% CI {low} to {high}",
    "r_none": "{s} makes no clear difference to net porting ({diff}, {ci})",
    "r_gain": "{s} gains {diff} net ports ({ci}; {won} port-ins won, {avoided} port-outs avoided)",
    "r_cost_net": " at {v} of lever cost per extra net port",
    "r_cost_avoided": " ({v} per port-out avoided)",
    "r_forgone": " ({v} of profit forgone per extra port)",
    "r_loss": "{s} loses {diff} net ports ({ci})",
    "r_profit": "; profit {sign}{v} over the period.",
    "r_rank": "Ranked by net porting: {order}.",
    "r_decomp": "Of {s}'s gain, {parts}.",
    "r_part": "{change} contributes {v}",
    # money and counts
    "bn": "{v:,.2f} bn yuan", "m_yuan": "{v:,.1f} M yuan", "yuan": "{v:,.0f} yuan",
    "yuan_small": "{v} yuan",
    "range": "{low} to {high}",
    "millions": "{v} M",
}

ZH: dict[str, str] = {
    "title": "{scenario}：{carrier}的策略比较",
    "page_title": "{scenario}：策略比较",
    "summary_title": "{scenario}：{carrier}的策略比较（摘要）",
    "h_reading": "解读",
    "h_coverage": "覆盖月份",
    "h_intervals": "区间的含义",
    "h_strategies": "各策略的具体动作",
    "h_headline": "主要指标",
    "h_decomposition": "各杠杆的贡献",
    "h_figures": "图表",
    "h_rivals": "竞争对手的动作（各策略下相同）",
    "covers": "覆盖 {first} 至 {last}（共 {months} 个月，其中 {mnp} 个月携号转网已开放）",
    "covers_never": "覆盖 {first} 至 {last}（共 {months} 个月；携号转网未开放）",
    "intervals": ("区间只反映模拟噪声：相同输入下各次重复运行之间结果的波动（与基准的差值按"
                  "重复配对，取 {conf}% t 区间；范围为各次重复的 {lo}–{hi}% 分位）。区间不包含"
                  "模型参数（行为、校准、市场数据）的不确定性，后续版本将加入。"),
    "setup": ("每个策略 {replicates} 次重复，{crn}；{rows:,} 个模拟用户代表 {represents:,.0f} "
              "名真实用户；{jobs} 个进程用时 {seconds} 秒；mnp-sim {version}。"),
    "crn": "公共随机数（第 r 次重复在各策略下使用相同种子）",
    "independent": "各策略使用独立种子",
    "cost_note": ("成本为各杠杆记账的费用；降价或折扣计为收入减少，请看利润变化。"
                  "每避免一个携出的成本把全部新增成本计入避免的携出；每净增携入的成本计入净增量。"),
    "baseline_is": "基准",
    "same_as_baseline": "与基准相同",
    "adds": "增加",
    "drops": "去掉",
    "no_actions": "无动作（维持现状）",
    "none": "无",
    "any": "不限",
    "yes": "是",
    "no": "否",
    "from_to": "{start} 至 {end}",
    "from_on": "自 {start} 起至模拟结束",
    "magnitudes": "力度",
    "targeting": "目标",
    "cost_rule": "成本规则",
    "no_cost": "无记账成本（仅收入减少）",
    "one_off": "开始时一次性 {v}",
    "per_month": "每月 {v}",
    "per_subscriber_month": "每用户每月 {v}",
    "per_port_in": "每携入 {v}",
    "c_strategy": "策略", "c_rank": "排名", "c_net": "净携入（百万，均值）",
    "c_range": "{lo}–{hi}%（百万）", "c_diff": "相对基准（百万）",
    "c_ci": "{conf}% 置信区间（百万）",
    "c_won": "多携入（百万）", "c_avoided": "少携出（百万）",
    "c_cost": "成本", "c_dcost": "成本变化", "c_dprofit": "利润变化",
    "c_per_net": "每净增携入成本", "c_per_avoided": "每避免一个携出的成本",
    "c_per_won": "每多携入一个的成本", "c_forgone": "每净增携入放弃的利润",
    "c_subs": "期末用户数（百万）", "c_change": "变化", "c_lever": "杠杆",
    "c_when": "月份", "c_details": "力度、目标和成本规则",
    "c_action": "动作",
    "decomp_intro": ("对 {strategy} 相对基准的各项变化计算 Shapley 值（{method}）；每个变化组合都在"
                     "相同的 {replicates} 个重复种子上运行，因此每项贡献都是配对差值。各项贡献之和"
                     "等于该策略的总增益。"),
    "exact": "精确计算，{coalitions} 个组合",
    "sampled": "由 {samples} 个随机顺序估计，{coalitions} 个组合",
    "total": "合计（策略的总增益）",
    "no_changes": "{strategy} 与基准相同，无需分解。",
    "p_bands": "各策略的累计净携入",
    "p_diffs": "与基准的配对差值",
    "p_cost": "成本与净携入增益",
    "p_decomp": "各杠杆的贡献",
    "month": "月份",
    "y_cum": "累计净携入（百万）",
    "t_bands": "{carrier}：各策略的累计净携入（均值，{replicates} 次重复的 {lo}–{hi}% 区间）",
    "x_diff": "相对 {baseline} 的累计净携入增量（百万）",
    "t_diff": "{carrier}：与 {baseline} 的配对差值（{conf}% 置信区间）",
    "y_cost": "相对 {baseline} 的杠杆成本增量（{unit}）",
    "t_cost": "{carrier}：各策略的成本与收益",
    "x_decomp": "对净携入增量的贡献（百万）",
    "t_decomp": "{carrier}：{strategy} 各项变化的贡献（{conf}% 置信区间）",
    "mnp_opens": "携号转网开放",
    "billion_yuan": "十亿元", "million_yuan": "百万元",
    "r_intro": ("{carrier}在 {months} 个月内（{first} 至 {last}），每个策略 {replicates} 次重复，"
                "与 {baseline} 相比："),
    "r_ci": "95% 置信区间 {low} 至 {high}",
    "r_none": "{s} 对净携入没有明显影响（{diff}，{ci}）",
    "r_gain": "{s} 净携入增加 {diff}（{ci}；多携入 {won}，少携出 {avoided}）",
    "r_cost_net": "，每净增携入的杠杆成本 {v}",
    "r_cost_avoided": "（每避免一个携出 {v}）",
    "r_forgone": "（每净增携入放弃利润 {v}）",
    "r_loss": "{s} 净携入减少 {diff}（{ci}）",
    "r_profit": "；期间利润{sign}{v}。",
    "r_rank": "按净携入排名：{order}。",
    "r_decomp": "{s} 的增益中，{parts}。",
    "r_part": "{change} 贡献 {v}",
    "bn": "{v:,.2f} 十亿元", "m_yuan": "{v:,.1f} 百万元", "yuan": "{v:,.0f} 元",
    "yuan_small": "{v} 元",
    "range": "{low} 至 {high}",
    "millions": "{v} 百万",
}

#: Levers' names in Chinese (the English name is the lever key).
LEVERS_ZH: dict[str, str] = {
    "price_change": "价格调整", "segment_plan": "细分市场套餐", "port_in_bonus": "携入奖励",
    "handset_subsidy": "购机补贴", "targeted_poaching": "定向营销挖转",
    "churn_early_warning": "离网预警", "renewal_offer": "续约优惠", "win_back": "离网挽回",
    "loyalty_rewards": "星级忠诚奖励", "service_quality_change": "服务质量调整",
    "first_contact_resolution": "首问负责制", "complaint_deadline": "限时办结投诉",
    "complaint_follow_up": "投诉回访与补偿", "ai_human_support": "智能加人工客服",
    "network_quality_change": "网络质量投资", "transparency_change": "资费透明",
    "bundle_offer": "融合套餐", "existing_customer_parity": "老用户同享优惠",
    "plan_migration": "套餐适配迁移",
}

UNITS_ZH: dict[str, str] = {
    "yuan": "元", "yuan/month": "元/月", "months": "个月", "days": "天", "%": "%",
    "% of the bill": "% 账单", "yuan/contact": "元/次联系", "yuan/offer": "元/次优惠",
    "yuan/complaint": "元/件投诉", "yuan per star": "元/星", "yuan/month per star": "元/月/星",
    "yuan/subscriber/month": "元/用户/月", "fraction": "比例", "probability": "概率",
    "probability/month": "概率/月", "satisfaction": "满意度",
}

#: Families of installed fonts that cover Chinese, best first.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
                "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK JP", "AR PL UMing CN",
                "SimHei", "Microsoft YaHei", "PingFang SC")


class LangError(ValueError):
    """An unknown --lang (exit 2)."""


def check_lang(lang: str) -> str:
    """`lang` if it is a known language, else a LangError naming --lang."""
    if lang not in LANGUAGES:
        raise LangError(f"--lang {lang!r}: unknown language; use one of {', '.join(LANGUAGES)}")
    return lang


class Labels:
    """The words of one report: `t(key, **values)`, carrier and lever names, units."""

    def __init__(self, lang: str = "en", scenario=None):
        """Words in `lang`; carrier names from `scenario` (its labels) where given."""
        self.lang = check_lang(lang)
        self.words = ZH if lang == "zh" else EN
        self.scenario = scenario

    def t(self, key: str, **values) -> str:
        """The catalogue's text for `key`, filled in with `values`."""
        return self.words[key].format(**values)

    def carrier(self, key: str) -> str:
        """A carrier's name: 中国移动 in Chinese for known carriers, else the scenario's label."""
        english = self.scenario.carrier_label(key) if self.scenario is not None else key
        if self.lang == "zh":
            given = self.scenario.carriers[key].label if self.scenario is not None and \
                key in self.scenario.carriers else None
            return KNOWN_CARRIER_NAMES_ZH.get(key) or given or english
        return english

    def lever(self, kind: str) -> str:
        """A lever's name (its key in English)."""
        return LEVERS_ZH.get(kind, kind) if self.lang == "zh" else kind

    def unit(self, unit: str) -> str:
        """A unit in the report's language (as written when there is no translation)."""
        return UNITS_ZH.get(unit, unit) if self.lang == "zh" else unit

    def yuan(self, amount: float) -> str:
        """Money for people: 1.23 bn yuan, 45.6 M yuan, 789 yuan (十亿元, 百万元, 元)."""
        a = abs(amount)
        if a >= 1e9:
            return self.t("bn", v=amount / 1e9)
        if a >= 1e6:
            return self.t("m_yuan", v=amount / 1e6)
        if a < 10 and round(amount) != amount:  # e.g. 0.2 yuan per subscriber-month
            return self.t("yuan_small", v=f"{amount:.2f}".rstrip("0").rstrip("."))
        return self.t("yuan", v=amount)

    def millions(self, count: float, signed: bool = False) -> str:
        """Subscribers in millions: 1.23 M (1.23 百万)."""
        return self.t("millions", v=f"{count / 1e6:{'+' if signed else ''},.2f}")

    @property
    def html_lang(self) -> str:
        """The page's lang attribute."""
        return "zh-CN" if self.lang == "zh" else "en"

    @property
    def css_fonts(self) -> str:
        """The page's font-family list (CJK fonts first in Chinese)."""
        if self.lang != "zh":
            return "sans-serif"
        return ", ".join(f'"{f}"' for f in CJK_FAMILIES) + ", sans-serif"


def cjk_font():
    """The installed CJK font's file, or None (one finder for the project: sim.i18n)."""
    return i18n.cjk_font()


def plot_fonts(lang: str) -> dict:
    """Matplotlib rc settings for a report's language (the CJK font as fallback in zh)."""
    if lang != "zh" or i18n.cjk_font() is None:
        return {}
    return {**i18n.font_rc(lang), "axes.unicode_minus": False}


MISSING_FONT = i18n.FONT_HELP + "; the plots' Chinese characters would show as boxes"


#: Titles of the workbook's numeric columns, (English, Chinese); counts are real
#: subscribers and money yuan.
COLUMNS: dict[str, tuple[str, str]] = {
    "strategy": ("strategy", "策略"), "rank": ("rank", "排名"),
    "net_porting_mean": ("net porting (mean)", "净携入（均值）"),
    "net_porting_p05": ("net porting, 5th percentile", "净携入 5% 分位"),
    "net_porting_p95": ("net porting, 95th percentile", "净携入 95% 分位"),
    "diff_net_porting": ("net porting vs baseline", "净携入相对基准"),
    "diff_net_porting_ci_low": ("vs baseline, 95% CI low", "相对基准 95% 区间下限"),
    "diff_net_porting_ci_high": ("vs baseline, 95% CI high", "相对基准 95% 区间上限"),
    "port_ins_won": ("port-ins won", "多携入"),
    "port_ins_won_ci_low": ("port-ins won, 95% CI low", "多携入 95% 区间下限"),
    "port_ins_won_ci_high": ("port-ins won, 95% CI high", "多携入 95% 区间上限"),
    "port_outs_avoided": ("port-outs avoided", "少携出"),
    "port_outs_avoided_ci_low": ("port-outs avoided, 95% CI low", "少携出 95% 区间下限"),
    "port_outs_avoided_ci_high": ("port-outs avoided, 95% CI high", "少携出 95% 区间上限"),
    "port_in_mean": ("port-ins (mean)", "携入（均值）"),
    "port_out_mean": ("port-outs (mean)", "携出（均值）"),
    "revenue_mean": ("revenue, yuan (mean)", "收入（元，均值）"),
    "cost_mean": ("lever cost, yuan (mean)", "杠杆成本（元，均值）"),
    "profit_mean": ("profit, yuan (mean)", "利润（元，均值）"),
    "diff_revenue": ("Δ revenue, yuan", "收入变化（元）"),
    "diff_cost": ("Δ lever cost, yuan", "杠杆成本变化（元）"),
    "diff_profit": ("Δ profit, yuan", "利润变化（元）"),
    "diff_profit_ci_low": ("Δ profit, 95% CI low", "利润变化 95% 区间下限"),
    "diff_profit_ci_high": ("Δ profit, 95% CI high", "利润变化 95% 区间上限"),
    "cost_per_extra_net_port": ("cost per extra net port, yuan", "每净增携入成本（元）"),
    "cost_per_port_out_avoided": ("cost per port-out avoided, yuan", "每避免一个携出的成本（元）"),
    "cost_per_port_in_won": ("cost per port-in won, yuan", "每多携入一个的成本（元）"),
    "profit_forgone_per_extra_net_port": ("profit forgone per extra net port, yuan",
                                          "每净增携入放弃的利润（元）"),
    "subscribers_at_horizon": ("subscribers at the horizon", "期末用户数"),
    "significant": ("clear difference (CI excludes 0)", "差异显著（区间不含 0）"),
    "change": ("change", "变化"), "sign": ("+ adds / - drops", "+ 增加 / - 去掉"),
    "lever": ("lever", "杠杆"),
    "net_porting": ("net porting", "净携入"),
    "net_porting_ci_low": ("net porting, 95% CI low", "净携入 95% 区间下限"),
    "net_porting_ci_high": ("net porting, 95% CI high", "净携入 95% 区间上限"),
    "cost": ("lever cost, yuan", "杠杆成本（元）"),
    "cost_ci_low": ("lever cost, 95% CI low", "杠杆成本 95% 区间下限"),
    "cost_ci_high": ("lever cost, 95% CI high", "杠杆成本 95% 区间上限"),
    "profit": ("profit, yuan", "利润（元）"),
    "profit_ci_low": ("profit, 95% CI low", "利润 95% 区间下限"),
    "profit_ci_high": ("profit, 95% CI high", "利润 95% 区间上限"),
    "month": ("month", "月份"),
    "port_in": ("port-ins (mean)", "携入（均值）"),
    "port_out": ("port-outs (mean)", "携出（均值）"),
    "cumulative_mean": ("cumulative net porting (mean)", "累计净携入（均值）"),
    "cumulative_p05": ("cumulative net porting, 5th percentile", "累计净携入 5% 分位"),
    "cumulative_p95": ("cumulative net porting, 95th percentile", "累计净携入 95% 分位"),
    "action": ("action", "动作"), "months": ("months", "月份"),
    "magnitudes": ("magnitudes", "力度"), "targeting": ("targeting", "目标"),
    "cost_rule": ("cost rule", "成本规则"), "difference": ("difference from the baseline",
                                                    "相对基准的变化"),
    "description": ("description", "说明"), "item": ("item", "项目"), "value": ("value", "值"),
}


def column_title(column: str, lang: str) -> str:
    """A workbook column's title in `lang` (the column name when it has none)."""
    pair = COLUMNS.get(column)
    return column if pair is None else pair[lang == "zh"]
