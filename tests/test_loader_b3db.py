"""B3DB loader on the real extract in ../shared/data/b3db, and on malformed input."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmkg.loaders import get_loader

B3DB = Path(__file__).resolve().parents[2] / "shared" / "data" / "b3db"
HEADER = ("NO.\tcompound_name\tIUPAC_name\tSMILES\tCID\tlogBB\tBBB+/BBB-\tInchi\tthreshold\t"
          "reference\tgroup\tcomments\n")


@pytest.fixture(scope="module")
def result():
    return get_loader("b3db").load(B3DB)


def _evidence(result, name: str) -> list[tuple[str, str]]:
    return [(it.record, it.entity.cns_evidence[0].direction) for it in result.items
            if it.entity.name.casefold() == name]


def test_every_row_is_accounted_for(result):
    assert result.read == 7807 + 1058 + 175
    assert result.read == len(result.items) + len(result.rejected)
    assert not result.errors


def test_duplicates_with_conflicting_labels_are_reported_and_both_kept(result):
    for name in ("thiotepa", "paclitaxel"):
        warning = [p for p in result.warnings if p.record == name]
        assert len(warning) == 1, name
        assert "BBB+" in warning[0].reason and "BBB-" in warning[0].reason
        kept = _evidence(result, name)
        assert {d for _, d in kept} == {"supports", "refutes"}  # both verdicts kept
    assert {r for r, _ in _evidence(result, "thiotepa")} == {
        "B3DB_classification.tsv:4049", "B3DB_classification.tsv:4145"}


def test_agreeing_duplicates_are_not_conflicts(result):
    # moxalactam: BBB- twice and logBB -2.52 (below B3DB's -1 threshold) all say the same
    assert not [p for p in result.warnings if p.record == "moxalactam"]
    assert {d for _, d in _evidence(result, "moxalactam")} == {"refutes"}


def test_no_rows_for_newer_tkis(result):
    names = {it.entity.name.casefold() for it in result.items}
    for tki in ("osimertinib", "tucatinib", "lorlatinib", "alectinib"):
        assert tki not in names


def test_external_file_with_bom_reads_its_first_column(result):
    ext = [it for it in result.items if it.record.startswith("B3DB_classification_external")]
    rej = [r for r in result.rejected if r.file == "B3DB_classification_external.tsv"]
    assert len(ext) + len(rej) == 175
    assert not [p for p in result.problems if "external" in p.file]
    # the record id comes from the NO. column, which a BOM would have hidden as "\ufeffNO."
    assert ext[0].record == "B3DB_classification_external.tsv:1"


def test_evidence_carries_provenance(result):
    mtx = next(it.entity for it in result.items if it.record == "B3DB_classification.tsv:45")
    assert mtx.name == "methotrexate"
    ev = mtx.cns_evidence[0]
    assert (ev.level.value, ev.direction, ev.value) == ("preclinical", "refutes", "BBB- (logBB -1.5)")
    assert ev.source.dataset == "b3db" and ev.source.record == "B3DB_classification.tsv:45"
    assert "PUBCHEM.COMPOUND:126941" in mtx.xrefs


def test_logbb_uses_b3db_threshold(tmp_path):
    f = tmp_path / "reg.tsv"
    f.write_text("NO.\tcompound_name\tlogBB\n1\ta\t-0.99\n2\tb\t-1.01\n3\tc\tn/a\n")
    r = get_loader("b3db").load(f)
    assert [it.entity.cns_evidence[0].direction for it in r.items] == ["supports", "refutes"]
    assert r.rejected[0].line == 4 and "not a number" in r.rejected[0].reasons[0]


def test_wrong_columns(tmp_path):
    f = tmp_path / "x.tsv"
    f.write_text("name\tvalue\nfoo\t1\n")
    r = get_loader("b3db").load(f)
    assert [(p.file, p.line) for p in r.errors] == [("x.tsv", 1)]
    assert "wrong columns: missing compound_name, logBB" in r.errors[0].reason


def test_latin1_bytes_name_the_line(tmp_path):
    f = tmp_path / "x.tsv"
    rows = "".join(f"{i}\tcompound {i}\t\t\t\t\tBBB+\t\t\t\t\t\n" for i in range(1, 6))
    f.write_bytes((HEADER + rows).encode() + "6\tcaf\xe9ine\t\t\t\t\tBBB+\t\t\t\t\t\n".encode("latin-1"))
    r = get_loader("b3db").load(f)
    assert len(r.errors) == 1
    p = r.errors[0]
    assert (p.file, p.line) == ("x.tsv", 7)
    assert "not UTF-8" in p.reason and "0xe9" in p.reason
    assert "x.tsv:7" in str(p)


def test_truncated_file_keeps_complete_rows(tmp_path):
    f = tmp_path / "x.tsv"
    f.write_text(HEADER + "1\tfoo\t\t\t\t\tBBB+\t\t\t\t\t\n2\tbar\t\t\t\t\tBB")
    r = get_loader("b3db").load(f)
    assert [it.entity.name for it in r.items] == ["foo"]
    # the cut row is invalid (7 of 12 fields), and the file is said to be truncated
    assert r.rejected[0].line == 3 and r.rejected[0].reasons == ["7 fields where the header has 12"]
    assert r.read == 2
    assert [(e.line, "truncated?" in e.reason) for e in r.errors] == [(3, True)]


def test_empty_directory(tmp_path):
    r = get_loader("b3db").load(tmp_path)
    assert "no .tsv files found" in r.errors[0].reason
