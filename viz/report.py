"""The landscape report: a market report's sections, built from the graph's sourced facts.

``build_report`` turns the graph into a :class:`Report` (sections of paragraphs, tables and
charts, every table row with the sources behind it); ``render_html`` makes one self-contained,
printable page of it (charts are inline SVG drawn with matplotlib; nothing is fetched),
``render_markdown`` the same in GitHub Markdown. Sections follow the order of the market
reports strategists read: epidemiology, regulatory landscape, trends and drivers,
clinical-trial analysis, competitive landscape, company profiles.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lmkg.graph import KnowledgeGraph
from lmkg.graph.companies import group_members, group_of, parent_of
from lmkg.graph.evidence import best_cns
from lmkg.graph.query.pipeline import (
    STAGE_LABEL,
    deals,
    development_stage,
    regulatory_events,
    trial_rows,
)
from lmkg.graph.query.trends import DRIVERS, agency_regions, driver_summary

from .map import safe_href, source_entry
from .views import AGENCY_LABEL, EVENT_STYLE

HERE = Path(__file__).resolve().parent

# The companies the market reports on LM profile, in their order, and the name to find each by.
PROFILED: tuple[tuple[str, str], ...] = (
    ("Plus Therapeutics", "Plus Therapeutics"), ("AstraZeneca", "AstraZeneca"),
    ("Angiochem", "Angiochem"), ("Y-mAbs Therapeutics", "Y-mAbs Therapeutics"),
    ("Novartis", "Novartis"), ("Roche", "Roche"), ("Pfizer", "Pfizer"),
    # "Merck" in these reports is Merck & Co. (MSD); Merck KGaA is another company.
    ("Merck & Co. (MSD)", "Merck & Co."), ("Bristol Myers Squibb", "Bristol Myers Squibb"),
    ("Eli Lilly", "Eli Lilly"), ("Takeda", "Takeda"), ("AbbVie", "AbbVie"),
    ("Seagen", "Seagen"), ("Regeneron", "Regeneron"), ("Eisai", "Eisai"),
    ("Daiichi Sankyo", "Daiichi Sankyo"), ("Ipsen", "Ipsen"), ("BioMarin", "BioMarin"),
    ("Amgen", "Amgen"),
)
NO_LM_PROGRAMME = "No LM programme in the graph."
_LEVEL_LABEL = {"preclinical": "preclinical", "csf_pk": "CSF/plasma PK",
                "intracranial_response": "intracranial response", "lm_clinical": "LM clinical"}


# -- the report's model --------------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """A link in a cell (no ``href``: plain text)."""

    label: str
    href: str | None = None
    title: str | None = None


Cell = str | int | float | list[Link] | None


@dataclass
class Table:
    """Rows of cells; the last column of a sourced table is its rows' sources."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: str = ""
    id: str = ""
    empty: str = "None in the graph."


@dataclass
class Chart:
    """An inline SVG figure, its caption, and where its numbers come from."""

    svg: str
    caption: str
    source_note: str
    id: str = ""
    table: str = ""  # the id of the table whose rows (and their sources) the chart counts


@dataclass
class Para:
    text: str
    cls: str = ""


Block = Table | Chart | Para


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Report:
    title: str
    subtitle: str
    provenance: list[str]
    sections: list[Section]
    at_a_glance: list[str] = field(default_factory=list)


# -- helpers -------------------------------------------------------------------------------------
def _src_links(sources: Iterable[dict[str, Any]], limit: int = 3) -> list[Link]:
    seen: set[str] = set()
    out: list[Link] = []
    items = list(sources)
    for s in items:
        e = source_entry(s)
        key = e.get("href") or e["label"]
        if key in seen:
            continue
        seen.add(key)
        label = e["label"].replace("Digital Object Identifier ", "DOI ")
        if len(label) > 38:
            label = label[:37] + "…"
        tip = " — ".join(x for x in (e.get("title"), e.get("note")) if x)
        out.append(Link(label + (" (secondary)" if e.get("secondary") else ""),
                        e.get("href"), tip[:300] or None))
    if len(out) > limit:
        more = len(out) - limit
        out = [*out[:limit], Link(f"+{more} more")]
    return out


def _edge_sources(kg: KnowledgeGraph, s: str, pred: str, o: str) -> list[dict[str, Any]]:
    if kg.g.has_edge(s, o, key=pred):
        return list(kg.g.edges[s, o, pred].get("sources", []))
    return []


