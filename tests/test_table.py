"""The table writer: widths, cuts, row height, --wide, and what reaches the terminal."""

from __future__ import annotations

import pytest

from lmkg.cli.table import (
    ELLIPSIS,
    clean,
    column_widths,
    cut,
    fit,
    render,
    terminal_width,
    width_of,
    wrap,
)

LONG = ("intracranial radiological improvement (LM, BLOOM 160 mg) 7 of 21 patients (BLOOM "
        "phase I, pretreated EGFR-mutant NSCLC with leptomeningeal disease, osimertinib 160 mg "
        "once daily (n=21), no concomitant radiotherapy or intrathecal chemotherapy)")
ROWS = [
    {"rank": i, "agent": name, "status": "approved", "cns_level": "intracranial_response",
     "evidence": LONG, "sources": ["DOI:10.21037/atm.2018.12.68 (general)",
                                   "https://biomed.reviewer.ly/app/publication/9131ec0c-0224 "
                                   "(general, secondary)", "PMID:30355049 (lm)"]}
    for i, name in enumerate(["osimertinib", "furmonertinib", "liposomal cytarabine"], 1)
]
COLS = ["rank", "agent", "status", "cns_level", "evidence", "sources"]


def rows_of(text: str) -> list[list[str]]:
    """The body rows of a rendered table (rows are separated by blank lines when tall)."""
    body = text.split("\n")[text.split("\n").index(next(ln for ln in text.split("\n")
                                                        if ln.startswith("─"))) + 1:]
    rows, cur = [], []
    for line in body:
        if line == "":
            if cur:
                rows.append(cur)
            cur = []
        else:
            cur.append(line)
    return rows + ([cur] if cur else [])


@pytest.mark.parametrize("width", [60, 80, 100, 132])
def test_every_line_fits_and_no_row_is_taller_than_three(width):
    text = render(ROWS, COLS, title="Agents targeting EGFR", width=width)
    assert max(width_of(line) for line in text.splitlines()) <= width
    body = rows_of(text)
    assert len(body) == len(ROWS)
    assert all(len(r) <= 3 for r in body)
    assert ELLIPSIS in text  # the evidence was cut, visibly


def test_words_are_not_split_when_the_columns_have_room():
    text = render(ROWS, COLS, width=100)
    for word in ("osimertinib", "furmonertinib", "approved", "cytarabine"):
        assert word in text
    assert "intracranial_" in text and "response" in text  # split at its underscore only


def test_a_table_that_fits_is_printed_whole_on_one_line_a_row():
    rows = [{"a": "x", "b": "short text"}, {"a": "y", "b": "more"}]
    assert render(rows, ["a", "b"], width=100).splitlines() == [
        "a  b", "─  ──────────", "x  short text", "y  more"]


def test_wide_keeps_every_cell_whole_on_one_line():
    text = render(ROWS, COLS, width=100, wide=True)
    lines = text.splitlines()
    assert len(lines) == 2 + len(ROWS)
    assert all(LONG in line for line in lines[2:])
    assert "PMID:30355049 (lm)" in lines[2] and ELLIPSIS not in text


def test_numbers_are_right_aligned_and_lists_joined():
    text = render([{"n": 5, "xs": ["a", "b"]}, {"n": 120, "xs": []}], ["n", "xs"], width=40)
    assert text.splitlines()[2:] == ["  5  a; b", "120"]


def test_control_characters_are_shown_not_obeyed():
    text = render([{"name": "evil\x1b]0;pwned\x07\u202eabc\nnext"}], ["name"], width=100)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "\\x1b]0;pwned\\x07\\u202eabc next" in text


@pytest.mark.parametrize("text,width,expected", [
    ("third-generation EGFR TKI", 11, ["third-", "generation", "EGFR TKI"]),
    ("intracranial_response", 13, ["intracranial_", "response"]),
    ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ("", 5, [""]),
])
def test_wrap(text, width, expected):
    assert wrap(text, width) == expected


def test_fit_cuts_the_third_line_with_an_ellipsis():
    lines = fit(LONG, 20, 3)
    assert len(lines) == 3 and lines[-1].endswith(ELLIPSIS)
    assert all(width_of(x) <= 20 for x in lines)


def test_cut_and_wide_characters():
    assert cut("osimertinib", 6) == "osime" + ELLIPSIS
    assert cut("short", 10) == "short"
    assert width_of("中文") == 4 and width_of(cut("中文中文", 5)) <= 5


