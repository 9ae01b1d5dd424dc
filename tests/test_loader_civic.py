"""CIViC loader on the real extracts in ../shared/data/civic, on a nightly-TSV built here with
its 25 columns, and on malformed input."""

from __future__ import annotations

import json
from pathlib import Path

from lmkg.loaders import get_loader

CIVIC = Path(__file__).resolve().parents[2] / "shared" / "data" / "civic"
NIGHTLY = ("molecular_profile molecular_profile_id disease doid phenotypes therapies "
           "therapy_interaction_type evidence_type evidence_direction evidence_level significance "
           "evidence_statement citation_id source_type asco_abstract_id citation nct_ids rating "
           "evidence_status evidence_id variant_origin last_review_date evidence_civic_url "
           "molecular_profile_civic_url is_flagged").split()


def _row(**values: str) -> str:
    base = {c: "" for c in NIGHTLY}
    base.update({"molecular_profile": "EGFR L858R", "molecular_profile_id": "33",
                 "disease": "Lung Non-small Cell Carcinoma", "doid": "3908",
                 "therapies": "Osimertinib", "evidence_type": "Predictive",
                 "evidence_direction": "Supports", "evidence_level": "A",
                 "significance": "Sensitivity/Response", "citation_id": "29151359",
                 "source_type": "PubMed", "rating": "4", "evidence_status": "accepted",
                 "evidence_id": "6172", "is_flagged": "false"})
    base.update(values)
    return "\t".join(base[c] for c in NIGHTLY) + "\n"


def _nightly(tmp_path: Path, *rows: str) -> Path:
    f = tmp_path / "ClinicalEvidenceSummaries.tsv"
    f.write_text("\t".join(NIGHTLY) + "\n" + "".join(rows), encoding="utf-8")
    return f


def test_real_files():
    r = get_loader("civic").load(CIVIC)
    assert r.read == 216 + 3 + 1 == len(r.items) + len(r.rejected)
    assert not r.problems
    items = {it.record: it for it in r.items}
    ev = items["EID2997"]
    rels = {(x.subject, x.predicate.value, x.object) for x in ev.relations}
    assert ("lmkg:biomarker/egfr-l858r", "PREDICTS_RESPONSE", "lmkg:agent/afatinib") in rels
    assert not any(x.predicate.value == "TARGETS" for x in ev.relations)  # predicts, not acts on
    agent = next(e for e in ev.related if e.id == "lmkg:agent/afatinib")
    assert "NCIT:C66940" in agent.xrefs  # matched by NCIt first
    assoc = next(x for x in ev.relations if x.predicate.value == "PREDICTS_RESPONSE")
    assert (assoc.direction.value, assoc.tier.value, assoc.level, assoc.rating,
            assoc.cancer) == ("sensitivity", "guideline", "A", 5, "lmkg:cancer/lung-non-small-cell-carcinoma")
    src = assoc.sources[0]
    assert src.id == "CIVIC.EID:2997" and "level A" in src.note and "PMID:23982599" in src.note


def test_resistance_is_kept_as_resistance_and_does_not_support_as_refutes():
    r = get_loader("civic").load(CIVIC)
    ev = {it.record: it for it in r.items}["EID816"]
    assoc = [x for x in ev.relations if x.predicate.value == "PREDICTS_RESPONSE"]
    # CIViC: BRAF V600E, cetuximab or panitumumab (substitutes), DOES_NOT_SUPPORT RESISTANCE.
    assert {x.object for x in assoc} == {"lmkg:agent/cetuximab", "lmkg:agent/panitumumab"}
    assert {(x.direction.value, x.evidence_direction.value, x.tier.value) for x in assoc} == {
        ("resistance", "refutes", "clinical_trial")}


def test_combination_evidence_is_an_association_with_the_regimen():
    r = get_loader("civic").load(CIVIC)
    items = {it.record: it for it in r.items}
    ev = items["EID9851"]  # encorafenib + cetuximab, BRAF V600E colorectal cancer, level A
    regimen = next(e for e in ev.related if e.entity_type.value == "Regimen")
    assert regimen.name == "encorafenib + cetuximab"
    assert set(ev.requires) == {"lmkg:agent/encorafenib", "lmkg:agent/cetuximab"}
    preds = {(x.subject, x.predicate.value, x.object) for x in ev.relations}
    assert ("lmkg:biomarker/braf-v600e", "PREDICTS_RESPONSE", regimen.id) in preds
    assert {x.object for x in ev.relations if x.predicate.value == "HAS_COMPONENT"} == {
        "lmkg:agent/encorafenib", "lmkg:agent/cetuximab"}
    # The single item of EID3017 names its profile by id only; the sample names profile 12.
    e3017 = items["EID3017"]
    assert any(x.predicate.value == "PREDICTS_RESPONSE" and x.subject ==
               "lmkg:biomarker/braf-v600e" for x in e3017.relations)