def _agent_sources(kg: KnowledgeGraph, a: str) -> list[dict[str, Any]]:
    node = kg.node(a)
    srcs = list(node.get("sources", ()))
    best = best_cns(node.get("cns_evidence", []))
    if best and best.get("source"):
        srcs.insert(0, best["source"])
    for _s, _p, _o, d in kg.out_edges(a, "DEVELOPED_BY"):
        srcs += d.get("sources", [])
    return srcs


def _svg(fig: Any) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "lmkg", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False,
                         "font.family": "sans-serif"})
    return plt


def _year_range(years: Iterable[int]) -> list[int]:
    ys = sorted(set(years))
    return list(range(ys[0], ys[-1] + 1)) if ys else []


# -- sections ------------------------------------------------------------------------------------
_SURVIVAL = ("median_os_from_lm_diagnosis", "median_os_treated", "median_os_untreated",
             "median_os_after_cns_relapse", "survival_rate")


def _epidemiology(kg: KnowledgeGraph) -> Section:
    from lmkg.graph.query.epidemiology import epidemiology

    sec = Section("epidemiology", "1. Epidemiology by cancer")
    sec.blocks.append(Para(
        "How often each primary cancer spreads to the leptomeninges and how long patients live "
        "after, as published. Each figure names its measure (an incidence among patients with "
        "the cancer is not a share of LM cases; CNS figures that are not LM-specific say so) "
        "and the population, period and region it was measured in; figures from different "
        "populations are not comparable with each other."))
    rows_inc, rows_surv = [], []
    for c in kg.ids("PrimaryCancer"):
        for r in epidemiology(kg, c):
            where = ", ".join(x for x in (r.get("region"), r.get("period")) if x)
            row = [kg.name_of(c) + (f" ({r['biomarker']})" if r.get("biomarker") else ""),
                   r["measure_label"], str(r["value"]), r["population"] or "", where,
                   _src_links([r["source"]] if r.get("source") else [])]
            (rows_surv if r["measure"] in _SURVIVAL else rows_inc).append(row)
    cols = ["Cancer", "Measure", "Value", "Population", "Region, period", "Sources"]
    sec.blocks.append(Table(cols, rows_inc, "Incidence, share of LM cases and CNS involvement",
                            "epi-incidence"))
    sec.blocks.append(Table(cols, rows_surv, "Survival after an LM diagnosis", "epi-survival"))
    regions: dict[str, list[dict[str, Any]]] = {}
    for c in kg.ids("PrimaryCancer"):
        for r in epidemiology(kg, c):
            regions.setdefault(r.get("region") or "not stated", []).append(r)
    sec.blocks.append(Table(
        ["Region or centre, as published", "Figures", "Cancers", "Sources"],
        [[reg, len(rs), ", ".join(sorted({kg.name_of(c) for c in kg.ids("PrimaryCancer")
                                          for x in epidemiology(kg, c) if x in rs})),
          _src_links([x["source"] for x in rs if x.get("source")], 2)]
         for reg, rs in sorted(regions.items(), key=lambda kv: (kv[0] == "not stated",
                                                                 -len(kv[1]), kv[0]))],
        "Figures by region where published", "epi-region"))
    return sec


def _type_cell(e: dict[str, Any]) -> str:
    """An event's type as the tables show it, with what became of it when it was not granted
    or was withdrawn since: "Approval: refused", "Approval: withdrawn"."""
    label = EVENT_STYLE.get(e["type"], (e["type"],))[0]
    return label if e.get("outcome", "granted") == "granted" else f"{label}: {e['outcome_label']}"


