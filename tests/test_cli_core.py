"""The foundation verbs as a user runs them: build, validate, stats, show, ontology."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_curated_loader import BAD, EXPECTED, GOOD

from lmkg.cli import VERB_MODULES, cli, commands

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env or {}, catch_exceptions=False)


def data_dir(tmp_path, **files):
    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text)
    return d


def test_validate_clean_data_exits_0(tmp_path):
    res = run("validate", str(data_dir(tmp_path, **{"good.yaml": GOOD})))
    assert res.exit_code == 0
    assert "0 error(s)" in res.output


def test_validate_lists_every_error_with_file_and_line_and_exits_1(tmp_path):
    res = run("validate", str(data_dir(tmp_path, **{"good.yaml": GOOD, "bad.yaml": BAD})))
    assert res.exit_code == 1
    for line in EXPECTED:
        assert f"bad.yaml:{line} " in res.output
    assert "9 error(s)" in res.output


def test_validate_json(tmp_path):
    res = run("validate", str(data_dir(tmp_path, **{"bad.yaml": BAD, "good.yaml": GOOD})),
              "--format", "json")
    doc = json.loads(res.stdout)
    assert doc["errors"] == 9
    assert {"file", "line", "record", "field", "reason", "severity"} <= set(doc["problems"][0])


def test_build_refuses_bad_data_and_writes_nothing(tmp_path):
    d = data_dir(tmp_path, **{"good.yaml": GOOD, "bad.yaml": BAD})
    out = tmp_path / "out" / "g.json"
    res = run("build", "--data", str(d), "-o", str(out))
    assert res.exit_code == 1
    assert "nothing was built" in res.output
    assert not out.exists()


def test_lenient_build_writes_rejected_records_to_report(tmp_path):
    d = data_dir(tmp_path, **{"good.yaml": GOOD, "bad.yaml": BAD})
    out = tmp_path / "out" / "g.json"
    res = run("build", "--data", str(d), "-o", str(out), "--lenient")
    assert res.exit_code == 0, res.output
    report = json.loads((tmp_path / "out" / "lmkg-build-report.json").read_text())
    assert len(report["rejected"]) == 10
    assert all(r["reasons"] and r["file"].endswith("bad.yaml") for r in report["rejected"])
    assert len(report["problems"]) == 9
    show = run("show", "Tagrisso", "--graph", str(out))
    assert "osimertinib" in show.output


def test_the_graph_records_whether_the_build_was_lenient(tmp_path):
    """A build without --lenient is recorded as not lenient (it was recorded as lenient
    whatever the user asked, so provenance claimed a partial build)."""
    good = data_dir(tmp_path, **{"good.yaml": GOOD})
    strict, loose = tmp_path / "strict" / "g.json", tmp_path / "loose" / "g.json"
    assert run("build", "--data", str(good), "-o", str(strict)).exit_code == 0
    assert run("build", "--data", str(good), "-o", str(loose), "--lenient").exit_code == 0
    assert json.loads(strict.read_text())["meta"]["lenient"] is False
    assert json.loads(loose.read_text())["meta"]["lenient"] is True


def test_stats_json_has_per_type_counts(cli):
    res = cli("stats", "--format", "json")
    doc = json.loads(res.stdout)
    assert doc["entities"]["Agent"] >= 1
    assert set(doc["entities"]) >= {"Agent", "Biomarker", "PrimaryCancer", "Company"}
    assert doc["share_with_sources"] == 1.0


def test_show_tagrisso_is_osimertinib_with_sourced_relations(cli):
    res = cli("show", "Tagrisso")
    assert res.exit_code == 0
    assert res.stdout.startswith("osimertinib")
    assert "TARGETS" in res.output and "PMID:" in res.output
    doc = json.loads(cli("show", "Tagrisso", "--format", "json").stdout)
    assert doc["entity"]["id"] == "lmkg:agent/osimertinib"
    assert doc["relations"] and all(r["sources"] for r in doc["relations"])


def test_unknown_name_is_one_line_exit_1(cli):
    r = cli("show", "osimertinb")
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0
    assert "did you mean" in r.output and "osimertinib" in r.output


NAME_ERRORS = [
    # (what was typed, words the one-line error must hold): QA 19. A phrase that is only part of
    # several names is ambiguous and lists them; a misspelling gets suggestions.
    ("lung cancer", ("is ambiguous", "non-small cell lung cancer (PrimaryCancer",
                     "small cell lung cancer (PrimaryCancer")),
    ("osimertinb", ("did you mean", "osimertinib")),
    ("NTRKK", ("did you mean", "NTRK fusion")),
]


@pytest.mark.parametrize(("typed", "says"), NAME_ERRORS)
def test_name_errors_are_one_line_and_helpful(cli, typed, says):
    r = cli("show", typed)
    assert r.exit_code == 1 and r.output.strip().count("\n") == 0
    for text in says:
        assert text in r.output, r.output


def test_part_of_names_is_an_unknown_entity_that_guesses_nothing(kg):
    from lmkg.errors import PartOfNames, UnknownEntity

    with pytest.raises(PartOfNames) as exc:
        kg.resolve("lung cancer")
    assert isinstance(exc.value, UnknownEntity)
    assert {n for _i, n, _t in exc.value.candidates} == {"non-small cell lung cancer",
                                                           "small cell lung cancer"}
    # Whole words only: "cell lung" is part of both, "ung canc" of none.
    assert len(kg.part_of_names("cell lung cancer")) == 2
    assert kg.part_of_names("ung canc") == []


def test_usage_error_exits_2():
    assert run("stats", "--format", "yaml").exit_code == 2
    assert run("nosuchverb").exit_code == 2


def test_every_verb_has_help():
    for name in commands():
        res = run(name, "--help")
        assert res.exit_code == 0 and "Usage:" in res.output, name


def test_the_verb_table_names_every_verb_of_every_cli_module():
    """VERB_MODULES (what ``lmkg VERB`` imports) agrees with each module's COMMANDS."""
    import importlib
    import pkgutil

    import lmkg.cli as pkg

    found = {}
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name == "__main__":  # runs the command line when imported
            continue
        module = importlib.import_module(f"lmkg.cli.{info.name}")
        for cmd in getattr(module, "COMMANDS", ()):
            found[cmd.name] = info.name
    assert found == VERB_MODULES and len(found) == 20


def test_a_verb_imports_only_its_own_module():
    probe = subprocess.run(
        [sys.executable, "-c",
         "import sys; from lmkg.cli import cli; cli.get_command(None, 'agents'); "
         "print(sorted(m for m in sys.modules if m.startswith('lmkg.cli.')))"],
        capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "['lmkg.cli.common', 'lmkg.cli.query']"


def test_console_script_starts_fast_and_helps():
    out = subprocess.run([sys.executable, "-m", "lmkg", "--help"], capture_output=True,
                         text=True, check=True)
    assert "validate" in out.stdout
    # Heavy libraries are imported only by the verbs that need them.
    probe = subprocess.run([sys.executable, "-c",
                            "import sys, lmkg.cli; print(sorted(m for m in ('rdflib','pyvis','neo4j','ladybug') if m in sys.modules))"],
                           capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "[]"


def test_missing_graph_file_is_clear(tmp_path):
    res = run("stats", "--graph", str(tmp_path / "nope.json"))
    assert res.exit_code == 1
    assert "no built graph" in res.output