def test_gene_drug_rows_are_interactions_never_targets():
    r = get_loader("civic").load(CIVIC / "civic_dgi_2015.tsv")
    first = r.items[0]
    assert first.record == "civic_dgi_2015.tsv:2" and first.line == 2
    assert [(x.subject, x.predicate.value, x.object) for x in first.relations] == [
        ("lmkg:agent/crizotinib", "INTERACTS_WITH", "lmkg:gene/alk")]
    assert first.relations[0].interaction_type is None  # the table says N/A
    gene = next(e for e in first.related if e.id == "lmkg:gene/alk")
    assert gene.xrefs == ("NCBIGENE:238",)
    assert not any(x.predicate.value == "TARGETS" for it in r.items for x in it.relations)


def test_nightly_tsv_with_its_25_columns(tmp_path):
    f = _nightly(tmp_path, _row(),
                 _row(evidence_id="7", evidence_type="Prognostic"),
                 _row(evidence_id="8", evidence_status="submitted"),
                 _row(evidence_id="9", therapies="Dabrafenib,Trametinib",
                      therapy_interaction_type="Combination",
                      molecular_profile="BRAF V600E", disease="Melanoma", doid="1909"),
                 _row(evidence_id="10", significance="Resistance", evidence_level="B",
                      therapies="Gefitinib", molecular_profile="EGFR T790M"))
    assert len(NIGHTLY) == 25
    r = get_loader("civic").load(f)
    assert (r.read, len(r.items), r.problems) == (5, 3, [])
    assert {x.record: x.line for x in r.rejected} == {"EID7": 3, "EID8": 4}
    assert "not predictive evidence (Prognostic)" in r.rejected[0].reasons
    assert "evidence status is submitted, not accepted" in r.rejected[1].reasons
    it = r.items[0]
    assert (it.record, it.line) == ("EID6172", 2)
    cancer = next(e for e in it.related if e.entity_type.value == "PrimaryCancer")
    assert cancer.xrefs == ("DOID:3908",)
    assert "PMID:29151359" in it.relations[0].sources[0].note
    combo = r.items[1]
    assert {x.object for x in combo.relations if x.predicate.value == "HAS_COMPONENT"} == {
        "lmkg:agent/dabrafenib", "lmkg:agent/trametinib"}
    assert [x.object for x in combo.relations if x.predicate.value == "PREDICTS_RESPONSE"] == [
        "lmkg:regimen/dabrafenib-trametinib"]
    res = next(x for x in r.items[2].relations if x.predicate.value == "PREDICTS_RESPONSE")
    assert (res.subject, res.object, res.direction.value, res.tier.value) == (
        "lmkg:biomarker/egfr-t790m", "lmkg:agent/gefitinib", "resistance", "clinical_trial")


def test_wrong_columns(tmp_path):
    f = tmp_path / "x.tsv"
    f.write_text("gene\tdrug\nALK\tcrizotinib\n")
    r = get_loader("civic").load(f)
    assert (r.errors[0].file, r.errors[0].line) == ("x.tsv", 1)
    assert "wrong columns" in r.errors[0].reason and "evidence_id" in r.errors[0].reason


def test_latin1_bytes_name_the_line(tmp_path):
    f = _nightly(tmp_path, _row(), _row(evidence_id="2"))
    f.write_bytes(f.read_bytes() + _row(evidence_id="3", disease="Ménétrier").encode("latin-1"))
    r = get_loader("civic").load(f)
    assert [(p.file, p.line) for p in r.errors] == [("ClinicalEvidenceSummaries.tsv", 4)]
    assert "not UTF-8" in r.errors[0].reason


def test_truncated_json(tmp_path):
    text = (CIVIC / "civic_graphql_eid_3017.json").read_text()
    (tmp_path / "cut.json").write_text(text[:-40])
    r = get_loader("civic").load(tmp_path / "cut.json")
    p = r.errors[0]
    assert p.file == "cut.json" and p.line and "truncated or damaged" in p.reason
    assert r.read == 0


def test_json_items_that_are_not_evidence(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps([{"no": "id"}, 3]))
    r = get_loader("civic").load(tmp_path / "x.json")
    assert r.read == 2 and [x.reasons for x in r.rejected] == [["not a CIViC evidence item"]] * 2
