"""Attacks on the curated data: every bad file gets an error naming file, line, record, field
and reason; hostile YAML (alias bombs, deep nesting) is refused fast; control characters are
refused in names (issue 17, defects 5 and 6, and the cases handled right before)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import pytest

from lmkg.cli import cli as group

from .conftest import MINI, lmkg, one_line_error


@dataclass(frozen=True)
class Bad:
    """A change to the fixture dataset and the problem it must produce."""

    name: str
    old: str
    new: str
    reason: str  # a piece of the reason
    line: int | None = None
    field: str | None = None
    record: str | None = None
    severity: str = "error"


AGENT = "lmkg:agent/testagent"
CASES = [
    # -- handled right before issue 17: they stay right ------------------------------------
    Bad("yaml-syntax", "    synonyms: [TA-1]", "    synonyms: [TA-1", "not valid YAML", line=18),
    Bad("unknown-field", "    status: phase2", "    status: phase2\n    colour: red",
        "unknown field 'colour'", line=19, field="colour", record=AGENT),
    Bad("wrong-type", "    synonyms: [TA-1]", "    synonyms: {a: 1}", "wrong type", line=17,
        field="synonyms", record=AGENT),
    Bad("bad-enum", "status: phase2", "status: investigational", "invalid value", line=18,
        field="status", record=AGENT),
    Bad("bad-curie", "    synonyms: [TA-1]", "    synonyms: [TA-1]\n    xrefs: [NOTAPREFIX:1]",
        "NOTAPREFIX", line=18, field="xrefs.0", record=AGENT),
    Bad("relation-without-source", """        sources:
          - url: https://example.org/testagent
            note: "attack-suite fixture, not a fact"
