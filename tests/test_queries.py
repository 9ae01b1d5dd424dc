"""The scientist's questions on the shipped curated graph: agents, paths, neighbours,
landscape tables, and Cypher with no server giving the same answers."""

from __future__ import annotations

import json

import pytest

from lmkg.errors import LmkgError, NoPath, UnknownEntity
from lmkg.graph.query import (
    LANDSCAPE_VIEWS,
    agents_for_biomarker,
    landscape,
    neighbours,
    shortest_paths,
)
from lmkg.graph.query.cypher import CypherError, EmbeddedCypher
from lmkg.ontology import CNSEvidenceLevel

RANK = {lvl.value: lvl.rank for lvl in CNSEvidenceLevel}


def names(hits):
    return [h.name for h in hits]


# -- agents ----------------------------------------------------------------------------------
def test_egfr_cns_penetrant_lists_osimertinib_first_among_approved(cli):
    res = cli("agents", "--biomarker", "EGFR", "--cns-penetrant", "--format", "json")
    assert res.exit_code == 0
    rows = json.loads(res.stdout)["answers"]
    assert rows, "no CNS-penetrant agents for EGFR"
    for r in rows:
        assert {"id", "name", "cns_level", "sources", "why"} <= set(r)
        assert r["sources"], r["name"]
        assert RANK[r["cns_level"]] >= RANK["csf_pk"]
    approved = [r["name"] for r in rows if r["status"] == "approved"]
    assert approved[0] == "osimertinib"
    osi = next(r for r in rows if r["name"] == "osimertinib")
    assert osi["cns_level"] == "lm_clinical"
    assert osi["cns_evidence"]["source"]


def test_rows_are_ranked_by_biomarker_relation_then_cns_evidence(kg):
    hits = agents_for_biomarker(kg, "EGFR")
    keys = [(h.score["biomarker"], h.score["cns_level"], h.score["cns_context"],
             h.score["cns_strength"]) for h in hits]
    assert keys == sorted(keys, reverse=True)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_her2_and_erbb2_are_the_same_question(kg):
    her2 = agents_for_biomarker(kg, "HER2", cns_min_level="csf_pk")
    erbb2 = agents_for_biomarker(kg, "ERBB2", cns_min_level="csf_pk")
    assert names(her2) == names(erbb2)
    assert {"tucatinib", "trastuzumab deruxtecan"} <= set(names(her2))
    tuc = next(h for h in her2 if h.name == "tucatinib")
    assert tuc.cns_penetrant and "Seagen" in " ".join(tuc.companies)


def test_alk_agents(kg):
    hits = agents_for_biomarker(kg, "ALK", cns_min_level="intracranial_response")
    assert {"alectinib", "lorlatinib", "brigatinib"} <= set(names(hits))
    for h in hits:
        assert h.relation in ("sensitivity", "acts on")
        assert h.relation == "acts on" or any("ALK" in a["biomarker"] for a in h.associations)


def test_a_variant_is_never_answered_by_what_only_targets_its_gene(kg):
    hits = agents_for_biomarker(kg, "EGFR T790M")
    by_name = {h.name: h for h in hits}
    assert by_name["osimertinib"].relation == "sensitivity"
    assert by_name["osimertinib"].tier == "approved"
    for h in hits:  # each answer acts on T790M or has a sensitivity association with it
        assert h.acts_on or any(a["effective"] == "sensitivity" for a in h.associations), h.name
    assert not {"erlotinib", "gefitinib", "afatinib", "lapatinib"} & set(by_name)


def test_filters(kg):
    approved = agents_for_biomarker(kg, "EGFR", status="approved")
    assert approved and all(h.status == "approved" for h in approved)
    inv = agents_for_biomarker(kg, "EGFR", status="investigational")
    assert all(h.status != "approved" for h in inv)
    lm = agents_for_biomarker(kg, "EGFR", cns_min_level="lm_clinical")
    assert lm and all(h.cns_level == "lm_clinical" for h in lm)
    in_breast = agents_for_biomarker(kg, "HER2", cancer="breast cancer")
    assert "tucatinib" in names(in_breast)
    in_melanoma = agents_for_biomarker(kg, "HER2", cancer="melanoma")
    assert "tucatinib" not in names(in_melanoma)


def test_every_row_says_why(kg):
    for h in agents_for_biomarker(kg, "HER2"):
        assert h.why and ("CNS-penetrant" in h.why or "CNS" in h.why)


def test_unknown_biomarker_suggests(cli):
    res = cli("agents", "--biomarker", "EGRF")
    assert res.exit_code == 1
    assert "did you mean" in res.output and "lmkg:gene/egfr" in res.output


