"""Words for people, in English and Chinese: one small catalogue for pages, charts and reports.

- `t(key, lang, **fields)`: a message by key ("axis.month", "page.step", ...), with
  `str.format` fields filled in. A key missing in one language falls back to English,
  an unknown key to the key itself, so a missing translation shows, never crashes.
- `carrier_label(key, lang)`: a carrier's display name ("中国移动" / "China Mobile") or
  "Whole market" for `sim.style.MARKET`. English names come from `sim.style` (the
  scenario's own labels, once it has them); Chinese ones from `CARRIER_NAMES` here,
  else the English name, else the key.
- `quadrant_label(q, lang)`, `cost_part_label(column, lang)`: the loyalty quadrants and
  the switching-cost parts.
- `check_lang(lang)`: the language code, or `LanguageError` naming the choices.
- `use_cjk_font()`: points matplotlib at an installed CJK font (found by file through
  `matplotlib.font_manager`), or raises `FontMissing` telling the user to `make fonts`.
  `cjk_font()` only finds it; `font_rc(lang)` gives the settings for an
  `rc_context`, and `@in_language` wraps a `plot_*(..., lang=...)` function in them.

Keys are grouped by prefix: `axis.*` axis labels, `title.*` chart titles, `legend.*`
legend entries, `page.*` the teaching page, `lesson.*` the lesson's tables, `cli.*`
command-line messages. A new report adds its keys here, in both languages.
"""

from __future__ import annotations

from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "zh")
DEFAULT_LANG = "en"

def _known_carriers() -> dict[str, dict[str, str]]:
    from sim.params import KNOWN_CARRIER_NAMES, KNOWN_CARRIER_NAMES_ZH

    names = {k: {"en": v} for k, v in KNOWN_CARRIER_NAMES.items()}
    for k, v in KNOWN_CARRIER_NAMES_ZH.items():
        names.setdefault(k, {})["zh"] = v
    names["market"] = {"en": "Whole market", "zh": "全市场"}  # sim.style.MARKET
    return names


#: Carriers' display names by scenario key, in every language (from `sim.params`'
#: KNOWN_CARRIER_NAMES and KNOWN_CARRIER_NAMES_ZH: 中国移动, 中国联通, 中国电信, 中国广电).
CARRIER_NAMES: dict[str, dict[str, str]] = _known_carriers()

#: Loyalty quadrants (Jones & Sasser; seed 002's 虚假忠诚).
QUADRANT_NAMES: dict[str, dict[str, str]] = {
    "loyalist": {"en": "loyalist", "zh": "忠诚者"},
    "hostage": {"en": "hostage (false-loyal)", "zh": "人质（虚假忠诚）"},
    "mercenary": {"en": "mercenary", "zh": "唯利是图者"},
    "defector": {"en": "defector", "zh": "背叛者"},
}

#: Parts of the switching cost, by time-series column.
COST_PART_NAMES: dict[str, dict[str, str]] = {
    "sc_number_loss": {"en": "number loss", "zh": "丢失号码"},
    "sc_contract": {"en": "contract", "zh": "合约违约金"},
    "sc_bundle": {"en": "bundle", "zh": "融合套餐"},
    "sc_loyalty": {"en": "loyalty", "zh": "星级权益"},
    "sc_hassle": {"en": "hassle", "zh": "办理麻烦"},
}