def _regulatory(kg: KnowledgeGraph, events: list[dict[str, Any]]) -> Section:
    sec = Section("regulatory", "2. Regulatory landscape")
    regions = agency_regions(kg)
    sec.blocks.append(Para(
        f"{len(events)} approvals and designations in the graph, {sum(e['lm'] for e in events)} "
        "of them for a leptomeningeal indication. Regions are those whose medicines the agency "
        "regulates in the graph (REGULATED_BY); an agency the graph does not place is marked "
        "so. Approvals and designations for other indications are the agents' context: the LM "
        "ones are listed apart. A refused application (an FDA complete response letter, a CHMP "
        "refusal) is listed as refused and never counted as an approval; an approval withdrawn "
        "since with its product says so."))
    types = [t for t in EVENT_STYLE if t not in ("acquisition", "partnership")
             and any(e["type"] == t for e in events)]
    # The type columns count what was granted (an approval withdrawn since included, and
    # counted again in its own column); refused applications only in theirs.
    by_agency: dict[str, Counter[str]] = {}
    for e in events:
        counts = by_agency.setdefault(e["agency"], Counter())
        if e["outcome"] in ("granted", "withdrawn"):
            counts[e["type"]] += 1
        counts["_" + ("withdrawn" if e["outcome"] == "withdrawn" else
                      "granted" if e["outcome"] == "granted" else "refused")] += 1
    extra = [(k, label) for k, label in (("_withdrawn", "of them withdrawn since"),
                                          ("_refused", "Refused, not filed or withdrawn "
                                                       "application"))
             if any(c[k] for c in by_agency.values())]
    total = lambda c: c["_granted"] + c["_withdrawn"] + c["_refused"]  # noqa: E731
    rows = []
    for ag in sorted(by_agency, key=lambda a: -total(by_agency[a])):
        region = ", ".join(regions.get(ag, ())) or "not recorded in the graph"
        srcs = [s for e in events if e["agency"] == ag for s in e["sources"]]
        rows.append([AGENCY_LABEL.get(ag, ag), region,
                     *[by_agency[ag].get(t, 0) for t in types],
                     *[by_agency[ag][k] for k, _label in extra], total(by_agency[ag]),
                     _src_links(srcs, 2)])
    sec.blocks.append(Table(["Agency", "Region", *[EVENT_STYLE[t][0] for t in types],
                             *[label for _k, label in extra], "Total", "Sources (first)"], rows,
                            "Approvals and designations by agency and type (granted; refused "
                            "applications apart)", "reg-counts"))
    dated = [e for e in events if e["year"] is not None and e["outcome"] in ("granted",
                                                                             "withdrawn")]
    if dated:
        plt = _plt()
        years = _year_range(int(e["year"]) for e in dated)
        fig, ax = plt.subplots(figsize=(7.2, 2.6))
        bottom = [0] * len(years)
        agencies = [a for a in by_agency if any(e["agency"] == a for e in dated)]
        palette = ["#1f4fb4", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
                   "#7f7f7f", "#8c564b", "#bcbd22", "#17becf"]
        for k, ag in enumerate(agencies):
            vals = [sum(1 for e in dated if e["agency"] == ag and int(e["year"]) == y)
                    for y in years]
            ax.bar(years, vals, bottom=bottom, color=palette[k % len(palette)],
                   label=AGENCY_LABEL.get(ag, ag), width=0.8)
            bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
        ax.set_ylabel("approvals and designations")
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        granted = sum(1 for e in events if e["outcome"] in ("granted", "withdrawn"))
        undated = granted - len(dated)
        refused = len(events) - granted
        sec.blocks.append(Chart(_svg(fig), "Approvals and designations per year, by agency",
                                f"Each bar counts the dated granted rows of the table below "
                                f"and of the by-agency table; {undated} undated ones are not "
                                f"drawn, nor the {refused} refused applications.",
                                "reg-chart", "reg-timeline"))
    lm_rows = [[e["date"] or "undated", AGENCY_LABEL.get(e["agency"], e["agency"]),
                _type_cell(e), ", ".join(e["agent_names"]),
                e["indication"], ", ".join(e["company_names"]), _src_links(e["sources"])]
               for e in events if e["lm"]]
    sec.blocks.append(Table(["Date", "Agency", "Type", "Agent", "Indication", "Company",
                             "Sources"], lm_rows,
                            "Designations and approvals for a leptomeningeal indication",
                            "reg-lm"))
    timeline = [[e["date"] or "undated", AGENCY_LABEL.get(e["agency"], e["agency"]),
                 _type_cell(e), ", ".join(e["agent_names"]),
                 e["indication"], "yes" if e["lm"] else "", _src_links(e["sources"], 2)]
                for e in events]
    sec.blocks.append(Table(["Date", "Agency", "Type", "Agent", "Indication", "LM", "Sources"],
                            timeline, "Dated timeline of every approval and designation",
                            "reg-timeline"))
    return sec