def test_empty_answer_says_what_was_searched(cli):
    # No GD2-directed agent is linked to breast cancer (melanoma is: the intrathecal 131I-3F8
    # LM trials register melanoma among the GD2-positive cancers they enrol).
    res = cli("agents", "--biomarker", "GD2 expression", "--cancer", "breast cancer",
              "--cns-penetrant", "lm_clinical")
    assert res.exit_code == 0
    assert "no agents found for" in res.output and "cancer breast cancer" in res.output


def test_csv_and_table_formats(cli):
    csv_out = cli("agents", "--biomarker", "ALK", "--format", "csv").output.splitlines()
    assert csv_out[0].startswith("rank,agent,relation,evidence,cancer,cns,strength")
    table = cli("agents", "--biomarker", "ALK").output
    assert "alectinib" in table and "why" not in csv_out[0].split(",")[:3]


# -- paths -----------------------------------------------------------------------------------
def test_path_tucatinib_to_breast_cancer_is_sourced(kg, cli):
    paths = shortest_paths(kg, "tucatinib", "breast cancer")
    assert paths and len(paths[0].hops) <= 3
    for p in paths:
        d = p.as_dict(kg)
        assert d["chain"].startswith("tucatinib ")
        assert d["chain"].endswith("breast cancer")
        assert all(h["sources"] for h in d["hops"])
    out = cli("path", "tucatinib", "breast cancer").stdout
    assert out.startswith("1. tucatinib -")
    assert "sources: " in out


def test_path_options(kg):
    via = shortest_paths(kg, "tucatinib", "breast cancer", via=["TARGETS", "OCCURS_IN"], k=5)
    assert all(h.best[1] in ("TARGETS", "OCCURS_IN") for p in via for h in p.hops)
    ranked = shortest_paths(kg, "tucatinib", "breast cancer", rank="evidence", k=5)
    weakest = [p.weakest for p in ranked]
    assert weakest == sorted(weakest, reverse=True)
    no_pub = shortest_paths(kg, "osimertinib", "tucatinib", avoid=["Publication"], k=5)
    assert all(kg.type_of(n) != "Publication" for p in no_pub for n in p.nodes)
    with pytest.raises(NoPath):
        shortest_paths(kg, "tucatinib", "breast cancer", max_hops=1, via=["PART_OF"])
    with pytest.raises(LmkgError, match="unknown relation"):
        shortest_paths(kg, "tucatinib", "breast cancer", via=["TARGET"])
    with pytest.raises(UnknownEntity):
        shortest_paths(kg, "tucatinibb", "breast cancer")


def test_path_json(cli):
    doc = json.loads(cli("path", "osimertinib", "NSCLC", "--format", "json").stdout)
    assert doc[0]["hops"][0]["from"] == "osimertinib"
    assert {"relation", "direction", "sources"} <= set(doc[0]["hops"][0])


def test_no_path_is_one_line_exit_1(cli):
    res = cli("path", "tucatinib", "breast cancer", "--via", "PART_OF")
    assert res.exit_code == 1 and "no path" in res.output


# -- neighbours and landscape ----------------------------------------------------------------
def test_neighbours(kg, cli):
    rows = neighbours(kg, "tucatinib", depth=1, types=["ClinicalTrial"])
    assert rows and all(r["type"] == "ClinicalTrial" and r["distance"] == 1 for r in rows)
    deeper = neighbours(kg, "tucatinib", depth=2)
    assert len(deeper) > len(neighbours(kg, "tucatinib"))
    assert cli("neighbours", "tucatinib", "--types", "Nope").exit_code == 1


@pytest.mark.parametrize("view", LANDSCAPE_VIEWS)
def test_landscape_views(kg, cli, view):
    rows = landscape(kg, view)
    assert rows
    res = cli("landscape", "--by", view, "--format", "json")
    assert res.exit_code == 0 and json.loads(res.stdout) == json.loads(json.dumps(rows))


def test_lm_designations(kg):
    rows = landscape(kg, "designation", lm_only=True)
    assert rows and all(r["lm_indication"] for r in rows)
    holders = {a for r in rows for a in r["agent"]}
    assert holders & {"omburtamab", "rhenium-186 obisbemeda", "liposomal cytarabine"}


def test_company_pipeline(kg):
    rows = {r["id"]: r for r in landscape(kg, "company")}
    az = rows[kg.resolve("AstraZeneca", types=["Company"])]
    assert az["agents"] >= 1 and any("osimertinib" in n for n in az["agent_names"])


