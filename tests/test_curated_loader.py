"""The curated YAML loader: every kind of bad input is reported with file, line, record, field."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from lmkg.loaders import get_loader

GOOD = textwrap.dedent("""\
    genes:
      - id: gene/egfr
        name: EGFR
        symbol: EGFR
    biomarkers:
      - id: biomarker/egfr-t790m
        name: EGFR T790M
        kind: mutation
        gene: gene/egfr
        sources:
          - id: PMID:25923549
    agents:
      - id: agent/osimertinib
        name: osimertinib
        synonyms: [Tagrisso, AZD9291]
        status: approved
        relations:
          - rel: TARGETS
            to: biomarker/egfr-t790m
            sources:
              - id: PMID:25923549
    publications:
      - id: publication/pmid-25923549
        name: AZD9291 in EGFR inhibitor-resistant non-small-cell lung cancer
        xrefs: [PMID:25923549]
    """)

# One of each kind of error; a trailing "# E: field | reason" marks where each must be reported.
BAD = textwrap.dedent("""\
    agents:
      - id: agent/erlotinib
        name: erlotinib
        status: aproved  # E: status | invalid value 'aproved'
      - id: agent/gefitinib
        name: gefitinib
        status: approved
        xrefs: [PMID:abc]  # E: xrefs.0 | malformed PMID identifier 'abc'
      - id: agent/afatinib
        name: afatinib
        status: approved
        synonyms: 5  # E: synonyms | wrong type
      - id: agent/dacomitinib
        name: dacomitinib
        status: approved
      - id: agent/dacomitinib
        name: dacomitinib (again, differently)  # E: name | duplicate id lmkg:agent/dacomitinib with conflicting fields
        status: approved
      - id: agent/lazertinib
        name: lazertinib
        status: approved
    relations:
      - from: agent/lazertinib
        rel: TARGETS
        to: biomarker/does-not-exist  # E: to | unknown reference: lmkg:biomarker/does-not-exist does not exist
        sources: [{id: PMID:25923549}]
      - from: agent/lazertinib  # E: sources | missing source
        rel: TARGETS
        to: gene/egfr
      - from: agent/lazertinib
        rel: TARGETS
        to: publication/pmid-25923549  # E: to | wrong type: TARGETS cannot point to a Publication
        sources: [{id: PMID:25923549}]
      - from: agent/lazertinib
        rel: TARGETS
        to: gene/egfr
        sources: [{id: PMID:99999999}]  # E: sources.0 | source PMID:99999999 is cited but not declared
      - from: agent/lazertinib
        rel: TARGETS
        to: gene/egfr
        sources: [{id: NCT:NCT123}]  # E: sources.0.id | malformed NCT identifier
    """)
EXPECTED = {
    n: tuple(x.strip() for x in line.split("# E:")[1].split("|", 1))
    for n, line in enumerate(BAD.splitlines(), 1) if "# E:" in line
}


def write(tmp_path: Path, **files: str) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    return d


def problems_by_line(result):
    return {(p.file.split("/")[-1], p.line): p for p in result.problems}


def test_good_data_loads_without_problems(tmp_path):
    res = get_loader("curated").load(write(tmp_path, **{"good.yaml": GOOD}))
    assert res.problems == []
    assert {e.id for e in res.entities} == {
        "lmkg:gene/egfr", "lmkg:biomarker/egfr-t790m", "lmkg:agent/osimertinib",
        "lmkg:publication/pmid-25923549"}
    assert [r.key for r in res.relations] == [
        ("lmkg:agent/osimertinib", "TARGETS", "lmkg:biomarker/egfr-t790m")]


def test_each_kind_of_error_has_file_line_field_and_reason(tmp_path):
    res = get_loader("curated").load(write(tmp_path, **{"good.yaml": GOOD, "bad.yaml": BAD}))
    got = problems_by_line(res)
    assert len(EXPECTED) == 9
    for line, (field, reason) in EXPECTED.items():
        p = got.get(("bad.yaml", line))
        assert p is not None, f"no problem reported at bad.yaml:{line}; got {sorted(got)}"
        assert p.field == field
        assert reason in p.reason
        assert p.severity == "error"
    # Exactly these problems, no noise.
    assert {line for (f, line) in got if f == "bad.yaml"} == set(EXPECTED)
    # The conflicting duplicate rejects both copies; nothing is dropped silently: every
    # record of bad.yaml is loaded or rejected with its reasons.
    rejected = [r for r in res.rejected if r.file.endswith("bad.yaml")]
    assert sum(1 for r in rejected if r.record == "lmkg:agent/dacomitinib") == 2
    assert all(r.reasons for r in rejected)
    loaded_bad = [e for e in res.entities if e.id in {"lmkg:agent/lazertinib"}]
    assert len(loaded_bad) == 1
    assert len(rejected) == 3 + 2 + 5  # 3 bad agents, 2 duplicates, 5 bad relations


def test_identical_duplicate_is_harmless(tmp_path):
    res = get_loader("curated").load(write(tmp_path, **{"a.yaml": GOOD, "b.yaml": GOOD}))
    assert res.errors == []


def test_yaml_syntax_error_and_repeated_key(tmp_path):
    d = write(tmp_path, **{
        "broken.yaml": "agents:\n  - id: agent/x\n    name: [unclosed\n",
        "twice.yaml": "genes:\n  - id: gene/egfr\n    name: EGFR\n    name: ERBB1\n    symbol: EGFR\n",
    })
    res = get_loader("curated").load(d)
    msgs = {(p.file.split("/")[-1], p.line): p.reason for p in res.problems}
    assert any(f == "broken.yaml" and "not valid YAML" in r for (f, _), r in msgs.items())
    assert "appears twice" in msgs[("twice.yaml", 4)]


def test_unknown_section_and_field(tmp_path):
    d = write(tmp_path, **{"x.yaml": "drugs:\n  - id: agent/x\nagents:\n  - id: agent/y\n"
                                     "    name: y\n    status: approved\n    colour: red\n"})
    res = get_loader("curated").load(d)
    reasons = {p.line: p.reason for p in res.problems}
    assert "unknown section 'drugs'" in reasons[1]
    assert "unknown field 'colour'" in reasons[7]


def test_id_kind_must_match_section(tmp_path):
    d = write(tmp_path, **{"x.yaml": "agents:\n  - id: gene/egfr\n    name: e\n    status: approved\n"})
    res = get_loader("curated").load(d)
    assert any("must start with lmkg:agent/" in p.reason for p in res.problems)


def test_not_utf8_is_reported(tmp_path):
    d = tmp_path / "data"
    d.mkdir()
    (d / "latin1.yaml").write_bytes("genes:\n  - id: gene/x\n    name: caf\xe9\n".encode("latin-1"))
    res = get_loader("curated").load(d)
    assert res.problems and "not UTF-8" in res.problems[0].reason


def test_shipped_data_is_valid():
    root = Path(__file__).resolve().parent.parent / "data"
    res = get_loader("curated").load(root)
    assert res.errors == [], "\n".join(map(str, res.errors[:20]))
    assert res.entities and res.relations


def test_copy_of_shipped_data_with_errors(tmp_path):
    """`lmkg validate` on a copy of the real data with one of each error: all found."""
    root = Path(__file__).resolve().parent.parent / "data"
    copy = tmp_path / "data"
    shutil.copytree(root, copy)
    bad = BAD.replace("agent/", "agent/zz-")  # no clash with real agents
    (copy / "zz_bad.yaml").write_text(bad, encoding="utf-8")
    res = get_loader("curated").load(copy)
    lines = {p.line for p in res.problems if p.file.endswith("zz_bad.yaml")}
    assert lines == set(EXPECTED)


def test_cns_evidence_names_the_cancer_it_was_shown_in(tmp_path):
    agent = textwrap.dedent("""\
        cancers:
          - id: cancer/nsclc
            name: non-small cell lung cancer
        agents:
          - id: agent/lazertinib
            name: lazertinib
            status: approved
            cns_evidence:
              - level: intracranial_response
                metric: intracranial ORR
                value: 0.5
                cancer: cancer/nsclc
                biomarker: biomarker/egfr-t790m
                patients: 22
                source: {id: PMID:25923549}
              - level: intracranial_response
                metric: intracranial ORR
                value: 0.5
                cancer: cancer/breast  # E: cns_evidence.1.cancer | unknown reference: cancer lmkg:cancer/breast does not exist
                source: {id: PMID:25923549}
              - level: intracranial_response
                metric: intracranial ORR
                value: 0.5
                cancer: gene/egfr  # E: cns_evidence.2.cancer | wrong type: cancer must be a cancer id
                source: {id: PMID:25923549}
        """)
    res = get_loader("curated").load(write(tmp_path, **{"good.yaml": GOOD, "cns.yaml": agent}))
    got = problems_by_line(res)
    want = {n: tuple(x.strip() for x in line.split("# E:")[1].split("|", 1))
            for n, line in enumerate(agent.splitlines(), 1) if "# E:" in line}
    assert {line for (f, line) in got if f == "cns.yaml"} == set(want)
    for line, (field, reason) in want.items():
        assert got[("cns.yaml", line)].field == field
        assert reason in got[("cns.yaml", line)].reason


ASSOCIATIONS = textwrap.dedent("""\
    cancers:
      - id: cancer/nsclc
        name: non-small cell lung cancer
      - id: cancer/melanoma
        name: melanoma
    relations:
      - from: biomarker/egfr-t790m
        rel: PREDICTS_RESPONSE
        to: agent/osimertinib
        direction: sensitivity
        tier: approved
        cancer: cancer/nsclc
        sources: [{id: PMID:25923549}]
      - from: biomarker/egfr-t790m
        rel: PREDICTS_RESPONSE
        to: agent/osimertinib
        direction: resistance
        tier: case_report
        cancer: cancer/melanoma
        sources: [{id: PMID:25923549}]
      - from: biomarker/egfr-t790m
        rel: PREDICTS_RESPONSE
        to: agent/osimertinib
        direction: sensitivity
        tier: trial  # E: tier | invalid value 'trial'
        sources: [{id: PMID:25923549}]
      - from: biomarker/egfr-t790m
        rel: PREDICTS_RESPONSE
        to: agent/osimertinib
        direction: resistance
        tier: clinical_trial
        cancer: cancer/glioma  # E: cancer | unknown reference
        sources: [{id: PMID:25923549}]
      - from: biomarker/egfr-t790m
        rel: PREDICTS_RESPONSE
        to: agent/osimertinib
        direction: resistance
        tier: clinical_trial
        cancer: gene/egfr  # E: cancer | wrong type
        sources: [{id: PMID:25923549}]
      - from: biomarker/egfr-t790m
        rel: SUBTYPE_OF
        to: cancer/nsclc  # E: to | wrong type: SUBTYPE_OF joins two entities of one type
        sources: [{id: PMID:25923549}]
    """)


def test_predictive_associations_are_checked_and_one_pair_holds_several(tmp_path):
    d = write(tmp_path, **{"good.yaml": GOOD, "assoc.yaml": ASSOCIATIONS})
    res = get_loader("curated").load(d)
    expected = {n: tuple(x.strip() for x in line.split("# E:")[1].split("|", 1))
                for n, line in enumerate(ASSOCIATIONS.splitlines(), 1) if "# E:" in line}
    found = {p.line: p for p in res.problems if p.file.endswith("assoc.yaml")}
    assert set(found) == set(expected), [(p.line, p.field, p.reason) for p in res.problems]
    for line, (fieldname, reason) in expected.items():
        assert found[line].field == fieldname and found[line].reason.startswith(reason), found[line]
    keys = sorted(r.key[1] for r in res.relations if r.predicate.value == "PREDICTS_RESPONSE")
    assert keys == ["PREDICTS_RESPONSE|direction=resistance|cancer=lmkg:cancer/melanoma",
                    "PREDICTS_RESPONSE|direction=sensitivity|cancer=lmkg:cancer/nsclc"]


def test_one_unreadable_file_is_named_behind_the_references_it_breaks(tmp_path):
    """QA 19: a YAML syntax error in the file that defines osimertinib makes every reference to
    it in other files unknown; each of those errors says it follows from that file."""
    root = Path(__file__).resolve().parent.parent / "data"
    copy = tmp_path / "data"
    shutil.copytree(root, copy)
    f = copy / "agents" / "lung_tki.yaml"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    f.write_text("".join([*lines[:25], "    note: [unclosed\n", *lines[25:]]), encoding="utf-8")
    res = get_loader("curated").load(copy)
    syntax = [p for p in res.errors if p.file.endswith("agents/lung_tki.yaml")]
    assert len(syntax) == 1 and "not valid YAML" in syntax[0].reason
    shown = syntax[0].file
    cascade = [p for p in res.errors if "lmkg:agent/amivantamab does not exist" in p.reason]
    assert cascade, [str(p) for p in res.errors[:5]]
    assert all(p.reason.endswith(f"(it is defined in {shown}, which could not be read: fix "
                                 "that file first)") for p in cascade)
    # Every other error names the unreadable file: unknown references and sources it declares.
    others = [p for p in res.errors if p is not syntax[0]]
    assert others and all(shown in p.reason for p in others), \
        [str(p) for p in others if shown not in p.reason]