def _trends(kg: KnowledgeGraph) -> Section:
    sec = Section("trends", "3. Key trends and drivers")
    summary = driver_summary(kg)
    sec.blocks.append(Para(
        "The drivers market reports name, each a rule over the graph's facts: CNS-penetrant "
        "TKIs (small-molecule kinase inhibitors with CNS evidence at CSF-pharmacokinetic level "
        "or above), antibody-drug conjugates, immunotherapy (checkpoint, CAR T-cell and "
        "T-cell-engager classes, cell therapies), intrathecal or intraventricular delivery, "
        "and CSF liquid biopsy (diagnostics and the trials that use them). An agent can drive "
        "more than one."))
    rows = []
    for r in summary:
        names = [Link(kg.name_of(a), None) for a in r["agents"] + r["diagnostics"]]
        srcs = [s for a in r["agents"] for s in _agent_sources(kg, a)[:1]]
        srcs += [s for d in r["diagnostics"] for s in kg.node(d).get("sources", ())[:1]]
        rows.append([r["driver"], len(r["agents"]) or len(r["diagnostics"]), len(r["trials"]),
                     len(r["lm_trials"]), len(r["designations"]), len(r["lm_designations"]),
                     names, _src_links(srcs, 4)])
    sec.blocks.append(Table(["Driver", "Agents (or tests)", "Trials", "LM trials",
                             "Designations", "LM designations", "Members", "Sources (first)"],
                            rows, "What the graph holds per driver", "trend-table"))
    plt = _plt()
    years = _year_range(y for r in summary for y in (*r["designations_by_year"],
                                                      *r["trials_by_year"]))
    if years:
        fig, axes = plt.subplots(1, 2, figsize=(7.4, 2.6), sharex=True)
        colours = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00"]
        for k, r in enumerate(summary):
            cum, total = [], 0
            for y in years:
                total += r["designations_by_year"].get(y, 0)
                cum.append(total)
            axes[0].plot(years, cum, label=r["driver"], color=colours[k % 5], lw=1.6)
            cum, total = [], 0
            for y in years:
                total += r["trials_by_year"].get(y, 0)
                cum.append(total)
            axes[1].plot(years, cum, color=colours[k % 5], lw=1.6)
        axes[0].set_title("designations and approvals (cumulative)", fontsize=9)
        axes[1].set_title("trials started (cumulative, dated ones)", fontsize=9)
        axes[0].legend(frameon=False, fontsize=7, loc="upper left")
        sec.blocks.append(Chart(_svg(fig), "Drivers over time",
                                "Counts of the dated designations and trial starts of each "
                                "driver's members, as listed in the driver table's sources; "
                                "undated ones are not drawn.", "trend-chart", "trend-table"))
    return sec


def _trials(kg: KnowledgeGraph) -> Section:
    sec = Section("trials", "4. Clinical-trial analysis")
    rows = trial_rows(kg)
    lm = [r for r in rows if r["lm_specific"]]
    sec.blocks.append(Para(
        f"{len(rows)} trials in the graph, {len(lm)} of them LM-specific (enrolling or "
        "reporting an LM cohort). Sponsor class is read from the lead sponsor's name "
        "(industry unless it names a university, hospital, institute, cooperative group or "
        "government body). Countries are those of the trial's sites where the registry record "
        f"read gave them ({sum(1 for r in rows if r['countries'])} of {len(rows)} trials)."))
    plt = _plt()
    fig, axes = plt.subplots(1, 3, figsize=(7.6, 2.5))
    for ax, key, title in ((axes[0], "phase", "phase"), (axes[1], "status", "status")):
        counts = Counter(r[key] for r in rows)
        labels = sorted(counts, key=lambda k: -counts[k])[:8]
        ax.barh(labels[::-1], [counts[k] for k in labels[::-1]], color="#19a7c9")
        ax.set_title(f"by {title}", fontsize=9)
        ax.tick_params(axis="y", labelsize=7)
    starts = Counter(r["start_year"] for r in rows if r["start_year"])
    ys = _year_range(starts)
    axes[2].bar(ys, [starts.get(y, 0) for y in ys], color="#19a7c9")
    axes[2].set_title(f"by start year ({sum(starts.values())} dated)", fontsize=9)
    fig.tight_layout()
    sec.blocks.append(Chart(_svg(fig), "Trials by phase, status and start year",
                            "Counts of the rows of the trial tables below.", "trial-chart",
                            "trial-phase"))
    for r in rows:
        r["country"] = r["countries"] or ["not recorded"]
    for key, title in (("phase", "Phase"), ("status", "Status"), ("study_type", "Study type"),
                       ("sponsor_class", "Sponsor class"), ("country", "Country")):
        counts: Counter[str] = Counter()
        lm_counts: Counter[str] = Counter()
        srcs: dict[str, list[dict[str, Any]]] = {}
        for r in rows:
            for v in (r[key] if isinstance(r[key], list) else [r[key]]):
                counts[v] += 1
                lm_counts[v] += r["lm_specific"]
                srcs.setdefault(v, []).extend(r["sources"][:1])
        sec.blocks.append(Table([title, "Trials", "LM-specific", "Sources (first)"],
                                [[k, counts[k], lm_counts[k], _src_links(srcs[k], 2)]
                                 for k in sorted(counts, key=lambda k: -counts[k])],
                                f"Trials by {title.lower()}", f"trial-{key}"))
    table = [[r["trial"], [Link(r["nct"], f"https://clinicaltrials.gov/study/{r['nct']}")]
              if r["nct"] else "", r["phase"], r["status"], r["start_year"] or "",
              ", ".join(r["sponsors"]) or "not recorded", ", ".join(r["agents"]),
              _src_links(r["sources"], 2)] for r in lm]
    sec.blocks.append(Table(["Trial", "NCT", "Phase", "Status", "Start", "Lead sponsor",
                             "Agents", "Sources"], table, "LM-specific trials", "trial-lm"))
    return sec