# -- Cypher ----------------------------------------------------------------------------------
AGENTS_FOR_GENE = """
MATCH (a:Agent)-[:TARGETS]->(g:Gene {id: $gene}) WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (a:Agent)-[:TARGETS]->(:Biomarker)-[:ALTERATION_OF]->(g:Gene {id: $gene})
WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (a:Agent)-[:MEMBER_OF]->(:DrugClass)-[:TARGETS]->(g:Gene {id: $gene})
WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (a:Agent)-[:MEMBER_OF]->(:DrugClass)-[:SUBCLASS_OF*1..5]->(:DrugClass)-[:TARGETS]->(g:Gene {id: $gene})
WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (a:Agent)-[:MEMBER_OF]->(:DrugClass)-[:TARGETS]->(:Biomarker)-[:ALTERATION_OF]->(g:Gene {id: $gene})
WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (a:Agent)-[:MEMBER_OF]->(:DrugClass)-[:SUBCLASS_OF*1..5]->(:DrugClass)-[:TARGETS]->(:Biomarker)-[:ALTERATION_OF]->(g:Gene {id: $gene})
WHERE a.cns_level_rank >= $rank RETURN a.id AS id
UNION
MATCH (g:Gene {id: $gene})<-[:ALTERATION_OF]-(:Biomarker)-[r:PREDICTS_RESPONSE]->(a:Agent)
WHERE a.cns_level_rank >= $rank AND r.direction = 'sensitivity'
  AND r.evidence_direction = 'supports'
RETURN a.id AS id
"""


@pytest.fixture(scope="module")
def engine(kg):
    return EmbeddedCypher(kg)


@pytest.mark.parametrize("gene", ["lmkg:gene/egfr", "lmkg:gene/erbb2", "lmkg:gene/alk"])
def test_cypher_answers_like_agents(kg, engine, gene):
    _cols, rows = engine.run(AGENTS_FOR_GENE, {"gene": gene, "rank": RANK["csf_pk"]})
    via_cypher = {r[0] for r in rows}
    via_api = {h.id for h in agents_for_biomarker(kg, gene, cns_min_level="csf_pk")
               if h.type == "Agent"}
    assert via_cypher == via_api and via_api


def test_cypher_counts_match_the_graph(kg, engine):
    for label, n in kg.stats()["entities"].items():
        _c, rows = engine.run(f"MATCH (n:{label}) RETURN count(n)")
        assert rows[0][0] == n, label
    for rel, n in kg.stats()["relations"].items():
        _c, rows = engine.run(f"MATCH ()-[r:{rel}]->() RETURN count(r)")
        assert rows[0][0] == n, rel


def test_cypher_cli_with_parameters_and_cache(cli, graph_file):
    q = ("MATCH (a:Agent)-[:TARGETS]->(b:Biomarker) WHERE b.name = $b "
         "RETURN a.name AS agent ORDER BY agent")
    res = cli("cypher", q, "-p", "b=EGFR T790M", "--format", "json")
    assert res.exit_code == 0, res.output
    assert "osimertinib" in [r["agent"] for r in json.loads(res.stdout)]
    assert list(graph_file.parent.glob(graph_file.name + ".cypher-*"))
    again = cli("cypher", q, "-p", "b=EGFR T790M", "--format", "json")
    assert again.stdout == res.stdout


def test_cypher_cache_of_an_older_layout_is_replaced_and_ids_have_art_indexes(kg, tmp_path):
    from lmkg.graph.export.propgraph import node_schema
    from lmkg.graph.query.cypher import cache_for
    from lmkg.graph.store import file_key, save_graph

    graph = save_graph(kg, tmp_path / "g.json")
    older = tmp_path / f"g.json.cypher-{file_key(graph)}"  # the name before CACHE_LAYOUT
    older.write_bytes(b"a database of the hash-index layout")
    cache = cache_for(kg, graph)
    assert cache != older and not older.exists()
    eng = EmbeddedCypher(path=cache, read_only=True)
    try:
        _c, rows = eng.run("CALL show_indexes() RETURN table_name, index_name, index_type, "
                           "property_names")
        assert sorted(rows) == sorted([label, "_PK", "ART", ["id"]] for label in node_schema())
        _c, rows = eng.run("MATCH (a:Agent {id: $id}) RETURN a.name",
                           {"id": "lmkg:agent/osimertinib"})
        assert rows == [["osimertinib"]]
    finally:
        eng.close()


def test_cypher_errors_and_read_only(cli, engine):
    res = cli("cypher", "MATC (n) RETURN n")
    assert res.exit_code == 1 and "Cypher error" in res.output
    res = cli("cypher", "CREATE (:Agent {id: 'x', name: 'x'})")
    assert res.exit_code == 1
    assert cli("cypher", "MATCH (n) RETURN n", "-p", "bad").exit_code == 1
    with pytest.raises(CypherError):
        engine.run("MATCH (n:NoSuchLabel) RETURN n")


