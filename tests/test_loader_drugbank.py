"""DrugBank open-vocabulary loader on the real sample in ../shared/data/drugbank, and malformed
input."""

from __future__ import annotations

from pathlib import Path

from lmkg.loaders import get_loader

DRUGBANK = Path(__file__).resolve().parents[2] / "shared" / "data" / "drugbank"
FILE = DRUGBANK / "drugbank_open_vocabulary_sample.csv"


def test_real_sample():
    r = get_loader("drugbank").load(DRUGBANK)
    assert (r.read, len(r.items), r.rejected, r.problems) == (7, 7, [], [])
    cis = {it.record: it.entity for it in r.items}["DB00515"]
    assert cis.name == "Cisplatin"
    assert set(cis.xrefs) == {"DRUGBANK:DB00515", "CAS:15663-27-1", "UNII:Q20Q21Q62J",
                              "INCHIKEY:LXZZYRPGZAFOLE-UHFFFAOYSA-L"}
    assert "CDDP" in cis.synonyms and "Cisplatin" not in cis.synonyms  # the name is not a synonym
    assert cis.sources[0].url == "https://go.drugbank.com/drugs/DB00515"
    aloe = {it.record: it.entity for it in r.items}["DB14257"]
    assert not any(x.startswith("CAS:") for x in aloe.xrefs)  # empty CAS left out, no warning


def test_invalid_identifier_is_a_warning_and_left_out(tmp_path):
    lines = FILE.read_text(encoding="utf-8").splitlines(keepends=True)
    f = tmp_path / "x.csv"
    f.write_text(lines[0] + lines[1].replace("Q20Q21Q62J", "not-a-unii"), encoding="utf-8")
    r = get_loader("drugbank").load(f)
    assert [(p.line, p.record, p.severity) for p in r.problems] == [(2, "DB00515", "warning")]
    assert "UNII 'not-a-unii' is not a valid UNII identifier" in r.problems[0].reason
    assert not any(x.startswith("UNII:") for x in r.items[0].entity.xrefs)


def test_wrong_columns(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("id,name\nDB1,x\n")
    r = get_loader("drugbank").load(f)
    assert (r.errors[0].file, r.errors[0].line) == ("x.csv", 1)
    assert "wrong columns: missing CAS, Common name" in r.errors[0].reason


def test_latin1_bytes_name_the_line(tmp_path):
    raw = FILE.read_bytes().splitlines(keepends=True)
    raw[3] = raw[3].replace(b"Amifostina", "Amifost\xedna".encode("latin-1"))
    f = tmp_path / "l1.csv"
    f.write_bytes(b"".join(raw))
    r = get_loader("drugbank").load(f)
    assert [(p.file, p.line) for p in r.errors] == [("l1.csv", 4)]


def test_truncated_file(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text(FILE.read_text(encoding="utf-8")[:400], encoding="utf-8")
    r = get_loader("drugbank").load(f)
    assert r.read == len(r.items) + len(r.rejected) and r.read >= 2
    assert all(it.entity.name for it in r.items)


def test_missing_name_is_rejected_with_line(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text(FILE.read_text(encoding="utf-8").splitlines()[0]
                 + "\nDB00001,,,,,,\n", encoding="utf-8")
    r = get_loader("drugbank").load(f)
    assert [(x.line, x.record, x.reasons) for x in r.rejected] == [
        (2, "DB00001", ["DrugBank ID or Common name is empty"])]
