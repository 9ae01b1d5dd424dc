"""ClinicalTrials.gov loader on the real API v2 records in ../shared/data, and malformed input."""

from __future__ import annotations

import json
from pathlib import Path

from lmkg.loaders import get_loader

CT = Path(__file__).resolve().parents[2] / "shared" / "data" / "clinicaltrials"


def _load(path: Path, **options):
    # The three format fixtures are not LM trials: read them all (lm_only=False).
    options.setdefault("lm_only", False)
    return get_loader("ctgov").load(path, **options)


def test_real_records(tmp_path):
    # The folder also holds the LM candidate snapshot; these are the three format fixtures.
    for f in CT.glob("NCT*.json"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    r = _load(tmp_path)
    assert (r.read, len(r.items), len(r.rejected), r.problems) == (3, 3, 0, [])
    by = {it.record: it for it in r.items}
    assert set(by) == {"NCT00763412", "NCT02210780", "NCT06171568"}
    t = by["NCT02210780"].entity
    assert t.xrefs == ("NCT:NCT02210780",)
    assert t.sources[0].url == "https://clinicaltrials.gov/study/NCT02210780"
    assert t.sources[0].dataset == "ctgov" and t.sources[0].version  # last update date
    assert not t.lm_specific
    names = {e.name for e in by["NCT02210780"].related}
    assert {"Regeneron Pharmaceuticals", "Sanofi"} <= names
    assert "lmkg:agent/dupilumab" in {e.id for e in by["NCT02210780"].related}


def test_an_individual_sponsor_is_not_a_company():
    r = _load(CT / "NCT00763412.json")
    companies = [e.name for e in r.items[0].related if e.entity_type.value == "Company"]
    assert "Arbelaez, Ana Maria" not in companies  # leadSponsor class INDIV
    assert "Novo Nordisk A/S" in companies


def test_one_study_a_list_a_page_and_json_lines_read_alike(tmp_path):
    studies = [json.loads(p.read_text()) for p in sorted(CT.glob("NCT*.json"))]
    (tmp_path / "list.json").write_text(json.dumps(studies))
    (tmp_path / "page.json").write_text(json.dumps({"studies": studies, "nextPageToken": "x"}))
    (tmp_path / "lines.jsonl").write_text("\n".join(json.dumps(s) for s in studies) + "\n")
    for name in ("list.json", "page.json", "lines.jsonl"):
        r = _load(tmp_path / name)
        assert sorted(it.record for it in r.items) == [
            "NCT00763412", "NCT02210780", "NCT06171568"], name


def test_lm_specific_from_conditions(tmp_path):
    s = json.loads((CT / "NCT06171568.json").read_text())
    s["protocolSection"]["conditionsModule"]["conditions"] = ["Leptomeningeal Metastasis"]
    (tmp_path / "lm.json").write_text(json.dumps(s))
    it = _load(tmp_path / "lm.json").items[0]
    assert it.entity.lm_specific
    assert "lmkg:site/leptomeninges" in {e.id for e in it.related}


def test_truncated_json_names_file_and_line(tmp_path):
    text = (CT / "NCT06171568.json").read_text()
    (tmp_path / "cut.json").write_text(text[: len(text) // 2])
    r = _load(tmp_path / "cut.json")
    assert r.read == 0 and len(r.errors) == 1
    p = r.errors[0]
    assert p.file == "cut.json" and p.line and p.line > 1
    assert "not valid JSON (truncated or damaged?)" in p.reason


def test_bad_json_line_is_rejected_with_its_line(tmp_path):
    good = json.dumps(json.loads((CT / "NCT06171568.json").read_text()))
    (tmp_path / "x.jsonl").write_text(good + "\n{\"protocolSection\": \n" + good + "\n")
    r = _load(tmp_path / "x.jsonl")
    assert r.read == 3 and len(r.items) == 1  # the same study twice is kept once
    assert (r.rejected[0].line, r.rejected[0].reasons[0][:9]) == (2, "not JSON:")
    assert (r.rejected[1].line, r.rejected[1].reasons[0]) == (
        1, "duplicate: NCT06171568 is also in x.jsonl, which was kept")
    assert r.items[0].line == 3


def test_wrong_shapes_are_rejected_not_raised(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([{"protocolSection": {}}, 42, {"nope": 1}]))
    r = _load(tmp_path / "a.json")
    assert r.read == 3 and len(r.rejected) == 3
    assert all("no protocolSection.identificationModule.nctId" in x.reasons[0]
               for x in r.rejected)
    (tmp_path / "b.json").write_text('"just a string"')
    assert "expected a study object" in _load(tmp_path / "b.json").errors[0].reason


def test_latin1_bytes(tmp_path):
    raw = json.dumps({"protocolSection": {"identificationModule": {
        "nctId": "NCT01234567", "briefTitle": "XX"}}}, indent=1).encode()
    raw = raw.replace(b"XX", "Caf\xe9".encode("latin-1"))
    (tmp_path / "l1.json").write_bytes(raw)
    r = _load(tmp_path / "l1.json")
    assert r.errors[0].file == "l1.json" and r.errors[0].line == 5
    assert "not UTF-8" in r.errors[0].reason


def test_a_fetch_manifest_is_not_a_study(tmp_path):
    (tmp_path / "page-0001.json").write_text((CT / "NCT06171568.json").read_text())
    (tmp_path / "manifest.json").write_text(json.dumps({"fetched_at": "2026-01-02T03:04:05"}))
    r = _load(tmp_path)
    assert (r.read, r.rejected) == (1, [])
    assert r.version == "ClinicalTrials.gov API v2, read 2026-01-02"
    assert r.items[0].entity.status_as_of == "2026-01-02"  # the fetch date dates the status