MESSAGES: dict[str, dict[str, str]] = {
    # ---- charts (sim.plots and the teaching page)
    "axis.month": {"en": "month", "zh": "月份"},
    "axis.share": {"en": "market share (%)", "zh": "市场份额（%）"},
    "axis.subscribers": {"en": "subscribers", "zh": "用户数（户）"},
    "axis.flow": {"en": "ports (subscribers/month)", "zh": "携转用户数（户/月）"},
    "axis.flow_m": {"en": "subscribers (millions/month)", "zh": "用户数（百万/月）"},
    "axis.net": {"en": "net porting (subscribers/month)", "zh": "净携入（户/月）"},
    "axis.cum_net": {"en": "cumulative net porting (subscribers)", "zh": "累计净携入（户）"},
    "axis.churn": {"en": "churn (% of subscribers/month)", "zh": "离网率（占用户%/月）"},
    "axis.quadrant_m": {"en": "subscribers at month start (millions)",
                        "zh": "月初用户数（百万）"},
    "axis.cost": {"en": "mean switching cost (yuan, one-off)",
                  "zh": "平均转网成本（元，一次性）"},
    "title.shares": {"en": "Market share by carrier", "zh": "各运营商市场份额"},
    "title.subscribers": {"en": "Subscribers by carrier", "zh": "各运营商用户数"},
    "title.porting": {"en": "Monthly port-ins, port-outs and net porting",
                      "zh": "每月携入、携出与净携入"},
    "title.net": {"en": "Monthly net porting (port-ins - port-outs)",
                  "zh": "每月净携入（携入 − 携出）"},
    "title.cum_net": {"en": "Cumulative net porting", "zh": "累计净携入"},
    "title.churn": {"en": "Monthly churn: ported or switched to a new number",
                    "zh": "每月离网率：携号转网或换号转网"},
    "title.quadrants": {"en": "Loyalty quadrants: {carrier}", "zh": "忠诚度四象限：{carrier}"},
    "title.cost": {"en": "Switching cost by part: {carrier}", "zh": "转网成本构成：{carrier}"},
    "legend.mnp_opens": {"en": "MNP opens", "zh": "携号转网开放"},
    "legend.net": {"en": "{carrier} net", "zh": "{carrier} 净携入"},
    "legend.port_ins": {"en": "port-ins (above 0)", "zh": "携入（0 以上）"},
    "legend.port_outs": {"en": "port-outs (below 0)", "zh": "携出（0 以下）"},
    # figure titles of a run's saved PNGs (sim.report's names)
    "figure.subscribers": {"en": "Subscribers and market share", "zh": "用户数与市场份额"},
    "figure.net_porting": {"en": "Net porting", "zh": "净携入"},
    "figure.churn": {"en": "Monthly churn", "zh": "每月离网率"},
    "figure.loyalty": {"en": "Loyalty quadrants", "zh": "忠诚度四象限"},
    "figure.switching_cost": {"en": "Switching cost by part", "zh": "转网成本构成"},
    # ---- the teaching page
    "page.title": {"en": "mnp-sim: {name}", "zh": "携号转网模拟：{name}"},
    "page.language": {"en": "中文", "zh": "English"},
    "page.month_counter": {"en": "Month {month} of {months}", "zh": "第 {month}/{months} 月"},
    "page.step": {"en": "Step", "zh": "下一月"},
    "page.play": {"en": "▶ Play", "zh": "▶ 播放"},
    "page.pause": {"en": "❚❚ Pause", "zh": "❚❚ 暂停"},
    "page.reset": {"en": "Reset", "zh": "重置"},
    "page.reset_apply": {"en": "Reset to apply", "zh": "重置以应用"},
    "page.end_of_run": {"en": "End of run: month {month} of {months} ({label}). Press Reset to "
                                 "start again.",
                        "zh": "模拟结束：第 {month}/{months} 月（{label}）。按“重置”重新开始。"},
    "page.waiting": {"en": "Press Step (or ▶ Play) to simulate the first month.",
                     "zh": "按“下一月”（或“▶ 播放”）模拟第一个月。"},
    "page.controls": {"en": "Settings", "zh": "参数"},
    "page.pending": {"en": "Changed: press Reset to apply (the run restarts at month 0).",
                     "zh": "已修改：按“重置”生效（模拟从第 0 月重新开始）。"},
    "page.changed_one": {"en": "changed: Reset applies it", "zh": "已修改：重置后生效"},
    "page.applies_on_reset": {"en": "Every setting takes effect on Reset.",
                              "zh": "所有参数在“重置”后生效。"},
    "page.status_start": {"en": "Month 0 of {months} (start of {start}): no month simulated yet",
                          "zh": "第 0/{months} 月（{start} 初）：尚未模拟"},
    "page.status_month": {"en": "Month {month} of {months} ({label}): churn {churn:.2f}% of "
                                "subscribers, hostages {hostages:.0f}% of subscribers",
                          "zh": "第 {month}/{months} 月（{label}）：离网率 {churn:.2f}%，"
                                "人质占用户 {hostages:.0f}%"},
    "page.mnp_never": {"en": "MNP never opens", "zh": "不开放携号转网"},
    "page.mnp_open_since": {"en": "MNP open since {mnp}", "zh": "携号转网自 {mnp} 开放"},
    "page.mnp_opens": {"en": "MNP opens {mnp}", "zh": "携号转网 {mnp} 开放"},
    "page.status_tail": {"en": "seed {seed} · {size:,} subscribers",
                         "zh": "随机种子 {seed} · {size:,} 个模拟用户"},
    "page.seed": {"en": "Seed", "zh": "随机种子"},
    "page.quadrants_of": {"en": "Quadrants of", "zh": "四象限："},
    "page.cost_of": {"en": "Switching cost of", "zh": "转网成本："},
    "page.sample_title": {"en": "{n} sampled subscribers by starting carrier: {label}",
                          "zh": "{n} 个抽样用户（按初始运营商分组）：{label}"},
    "page.sample_start": {"en": "start ({start}, before month 1)",
                          "zh": "起点（{start}，第 1 月之前）"},
    "page.sample_each": {"en": "each dot: one subscriber", "zh": "每个点：一个用户"},
    "page.sample_hostage": {"en": "hostage (false-loyal)", "zh": "人质（虚假忠诚）"},
    "page.sample_moved": {"en": "moved this month", "zh": "本月转网"},
    "page.in_use": {"en": "In use: number-loss cost {loss:g} yuan, porting hassle {hassle:g} yuan, "
                          "contract lock-in x{lock:g}; prices (yuan/month) {prices}; service "
                          "quality {service}.",
                    "zh": "当前：丢号成本 {loss:g} 元，携转麻烦 {hassle:g} 元，合约锁定 ×{lock:g}；"
                          "月资费（元）{prices}；服务质量 {service}。"},
    "page.join_title": {"en": "This page needs the class's join code",
                        "zh": "此页面需要课堂加入码"},
    "page.join_text": {"en": "Open the address your teacher gave you, including ?join=… at "
                             "the end.",
                       "zh": "请打开老师给出的完整地址（包括末尾的 ?join=…）。"},
    "page.seed_bad": {"en": "seed {raw!r} is not a whole number; using the scenario's seed "
                            "{default}",
                      "zh": "随机种子 {raw!r} 不是整数；改用场景的随机种子 {default}"},
    "page.seed_negative": {"en": "seed {seed} is negative; using the scenario's seed {default}",
                           "zh": "随机种子 {seed} 为负数；改用场景的随机种子 {default}"},
    # sliders: label, unit
    "control.mnp_opens": {"en": "MNP opens in month", "zh": "携号转网开放月份"},
    "control.mnp_opens_hint": {"en": "1 = {start}; 0 = never", "zh": "1 = {start}；0 = 不开放"},
    "control.number_loss_cost": {"en": "Number-loss cost", "zh": "丢号成本"},
    "control.porting_hassle": {"en": "Porting hassle", "zh": "携转麻烦成本"},
    "control.contract_lock_in": {"en": "Contract lock-in", "zh": "合约锁定"},
    "control.contract_lock_in_hint": {"en": "x the scenario's penalties",
                                      "zh": "× 场景的违约金"},
    "control.price": {"en": "{carrier} price", "zh": "{carrier} 月资费"},
    "control.service": {"en": "{carrier} service quality", "zh": "{carrier} 服务质量"},
    "control.population": {"en": "Simulated subscribers", "zh": "模拟用户数"},
    "unit.yuan": {"en": "yuan", "zh": "元"},
    "unit.yuan_month": {"en": "yuan/month", "zh": "元/月"},
    "unit.month": {"en": "month {n} ({label})", "zh": "第 {n} 月（{label}）"},
    "unit.never": {"en": "never", "zh": "不开放"},
    # ---- the lesson's quadrant table (sim.story.quadrant_table)
    "lesson.quadrant": {"en": "quadrant", "zh": "象限"},
    "lesson.moves": {"en": "changes carrier this month?", "zh": "本月转网？"},
    "lesson.satisfied": {"en": "satisfied?", "zh": "满意？"},
    "lesson.prefers": {"en": "would pick another carrier if switching were free?",
                       "zh": "若转网免费，会选其他运营商？"},
    "lesson.means": {"en": "what it means", "zh": "含义"},
    "lesson.yes": {"en": "yes", "zh": "是"},
    "lesson.no": {"en": "no", "zh": "否"},
    "lesson.either": {"en": "either", "zh": "均可"},
    "lesson.means.loyalist.stays": {"en": "stays because they prefer their carrier",
                                    "zh": "因为喜欢现在的运营商而留下"},
    "lesson.means.hostage.stays": {"en": "stays only because leaving costs too much",
                                   "zh": "只因离开代价太高而留下"},
    "lesson.means.mercenary.stays": {"en": "stays for now; a better offer takes them",
                                     "zh": "暂时留下；更好的优惠就能把他们带走"},
    "lesson.means.mercenary.moves": {"en": "leaves for a better offer although satisfied",
                                     "zh": "虽然满意，仍为更好的优惠离开"},
    "lesson.means.defector.moves": {"en": "leaves, dissatisfied", "zh": "不满意而离开"},
    "lesson.quadrant_note": {
        "en": "Generated from `sim.behaviour.loyalty.QUADRANT_OF` by `make lesson`. "
              "\"Would pick another\" compares the carriers' values without switching cost "
              "or taste noise; a tie counts as preferring the current carrier.",
        "zh": "由 `make lesson` 根据 `sim.behaviour.loyalty.QUADRANT_OF` 生成。“会选其他运营商”"
              "比较的是不计转网成本和随机偏好的运营商价值；相等时算作偏好现运营商。"},
    # ---- command line
    "cli.bad_lang": {"en": "--lang: unknown language {lang!r}; use one of {choices}",
                     "zh": "--lang：未知语言 {lang!r}；可选 {choices}"},
}