def test_injection_through_parameters_is_inert(engine):
    evil = "x' }) DETACH DELETE n //"
    _c, rows = engine.run("MATCH (a:Agent) WHERE a.name = $n RETURN a.id", {"n": evil})
    assert rows == []
    _c, rows = engine.run("MATCH (a:Agent) RETURN count(a)")
    assert rows[0][0] > 0


@pytest.mark.parametrize("query,params,message", [
    ("MATCH (a:Agent) WHERE a.name = $x RETURN a.name", [],
     "Error: parameter $x is used but not given (-p x=VALUE)"),
    ("MATCH (a:Agent)-[:TARGETS]->(b:Biomarker) WHERE b.name = $biomarker RETURN a.name",
     ["biomarkr=EGFR T790M"],
     "Error: parameter $biomarker is used but not given (-p biomarker=VALUE); given: biomarkr"),
    ("MATCH (a:Agent) WHERE a.name = $`x` RETURN a.name", [],
     "Error: parameter $x is used but not given (-p x=VALUE)"),
    ("MATCH (a:Agent) WHERE a.name = 'osimertinib' RETURN a.name", ["name=osimertinib"],
     "Error: parameter name is given (-p name=...) but the query does not use $name"),
    ("", [], "Error: the Cypher query is empty"),
    ("  // nothing but a comment\n", [], "Error: the Cypher query is empty"),
])
def test_cypher_parameters_must_match_the_query(cli, query, params, message):
    args = ["cypher", query]
    for p in params:
        args += ["-p", p]
    res = cli(*args)
    assert res.exit_code == 1 and res.stdout == ""
    assert res.stderr.strip() == message


def test_cypher_parameters_are_read_outside_strings_and_comments():
    from lmkg.graph.query.cypher import parameters_of

    assert parameters_of("MATCH (a) WHERE a.name = $n AND a.x = '$s' // $c\n"
                         "RETURN a.`$q`, $`long name`, $0 /* $d */") == {"n", "long name", "0"}


def test_neighbours_via_names_the_nearer_entity_and_link_the_whole(kg):
    """The table's `via` does not repeat the row's own name (QA 14); `link` is the relation whole."""
    from lmkg.graph.query import neighbours

    rows = {r["name"]: r for r in neighbours(kg, "tucatinib", depth=2)}
    climb = rows["HER2CLIMB"]
    assert climb["via"] == "tucatinib -EVALUATED_IN->"
    assert climb["link"] == "tucatinib -EVALUATED_IN-> HER2CLIMB"
    regimen = rows["tucatinib + trastuzumab + capecitabine"]
    assert regimen["via"] == "<-HAS_COMPONENT- tucatinib"
    for r in rows.values():
        if r["distance"] == 1:
            assert r["name"] not in r["via"] and r["name"] in r["link"], r


def test_answer_rows_as_dicts_equal_dataclasses_asdict(kg):
    """as_record (the rows' fast as_dict) gives exactly what dataclasses.asdict gives, and a
    copy: changing the dict leaves the row as it was."""
    from dataclasses import asdict

    from lmkg.graph.query import guidelines
    from lmkg.graph.query.trials import trials

    hits = [h for b in sorted(kg.ids("Biomarker") + kg.ids("Gene"))
            for h in agents_for_biomarker(kg, b)]
    recs = list(guidelines(kg))
    rows = list(trials(kg))
    assert len(hits) > 200 and len(recs) >= 10 and len(rows) > 100
    for item in hits + rows:
        assert item.as_dict() == asdict(item)
    for rec in recs:
        assert {k: v for k, v in rec.as_dict().items() if k not in ("context", "grade")} \
            == asdict(rec)
    hit = next(h for h in hits if h.sources)
    d = hit.as_dict()
    d["sources"][0]["id"] = "changed"
    d["acts_on"].append("changed")
    assert hit.sources[0].get("id") != "changed" and "changed" not in hit.acts_on


def test_an_answer_shows_a_class_added_after_an_earlier_answer():
    """The per-graph memo of agents' classes, companies and approvals follows the graph."""
    import lmkg

    g = lmkg.build()
    before = {h.id: h for h in agents_for_biomarker(g, "EGFR")}["lmkg:agent/osimertinib"]
    g.add_node_data({"id": "lmkg:class/test-class", "type": "DrugClass", "name": "Test class"})
    g.add_edge_data("lmkg:agent/osimertinib", "MEMBER_OF", "lmkg:class/test-class",
                    {"sources": [{"id": "PMID:1"}]})
    after = {h.id: h for h in agents_for_biomarker(g, "EGFR")}["lmkg:agent/osimertinib"]
    assert "Test class" not in before.classes and "Test class" in after.classes
    assert set(after.classes) - set(before.classes) == {"Test class"}
