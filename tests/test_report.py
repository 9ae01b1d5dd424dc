"""The landscape report: its sections in the market reports' order, a profile per named company,
sources on every row, and the page itself in chromium (offline, no console error, prints)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from lmkg.viz.report import NO_LM_PROGRAMME, PROFILED, Para, Table, build_report, render_html


@pytest.fixture(scope="module")
def report(kg):
    return build_report(kg)


def _blocks(sec):
    for b in sec.blocks:
        yield sec, b
    for s in sec.subsections:
        yield from _blocks(s)


def test_sections_follow_the_market_reports_order(report):
    titles = [s.title for s in report.sections]
    assert titles == ["1. Epidemiology by cancer", "2. Regulatory landscape",
                      "3. Key trends and drivers", "4. Clinical-trial analysis",
                      "5. Competitive landscape", "6. Company profiles"]


def test_every_sourced_row_links_to_a_source(report):
    rows = 0
    for s in report.sections:
        for sec, b in _blocks(s):
            if isinstance(b, Table) and b.columns[-1].startswith("Sources"):
                for row in b.rows:
                    rows += 1
                    links = row[-1] or []
                    assert any(link.href and link.href.startswith(("https://", "http://"))
                               for link in links), (sec.title, b.caption, row[:3])
    assert rows > 300


def test_one_profile_per_named_company(report):
    profiles = report.sections[-1].subsections
    assert [p.title for p in profiles] == [label for label, _name in PROFILED]
    assert len(profiles) == 19
    for p in profiles:
        has_lm = any(isinstance(b, Table) and b.caption == "LM programmes" for b in p.blocks)
        says_none = any(isinstance(b, Para) and NO_LM_PROGRAMME in b.text for b in p.blocks)
        assert has_lm != says_none, p.title


def _profile(report, title):
    return next(p for p in report.sections[-1].subsections if p.title == title)


def _lm_programmes(report, title):
    p = _profile(report, title)
    tables = [b for b in p.blocks if isinstance(b, Table) and b.caption == "LM programmes"]
    return {row[0] for row in tables[0].rows} if tables else set()


@pytest.mark.parametrize(("company", "programme"), [
    ("Plus Therapeutics", "rhenium (186Re) obisbemeda"),   # ReSPECT-LM, FDA fast track for LM
    ("Y-mAbs Therapeutics", "omburtamab"),                  # CNS/LM metastasis from neuroblastoma
    ("Angiochem", "ANG1005"),
    ("Seagen", "tucatinib"),                                # TBCRC 049
    ("Pfizer", "tucatinib"),                                # Seagen is Pfizer's since 2023
    ("AstraZeneca", "osimertinib"),
    ("Daiichi Sankyo", "trastuzumab deruxtecan"),
])
def test_profiles_name_the_lm_programmes_an_expert_expects(report, company, programme):
    assert programme in _lm_programmes(report, company)


@pytest.mark.parametrize("company", ["AbbVie", "BioMarin", "Regeneron"])
def test_companies_without_an_lm_programme_say_so(report, company):
    assert _lm_programmes(report, company) == set()
    assert any(isinstance(b, Para) and b.text == NO_LM_PROGRAMME
               for b in _profile(report, company).blocks)


def test_group_membership_is_stated(report):
    seagen = " ".join(b.text for b in _profile(report, "Seagen").blocks if isinstance(b, Para))
    assert "acquired by Pfizer Inc. (2023-12-14)" in seagen
    az = " ".join(b.text for b in _profile(report, "AstraZeneca").blocks if isinstance(b, Para))
    assert "AstraZeneca Pharmaceuticals LP" in az
    merck = " ".join(b.text for b in _profile(report, "Merck & Co. (MSD)").blocks
                     if isinstance(b, Para))
    assert merck.startswith("Merck & Co., Inc.") and "KGaA" not in merck


def test_the_lm_designations_table_holds_only_lm_indications(report):
    reg = report.sections[1]
    lm = next(b for b in reg.blocks if isinstance(b, Table) and b.id == "reg-lm")
    assert lm.rows
    for row in lm.rows:
        text = str(row[4]).casefold()
        assert any(w in text for w in ("leptomening", "lymphomatous meningitis",
                                       "neoplastic meningitis", "cns/leptomeningeal")), row


def test_cli_writes_html_and_markdown(cli, tmp_path):
    html_out, md_out = tmp_path / "r.html", tmp_path / "r.md"
    res = cli("report", "-o", str(html_out))
    assert res.exit_code == 0, res.output
    assert "19 company profiles" in res.output
    page = html_out.read_text(encoding="utf-8")
    assert page.count("<svg") >= 3 and "<script" not in page
    res = cli("report", "-o", str(md_out))
    assert res.exit_code == 0, res.output
    md = md_out.read_text(encoding="utf-8")
    assert md.count("\n### ") == 19
    assert "[PubMed " in md and "](https://pubmed.ncbi.nlm.nih.gov/" in md


def test_report_opens_offline_and_prints(report, chromium, tmp_path):
    import pypdf

    path = tmp_path / "lm-landscape.html"
    path.write_text(render_html(report), encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    url = Path(path).resolve().as_uri()
    page.goto(url)
    assert errors == []
    assert requests == [url], "the report must not request anything but itself"
    hrefs = page.locator("a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    assert page.locator("section.level3").count() == 19
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Six sections, each starting a page, 19 profiles and the long tables: tens of pages.
    assert 20 <= pages <= 150, pages
    first = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Leptomeningeal metastases" in first and "Contents" in first
    page.close()