def test_column_widths_keep_narrow_columns_and_share_by_what_each_lacks():
    # the spare 36 columns go 40:50 to the two columns short of their text
    assert column_widths([4, 50, 60], [4, 10, 10], 60) == [4, 26, 30]
    assert column_widths([4, 5], [4, 5], 60) == [4, 5]
    # prose columns give up width before one-word columns do
    w = column_widths([13, 40, 40], [13, 14, 14], 36, [False, True, True])
    assert w[0] == 13 and sum(w) == 36


@pytest.mark.parametrize("env,expected", [("100", 100), ("72", 72), ("", 100), ("zero", 100),
                                          ("0", 100)])
def test_width_is_columns_else_the_terminal_else_100(monkeypatch, env, expected):
    monkeypatch.setenv("COLUMNS", env)

    class Pipe:
        def isatty(self) -> bool:
            return False

    assert terminal_width(Pipe()) == expected


def test_clean_keeps_ordinary_unicode():
    assert clean("≥ 50% — μg/L") == "≥ 50% — μg/L"


def test_no_rows_prints_the_header_only():
    # (a header wraps onto two lines at most)
    assert render([], ["name", "a long column name"], width=12).splitlines() == [
        "name a long", "     column…", "──── ───────"]


def test_headers_break_at_underscores_never_inside_a_word():
    rows = [{"company": "Shanghai Allist Pharmaceuticals", "subsidiaries": s,
             "cns_penetrant": 1, "agent_names": "furmonertinib (approved)"} for s in "xyz"]
    text = render(rows, ["company", "subsidiaries", "cns_penetrant", "agent_names"], width=60)
    head = text.splitlines()[:2]
    assert "subsidiaries" in head[0] and "cns_" in head[0] and "penetrant" in head[1]
    assert "furmonertinib" in text  # a drug name (up to 20 wide) is not split either


def test_a_column_the_same_on_every_row_is_said_once_when_the_table_does_not_fit():
    rows = [{"name": n, "topic": "treatment", "for": "for", "cancer": None, "n": 1, "text": LONG}
            for n in ("alectinib", "osimertinib", "lorlatinib")]
    cols = ["name", "topic", "for", "cancer", "n", "text"]
    text = render(rows, cols, width=80)
    lines = text.splitlines()
    assert lines[0] == "every row: topic = treatment; for = for; cancer = -"
    assert lines[1].split() == ["name", "n", "text"]  # numbers and the first column stay
    assert max(width_of(x) for x in lines) <= 80
    # a table that fits keeps every column
    assert render(rows, cols[:5], width=80).splitlines()[0].split() == cols[:5]
    # two rows are not enough to call a column constant; an empty one is said all the same
    two = render(rows[:2], cols, width=80).splitlines()
    assert two[0] == "every row: cancer = -"
    assert two[1].split() == ["name", "topic", "for", "n", "text"]


def test_the_free_text_column_gets_most_of_the_width():
    rows = [{"guideline": "EANO-ESMO LM 2017", "recommends": "osimertinib", "text": LONG},
            {"guideline": "CNS 2025", "recommends": "intrathecal trastuzumab", "text": LONG}]
    text = render(rows, ["guideline", "recommends", "text"], width=80)
    start = text.splitlines()[0].index("text")
    assert 80 - start >= 50
    names = " ".join(line[:start] for line in text.splitlines()[2:])
    assert ELLIPSIS not in names  # the short cells are whole (wrapped at spaces)
    assert names.split() == "EANO-ESMO osimertinib LM 2017 CNS 2025 intrathecal trastuzumab".split()


def test_a_url_is_cut_on_its_own_line_not_wrapped():
    url = "https://www.accessdata.fda.gov/drugsatfda_docs/label/2020/208065s020lbl.pdf"
    rows = [{"agent": "osimertinib", "sources": f"PMID:30355049; {url}", "text": LONG}]
    text = render(rows, ["agent", "sources", "text"], width=70)
    head = text.splitlines()[0]
    a, b = head.index("sources"), head.index("text")
    cell = [line[a:b].strip() for line in rows_of(text)[0]]
    assert any(c.startswith("https://www.") and c.rstrip().endswith(ELLIPSIS) for c in cell)
    assert not any(c.strip().startswith(("fda.gov", ".gov", "label/")) for c in cell)
