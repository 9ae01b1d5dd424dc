"""openFDA drugsfda loader on the real extract in ../shared/data/openfda, and malformed input."""

from __future__ import annotations

import json
from pathlib import Path

from lmkg.loaders import get_loader

OPENFDA = Path(__file__).resolve().parents[2] / "shared" / "data" / "openfda"
FILE = OPENFDA / "drugsatfda_2023-11-15.json"


def test_real_file():
    r = get_loader("openfda").load(OPENFDA)
    assert r.read == 15 == len(r.items) + len(r.rejected)
    assert not r.problems
    assert r.version == "2023-11-15"  # meta.last_updated
    andas = [x for x in r.rejected if x.record.startswith("ANDA")]
    assert len(andas) == 7 and all("generic (ANDA)" in x.reasons[0] for x in andas)
    by = {it.record: it for it in r.items}
    cosmegen = by["NDA050682"]
    assert cosmegen.requires == ["lmkg:agent/dactinomycin"]  # in scope only if in the graph
    appr = cosmegen.entity
    assert (appr.agency.value, appr.designation_type.value) == ("fda", "approval")
    assert appr.xrefs == ("FDA.APPLICATION:050682",)
    kinds = {e.designation_type.value for e in cosmegen.related
             if e.entity_type.value == "RegulatoryDesignation"}
    assert kinds == {"priority_review"}
    src = appr.sources[0]
    assert src.dataset == "openfda" and src.record == "NDA050682" and "ApplNo=050682" in src.url


def test_every_approval_is_dated_from_its_original_submission():
    r = get_loader("openfda").load(FILE)
    for it in r.items:
        assert it.entity.date is not None and "1900" < str(it.entity.date) < "2024"


def test_truncated_json(tmp_path):
    (tmp_path / "cut.json").write_bytes(FILE.read_bytes()[:5000])
    r = get_loader("openfda").load(tmp_path / "cut.json")
    p = r.errors[0]
    assert p.file == "cut.json" and p.line and "truncated or damaged" in p.reason
    assert "cut.json:" in str(p)


def test_not_an_openfda_response(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"studies": []}))
    r = get_loader("openfda").load(tmp_path / "x.json")
    assert r.errors[0].field == "results" and "no 'results' list" in r.errors[0].reason


def test_latin1_bytes(tmp_path):
    doc = json.loads(FILE.read_text())
    doc["results"] = doc["results"][:2]
    doc["results"][1]["sponsor_name"] = "XX"
    raw = json.dumps(doc, indent=1).encode().replace(b"XX", "Laboratoires Servi\xe9r".encode("latin-1"))
    (tmp_path / "l1.json").write_bytes(raw)
    line = raw[: raw.index(b"Servi\xe9r")].count(b"\n") + 1
    r = get_loader("openfda").load(tmp_path / "l1.json")
    assert [(p.file, p.line) for p in r.errors] == [("l1.json", line)]
    assert "not UTF-8" in r.errors[0].reason


def test_application_without_original_approval_is_rejected(tmp_path):
    doc = {"meta": {"last_updated": "2024-01-01"}, "results": [
        {"application_number": "NDA000001", "openfda": {"generic_name": ["X"]},
         "submissions": [{"submission_type": "SUPPL", "submission_status": "AP"}]},
        {"openfda": {}}]}
    (tmp_path / "x.json").write_text(json.dumps(doc))
    r = get_loader("openfda").load(tmp_path / "x.json")
    assert [x.reasons for x in r.rejected] == [["no approved original submission"],
                                               ["no application_number"]]