def _competitive(kg: KnowledgeGraph, events: list[dict[str, Any]]) -> Section:
    sec = Section("competitive", "5. Competitive landscape")
    ds = deals(kg)
    sec.blocks.append(Para(
        f"{sum(d['kind'] == 'acquisition' for d in ds)} acquisitions and "
        f"{sum(d['kind'] == 'partnership' for d in ds)} partnerships with their reported terms, "
        "and the approvals that make up the marketed landscape. Funding rounds are not recorded "
        "in the graph."))
    rows = [[d["date"] or "undated", "acquired" if d["kind"] == "acquisition" else "partnered with",
             d["from_name"], d["to_name"], d["terms"] or "not stated", _src_links(d["sources"])]
            for d in ds]
    sec.blocks.append(Table(["Date", "Deal", "Company", "Counterparty", "Terms", "Sources"],
                            rows, "Acquisitions and partnerships", "deals"))
    # The marketed landscape: approvals in force (not refused, not withdrawn with the product).
    appr = [e for e in events if "approval" in (e["type"] or "") and e["in_force"]]
    heads = group_of(kg)
    per_group: Counter[str] = Counter()
    for e in appr:
        for c in {heads.get(c, c) for c in e["companies"]}:
            per_group[c] += 1
    sec.blocks.append(Table(
        ["Company group", "Approvals of its agents", "Sources (first)"],
        [[kg.name_of(c), n, _src_links([s for e in appr if c in {heads.get(x, x) for x in
                                                                    e["companies"]}
                                          for s in e["sources"]], 2)]
         for c, n in per_group.most_common()],
        "Approvals in force by company group (subsidiaries and acquired companies rolled up; "
        "refused applications and approvals withdrawn with their product are not counted)",
        "approvals-by-group"))
    return sec


def _profiles(kg: KnowledgeGraph, events: list[dict[str, Any]]) -> Section:
    sec = Section("profiles", "6. Company profiles")
    sec.blocks.append(Para(
        "One profile for each company the market reports on LM name. A group's profile "
        "includes its subsidiaries and acquired companies; a company that is part of a group "
        "says so. LM programmes are agents of the company with an LM-specific trial, a "
        "designation for a leptomeningeal indication, or LM clinical CNS evidence."))
    members = group_members(kg)
    parents = parent_of(kg)
    trial_tab = {r["id"]: r for r in trial_rows(kg)}
    all_deals = deals(kg)
    for label, name in PROFILED:
        sec.subsections.append(_profile(kg, events, label, name, members, parents, trial_tab,
                                        all_deals))
    return sec