class LanguageError(ValueError):
    """An unknown language code."""


class FontMissing(RuntimeError):
    """No CJK font is installed for Chinese charts."""


def check_lang(lang: str | None) -> str:
    """The language code (lower-cased, "zh-CN" -> "zh"), or LanguageError naming the choices."""
    code = (lang or DEFAULT_LANG).strip().lower().replace("_", "-").split("-")[0]
    if code not in LANGUAGES:
        raise LanguageError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return code


def t(key: str, lang: str = DEFAULT_LANG, /, **fields) -> str:
    """The message `key` in `lang` (English when missing there; the key when unknown).

    With `fields` filled in (any names, `lang` too).
    """
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fields) if fields else text


def _named(table: dict[str, dict[str, str]], key: str, lang: str) -> str | None:
    entry = table.get(key)
    return None if entry is None else entry.get(lang) or entry.get(DEFAULT_LANG)


def carrier_label(key: str, lang: str = DEFAULT_LANG, look: dict | None = None) -> str:
    """A carrier's display name in `lang`, or the whole market's (`sim.style.MARKET`).

    `look` is a run's or scenario's {key: {"label", "colour"}} (`sim.style.look_of`,
    `scenario_look`). English is `sim.style.carrier_label` (the scenario's label, a
    known carrier's name, or the key). In another language a known carrier's name there
    (中国移动), unless the scenario gave the carrier a label of its own, which is kept.
    """
    from sim import style

    english = style.carrier_label(key, look)
    if lang == DEFAULT_LANG:
        return english
    known = CARRIER_NAMES.get(key, {})
    if known.get(lang) and english in (known.get(DEFAULT_LANG), key):
        return known[lang]
    return english