""", "", "missing source", field="sources"),
    Bad("unknown-reference", "to: biomarker/testgene-mut", "to: biomarker/nope",
        "unknown reference", line=22, field="to"),
    Bad("id-of-another-kind", "  - id: agent/testagent", "  - id: gene/testagent",
        "must start with lmkg:agent/", line=15, record="lmkg:gene/testagent"),
    Bad("verb-not-allowed", "      - rel: TARGETS\n        to: biomarker/testgene-mut\n"
        "        action: inhibitor", "      - rel: DEVELOPED_BY\n        to: biomarker/testgene-mut",
        "DEVELOPED_BY", line=22, field="to"),
    Bad("undeclared-pmid", "          - url: https://example.org/testagent",
        "          - id: PMID:12345", "PMID:12345", line=25, field="sources.0"),
    Bad("javascript-url", "          - url: https://example.org/testagent",
        "          - url: javascript:alert(1)", "not an http(s) URL", line=25),
    Bad("unknown-section", "genes:", "widgets: []\ngenes:", "widgets", line=2),
    Bad("empty-name", "    name: testagent", '    name: ""', "at least 1 character", line=16,
        field="name", record=AGENT),
    Bad("duplicate-key", "    status: phase2", "    status: phase2\n    status: approved",
        "appears twice", line=19),
    # -- control characters in names (defect 6) -----------------------------------------
    *[Bad(f"name-{label}", "    name: testagent", f'    name: "test{esc}agent"', code,
          line=16, field="name", record=AGENT)
      for label, esc, code in [
          ("nul", "\\0", "U+0000"), ("ansi-clear", "\\e[2J", "U+001B"),
          ("osc-retitle", "\\e]0;pwned\\a", "U+001B"), ("rtl-override", "\\u202e", "U+202E"),
          ("zero-width-space", "\\u200b", "U+200B"), ("bom", "\\ufeff", "U+FEFF"),
          ("del", "\\x7f", "U+007F"), ("c1-csi", "\\x9b", "U+009B"),
          ("newline", "\\n", "U+000A"), ("line-separator", "\\u2028", "U+2028"),
          ("rtl-isolate", "\\u2067", "U+2067"), ("zero-width-joiner", "\\u200d", "U+200D")]],
    Bad("synonym-escape", "    synonyms: [TA-1]", '    synonyms: ["TA\\e[31m-1"]', "U+001B",
        line=17, field="synonyms", record=AGENT),
    Bad("description-escape", "    description: A made-up agent of the attack suite.",
        '    description: "made \\e]0;x\\a up"', "U+001B", line=19, field="description",
        record=AGENT),
    Bad("description-rtl", "    description: A made-up agent of the attack suite.",
        '    description: "made \\u202e up"', "U+202E", line=19, field="description",
        record=AGENT),
    Bad("source-note-escape", 'note: "attack-suite fixture, not a fact"\n',
        'note: "fixture \\e[2J"\n', "U+001B", field="sources.0.note"),
]


def _validate(data) -> tuple[int, dict]:
    from click.testing import CliRunner

    r = CliRunner().invoke(group, ["validate", str(data), "--format", "json"],
                           catch_exceptions=False)
    return r.exit_code, json.loads(r.stdout)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_curated_data_is_named_precisely(case: Bad, mini):
    assert case.old in MINI, case.name
    data = mini(MINI.replace(case.old, case.new, 1))
    code, doc = _validate(data)
    hits = [p for p in doc["problems"] if case.reason in p["reason"]]
    assert hits, doc["problems"]
    p = hits[0]
    assert p["file"] == "data/data.yaml" and p["severity"] == case.severity
    if case.line is not None:
        assert p["line"] == case.line, p
    if case.field is not None:
        assert p["field"] == case.field, p
    if case.record is not None:
        assert p["record"] == case.record, p
    assert code == (1 if case.severity == "error" else 0)


def test_allowed_text_is_not_refused(mini):
    """Tabs and newlines in free text, accents, CJK and emoji in names are fine."""
    text = MINI.replace("    name: testagent", '    name: "tést-agent 中文 😀"').replace(
        "    description: A made-up agent of the attack suite.",
        '    description: "line one\\n\\tline two, with a soft\\u00adhyphen"')
    code, doc = _validate(mini(text))
    assert (code, doc["errors"]) == (0, 0), doc["problems"]


def test_not_utf8_is_named(mini):
    data = mini(**{"more.yaml": b"agents:\n  - id: agent/x\n    name: \xff\xfe\n"})
    code, doc = _validate(data)
    assert code == 1
    assert any(p["file"] == "data/more.yaml" and "UTF-8" in p["reason"] for p in doc["problems"])


def test_bad_sources_file_yaml_is_one_line(tmp_path, invoke):
    f = tmp_path / "sources.yaml"
    f.write_text("- {name: ctgov, path: [unclosed\n")
    r = invoke("build", "--sources-file", str(f), "-o", str(tmp_path / "g.json"))
    assert r.exit_code == 1 and one_line_error(r.output) and "sources.yaml" in r.output


# -- hostile YAML (defect 5) ------------------------------------------------------------------
def _laughs(levels: int = 16, width: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def _merge_bomb(levels: int = 30) -> str:
    lines = ["m0: &m0 {a: 1, b: 2}"]
    for i in range(1, levels):
        lines.append(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}], k{i}: {i}}}")
    return "\n".join(lines) + "\n"


HOSTILE = [
    ("billion-laughs", _laughs(), "alias bomb"),
    ("alias-bomb-beside-records", _laughs(12, 12) + MINI, "alias bomb"),
    ("merge-key-bomb", _merge_bomb(), "alias bomb"),
    ("recursive-alias", "a: &a [1, *a]\n", "refers to its own anchor"),
    ("deep-nesting", "x: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than"),
    ("deep-mapping-nesting", "x: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n",
     "nested more than"),
]


@pytest.mark.parametrize(("name", "text", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_yaml_is_refused_fast_in_a_real_process(name, text, reason, mini):
    """A real ``lmkg validate`` (a crash of libyaml would kill it, not the test run)."""
    data = mini(text)
    t0 = time.monotonic()
    r = lmkg("validate", str(data), "--format", "json", timeout=60)
    seconds = time.monotonic() - t0
    assert r.code == 1, r.text
    doc = json.loads(r.stdout)
    assert any(reason in p["reason"] and p["file"] == "data/data.yaml" and p["line"]
               for p in doc["problems"]), doc["problems"]
    assert seconds < 5, f"{name} took {seconds:.1f} s"


def test_a_few_legitimate_aliases_still_work(mini):
    text = MINI.replace('        sources:\n          - url: https://example.org/testagent\n'
                        '            note: "attack-suite fixture, not a fact"\n',
                        "        sources: *src\n")
    text = text.replace("    sources:\n      - url: https://example.org/testgene",
                        "    sources: &src\n      - url: https://example.org/testgene")
    code, doc = _validate(mini(text))
    assert (code, doc["errors"]) == (0, 0), doc["problems"]
    assert doc["stats"]["relations"] == 1


def test_validate_prints_no_raw_control_character(mini):
    data = mini(MINI.replace("    name: testagent", '    name: "test\\e]0;pwned\\aagent"'))
    r = lmkg("validate", str(data))
    assert r.code == 1
    assert b"\x1b" not in r.out + r.err and b"\x07" not in r.out + r.err