def _profile(kg: KnowledgeGraph, events: list[dict[str, Any]], label: str, name: str,
             members: dict[str, list[str]], parents: dict[str, str],
             trial_tab: dict[str, dict[str, Any]], all_deals: list[dict[str, Any]]) -> Section:
    sid = "company-" + re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")
    sub = Section(sid, label)
    hits = kg.lookup(name, types=["Company"])
    if len(hits) != 1:
        sub.blocks.append(Para(f"{label} is not in the graph. " + NO_LM_PROGRAMME, "no-lm"))
        return sub
    c = hits[0]
    node = kg.node(c)
    group = [c, *members.get(c, [])]
    facts = [f"{node['name']}" + (f", {node['headquarters']}" if node.get("headquarters") else "")
             + "."]
    if members.get(c):
        facts.append("Group members in the graph: " + ", ".join(kg.name_of(m) for m in
                                                               members[c]) + ".")
    if c in parents:
        p = parents[c]
        how = "a subsidiary of" if kg.g.has_edge(c, p, key="SUBSIDIARY_OF") else "acquired by"
        when = ""
        if kg.g.has_edge(p, c, key="ACQUIRED") and kg.g.edges[p, c, "ACQUIRED"].get("date"):
            when = f" ({kg.g.edges[p, c, 'ACQUIRED']['date']})"
        facts.append(f"{node['name']} is {how} {kg.name_of(p)}{when}; the {kg.name_of(p)} "
                     "profile includes it.")
    sub.blocks.append(Para(" ".join(facts)))
    agents = sorted({s for m in group for s, *_ in kg.in_edges(m, "DEVELOPED_BY")},
                    key=lambda a: kg.name_of(a).casefold())
    lm_ev = {e["id"] for e in events if e["lm"]}
    portfolio, lm_agents = [], []
    for a in agents:
        anode = kg.node(a)
        stage, _basis = development_stage(kg, a)
        trials = [o for _s, _p, o, _d in kg.out_edges(a, "EVALUATED_IN")]
        lm_trials = [t for t in trials if kg.node(t).get("lm_specific")]
        desig = [o for _s, _p, o, _d in kg.out_edges(a, "HAS_DESIGNATION")]
        lm_des = [d for d in desig if d in lm_ev]
        best = best_cns(anode.get("cns_evidence", []))
        lm_clin = any(e.get("level") == "lm_clinical" and e.get("direction", "supports") ==
                      "supports" for e in anode.get("cns_evidence", []))
        portfolio.append([anode["name"], STAGE_LABEL.get(stage, stage),
                          (anode.get("modality") or "").replace("_", " "),
                          _LEVEL_LABEL.get(best["level"], best["level"]) if best else "none",
                          len(lm_trials), len(lm_des),
                          _src_links([s for m in group for s in
                                      _edge_sources(kg, a, "DEVELOPED_BY", m)], 2)])
        if lm_trials or lm_des or lm_clin:
            why = ", ".join(x for x in (
                f"{len(lm_trials)} LM trial(s)" if lm_trials else "",
                f"{len(lm_des)} LM designation(s)" if lm_des else "",
                "LM clinical CNS evidence" if lm_clin else "") if x)
            srcs = [e["source"] for e in anode.get("cns_evidence", [])
                    if e.get("level") == "lm_clinical" and e.get("source")]
            srcs += [s for t in lm_trials for s in kg.node(t).get("sources", ())]
            srcs += [s for e in events if e["id"] in lm_des for s in e["sources"]]
            lm_agents.append([anode["name"], why, _src_links(srcs, 3)])
    if node.get("lm_programme_note"):
        sub.blocks.append(Para("Curated note: " + node["lm_programme_note"]))
    if lm_agents:
        sub.blocks.append(Table(["LM programme", "Why", "Sources"], lm_agents,
                                "LM programmes", sid + "-lm"))
    else:
        sub.blocks.append(Para(NO_LM_PROGRAMME, "no-lm"))
    sub.blocks.append(Table(["Agent", "Stage", "Modality", "Best CNS evidence", "LM trials",
                             "LM designations", "Sources"], portfolio,
                            f"Portfolio in the graph ({basis_note(kg, agents)})", sid + "-portfolio",
                            empty="No agent of this company in the graph."))
    trials = sorted({s for m in group for s, *_ in kg.in_edges(m, "SPONSORED_BY")})
    sub.blocks.append(Table(
        ["Trial", "NCT", "Phase", "Status", "LM", "Sources"],
        [[trial_tab[t]["trial"], [Link(trial_tab[t]["nct"],
                                       f"https://clinicaltrials.gov/study/{trial_tab[t]['nct']}")]
          if trial_tab[t]["nct"] else "", trial_tab[t]["phase"], trial_tab[t]["status"],
          "yes" if trial_tab[t]["lm_specific"] else "", _src_links(trial_tab[t]["sources"], 2)]
         for t in trials], "Trials it sponsors", sid + "-trials",
        empty="No trial sponsored by this company in the graph."))
    aset = set(agents)
    evs = [e for e in events if aset & set(e["agents"])]
    sub.blocks.append(Table(
        ["Date", "Agency", "Type", "Agent", "Indication", "LM", "Sources"],
        [[e["date"] or "undated", AGENCY_LABEL.get(e["agency"], e["agency"]),
          _type_cell(e), ", ".join(e["agent_names"]),
          e["indication"], "yes" if e["lm"] else "", _src_links(e["sources"], 2)] for e in evs],
        "Approvals and designations of its agents", sid + "-designations",
        empty="No approval or designation of its agents in the graph."))
    gset = set(group)
    ds = [d for d in all_deals if d["from"] in gset or d["to"] in gset]
    sub.blocks.append(Table(
        ["Date", "Deal", "Terms", "Sources"],
        [[d["date"] or "undated", f"{d['from_name']} "
          f"{'acquired' if d['kind'] == 'acquisition' else 'partnered with'} {d['to_name']}",
          d["terms"] or "not stated", _src_links(d["sources"], 2)] for d in ds],
        "Deals", sid + "-deals", empty="No deal of this company in the graph."))
    return sub