def quadrant_label(quadrant: str, lang: str = DEFAULT_LANG) -> str:
    """A loyalty quadrant's display name ("hostage (false-loyal)", "人质（虚假忠诚）").

    English from `sim.style.QUADRANT_LABELS`.
    """
    from sim.style import QUADRANT_LABELS

    if lang == DEFAULT_LANG and quadrant in QUADRANT_LABELS:
        return QUADRANT_LABELS[quadrant]
    return _named(QUADRANT_NAMES, quadrant, lang) or quadrant


def cost_part_label(column: str, lang: str = DEFAULT_LANG) -> str:
    """A switching-cost part's display name, by its time-series column ("sc_bundle")."""
    return (_named(COST_PART_NAMES, column, lang)
            or column.removeprefix("sc_").replace("_", " "))


# ---------------------------------------------------------------- CJK font for matplotlib

#: Font files tried first, in order (Debian's fonts-wqy-microhei from `make fonts`, then
#: other common CJK fonts); any installed font whose name says CJK/Hei/Song comes after.
CJK_FONT_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_CJK_NAME_HINTS = ("wqy", "microhei", "zenhei", "notosanscjk", "notoserifcjk", "sourcehansans",
                   "simhei", "msyh", "pingfang", "droidsansfallback", "ukai", "uming")