def basis_note(kg: KnowledgeGraph, agents: list[str]) -> str:
    """What the stage column rests on: the LM stage, or global status when the graph has none."""
    bases = {development_stage(kg, a)[1] for a in agents}
    return "stage: " + (", ".join(sorted(bases)) if bases else "—")


def build_report(kg: KnowledgeGraph, title: str = "Leptomeningeal metastases: the therapeutic "
                 "landscape") -> Report:
    """The report of ``kg``'s facts, section by section (see the module docstring)."""
    events = regulatory_events(kg)
    stats = kg.stats()
    meta = kg.meta
    prov = [f"{stats['total_entities']:,} entities and {stats['total_relations']:,} relations, "
            f"{round(stats['share_with_sources'] * 100)}% of relations with sources.",
            "Built " + (meta.get("built_at") or "at an unknown time") + " from "
            + ("the curated data" + ("".join(f", {s['name']}" for s in meta.get("sources", ())))
               ) + "."]
    drivers = ", ".join(DRIVERS)
    trials = trial_rows(kg)
    agents = kg.ids("Agent")
    ds = deals(kg)
    stages = Counter(development_stage(kg, a)[0] for a in agents)
    in_lm = sum(stages[x] for x in ("phase1", "phase2", "phase3"))
    gone = sorted(kg.name_of(a) for a in agents if kg.node(a).get("lm_stage") == "withdrawn")
    glance = [
        f"{len(agents)} agents: {stages['approved']} with an approval for a leptomeningeal "
        "indication in force"
        + (f" ({len(gone)} more approved for LM and withdrawn since: {', '.join(gone)})"
           if gone else "")
        + f", {in_lm} in LM trials (highest phase), {stages['none']} with neither "
        "(stage basis: " + (development_stage(kg, agents[0])[1] if agents else "-") + ");",
        f"{sum(e['lm'] for e in events)} approvals and designations for a leptomeningeal "
        f"indication among {len(events)} in all (section 2);",
        f"{sum(t['lm_specific'] for t in trials)} LM-specific trials among {len(trials)} "
        "(section 4);",
        f"{sum(d['kind'] == 'acquisition' for d in ds)} acquisitions and "
        f"{sum(d['kind'] == 'partnership' for d in ds)} partnerships (section 5);",
        f"{len(PROFILED)} company profiles, "
        f"{sum(1 for label, name in PROFILED if _has_lm(kg, events, name))} with an LM "
        "programme in the graph (section 6).",
    ]
    return Report(title, f"Every figure and table row links to its sources. Drivers: {drivers}.",
                  prov, [_epidemiology(kg), _regulatory(kg, events), _trends(kg), _trials(kg),
                         _competitive(kg, events), _profiles(kg, events)], glance)


def _has_lm(kg: KnowledgeGraph, events: list[dict[str, Any]], name: str) -> bool:
    sub = _profile(kg, events, name, name, group_members(kg), parent_of(kg),
                   {r["id"]: r for r in trial_rows(kg)}, [])
    return any(isinstance(b, Table) and b.caption == "LM programmes" for b in sub.blocks)


# -- HTML ----------------------------------------------------------------------------------------
def _cell_html(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, list):
        parts = []
        for link in cell:
            href = safe_href(link.href)
            title = f' title="{html.escape(link.title)}"' if link.title else ""
            if href:
                parts.append(f'<a href="{html.escape(href)}"{title}>{html.escape(link.label)}</a>')
            else:
                parts.append(f"<span{title}>{html.escape(link.label)}</span>")
        return ", ".join(parts)
    return html.escape(str(cell))


_NOWRAP = {"Date", "NCT", "Start", "Phase", "Total", "LM"}