FONT_HELP = ("no CJK font found for Chinese charts: run `make fonts` (installs Debian's "
             "fonts-wqy-microhei), or install any CJK font such as fonts-noto-cjk")


def cjk_font() -> Path | None:
    """The file of an installed CJK font matplotlib can use, or None."""
    for name in CJK_FONT_FILES:
        if Path(name).is_file():
            return Path(name)
    from matplotlib import font_manager

    for name in sorted(font_manager.findSystemFonts()):
        flat = Path(name).name.lower().replace("-", "").replace("_", "")
        if any(hint in flat for hint in _CJK_NAME_HINTS):
            return Path(name)
    return None


_registered: dict[Path, str] = {}


def _cjk_family() -> str:
    """Register the CJK font with matplotlib (once) and return its family name."""
    from matplotlib import font_manager

    path = cjk_font()
    if path is None:
        raise FontMissing(FONT_HELP)
    if path not in _registered:
        font_manager.fontManager.addfont(str(path))
        _registered[path] = font_manager.FontProperties(fname=str(path)).get_name()
    return _registered[path]


def font_rc(lang: str) -> dict:
    """Matplotlib settings for text in `lang`.

    None for English; for Chinese the usual sans-serif font first and the CJK font after
    it, so Latin text looks as in English charts and each CJK character falls back to the
    CJK font.
    """
    if check_lang(lang) != "zh":
        return {}
    import matplotlib

    first = matplotlib.rcParams["font.sans-serif"][:1]
    return {"font.family": [*first, _cjk_family()]}


def use_cjk_font() -> str:
    """Make matplotlib draw every later chart with the CJK font as fallback.

    Returns the font's family name. FontMissing tells the user to run `make fonts`.
    """
    import matplotlib

    matplotlib.rcParams.update(font_rc("zh"))
    return _registered[cjk_font()]


def in_language(plot):
    """Decorate a `plot_*(..., lang="en")` function: it draws inside `font_rc(lang)`."""
    import functools

    @functools.wraps(plot)
    def wrapper(*args, lang: str = DEFAULT_LANG, **kwargs):
        import matplotlib

        with matplotlib.rc_context(font_rc(lang)):
            return plot(*args, lang=lang, **kwargs)

    return wrapper


def use_language(lang: str) -> str:
    """Check `lang` and prepare matplotlib for it (the CJK font for Chinese)."""
    lang = check_lang(lang)
    if lang == "zh":
        use_cjk_font()
    return lang


__all__ = ["CARRIER_NAMES", "COST_PART_NAMES", "DEFAULT_LANG", "FONT_HELP", "LANGUAGES",
           "MESSAGES", "QUADRANT_NAMES", "FontMissing", "LanguageError", "carrier_label",
           "check_lang", "cjk_font", "cost_part_label", "font_rc", "in_language",
           "quadrant_label", "t", "use_cjk_font", "use_language"]