def _block_html(block: Block) -> str:
    if isinstance(block, Para):
        cls = f' class="{block.cls}"' if block.cls else ""
        return f"<p{cls}>{html.escape(block.text)}</p>"
    if isinstance(block, Chart):
        see = (f' <a href="#{html.escape(block.table)}">Rows and their sources.</a>'
               if block.table else "")
        return (f'<figure id="{block.id}" class="chart">{block.svg}<figcaption><strong>'
                f"{html.escape(block.caption)}.</strong> {html.escape(block.source_note)}{see}"
                "</figcaption></figure>")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in block.columns)
    keep = [' class="nowrap"' if c in _NOWRAP else "" for c in block.columns]
    if not block.rows:
        body = f'<tr><td colspan="{len(block.columns)}" class="empty">{html.escape(block.empty)}</td></tr>'
    else:
        body = "".join("<tr>" + "".join(f"<td{k}>{_cell_html(c)}</td>"
                                        for k, c in zip(keep, row, strict=True)) + "</tr>"
                       for row in block.rows)
    cap = f"<caption>{html.escape(block.caption)}</caption>" if block.caption else ""
    return (f'<table id="{block.id}">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def _section_html(sec: Section, level: int = 2) -> str:
    parts = [f'<section id="{sec.id}" class="level{level}"><h{level}>{html.escape(sec.title)}'
             f"</h{level}>"]
    parts += [_block_html(b) for b in sec.blocks]
    parts += [_section_html(s, level + 1) for s in sec.subsections]
    parts.append("</section>")
    return "".join(parts)


def render_html(report: Report) -> str:
    """One self-contained, printable HTML page (no script, nothing fetched)."""
    toc = "".join(
        f'<li><a href="#{s.id}">{html.escape(s.title)}</a>'
        + ("<ol>" + "".join(f'<li><a href="#{x.id}">{html.escape(x.title)}</a></li>'
                            for x in s.subsections) + "</ol>" if s.subsections else "")
        + "</li>" for s in report.sections)
    body = "".join(_section_html(s) for s in report.sections)
    template = (HERE / "report.html").read_text(encoding="utf-8")
    parts = {"TITLE": html.escape(report.title), "SUBTITLE": html.escape(report.subtitle),
             "PROVENANCE": "".join(f"<p>{html.escape(p)}</p>" for p in report.provenance)
             + ("<h2>At a glance</h2><ul class=\"glance\">" + "".join(
                 f"<li>{html.escape(g)}</li>" for g in report.at_a_glance) + "</ul>"
                if report.at_a_glance else ""),
             "CSS": (HERE / "report.css").read_text(encoding="utf-8").replace("</", "<\\/"),
             "TOC": toc, "BODY": body}
    return re.sub(r"\{\{(TITLE|SUBTITLE|PROVENANCE|CSS|TOC|BODY)\}\}",
                  lambda m: parts[m.group(1)], template)


# -- Markdown ------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _cell_md(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, list):
        out = []
        for link in cell:
            href = safe_href(link.href)
            label = _md_escape(link.label).replace("[", "(").replace("]", ")")
            out.append(f"[{label}]({href.replace(')', '%29').replace(' ', '%20')})" if href
                       else label)
        return ", ".join(out)
    return _md_escape(str(cell))


def render_markdown(report: Report) -> str:
    """The same report in GitHub Markdown (charts are described by their data tables)."""
    lines = [f"# {report.title}", "", report.subtitle, "", *report.provenance, ""]
    if report.at_a_glance:
        lines += ["**At a glance**", "", *[f"- {g}" for g in report.at_a_glance], ""]

    def section(sec: Section, level: int) -> None:
        lines.extend([f"{'#' * level} {sec.title}", ""])
        for b in sec.blocks:
            if isinstance(b, Para):
                lines.extend([_md_escape(b.text), ""])
            elif isinstance(b, Chart):
                lines.extend([f"*Figure: {b.caption}.* {b.source_note} (Drawn in the HTML "
                              "report: `lmkg report -o FILE.html`.)", ""])
            else:
                if b.caption:
                    lines.extend([f"**{_md_escape(b.caption)}**", ""])
                if not b.rows:
                    lines.extend([_md_escape(b.empty), ""])
                    continue
                lines.append("| " + " | ".join(_md_escape(c) for c in b.columns) + " |")
                lines.append("|" + "---|" * len(b.columns))
                for row in b.rows:
                    lines.append("| " + " | ".join(_cell_md(c) for c in row) + " |")
                lines.append("")
        for s in sec.subsections:
            section(s, level + 1)

    for s in report.sections:
        section(s, 2)
    return "\n".join(lines) + "\n"


def write_report(kg: KnowledgeGraph, path: str | Path, fmt: str = "html") -> Report:
    """Write the report of ``kg`` to ``path`` (``html`` or ``md``) atomically; return it."""
    from lmkg.atomic import atomic_write

    report = build_report(kg)
    text = render_html(report) if fmt == "html" else render_markdown(report)
    with atomic_write(path) as fh:
        fh.write(text)
    return report
