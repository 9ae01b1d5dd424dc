"""FDA OOPD loader on the real export in ../shared/data/fda, and on malformed input.

lmkg keeps no addresses: the sponsor's street, city, state, ZIP code and country are not read
(a company is matched by name), so ZIP codes that lost their leading zeros change nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from lmkg.loaders import get_loader
from lmkg.loaders.oopd import parse_date

FDA = Path(__file__).resolve().parents[2] / "shared" / "data" / "fda"
CSV = FDA / "oopd_designated_approved_2022-01.csv"
ACCESSED = date(2022, 1, 7)


@pytest.fixture(scope="module")
def result():
    return get_loader("oopd").load(FDA)


def _designations(result, line: int):
    items = [it for it in result.items if it.line == line]
    assert len(items) == 1
    it = items[0]
    return [e for e in [it.entity, *it.related] if e is not None
            and e.entity_type.value == "RegulatoryDesignation"]


def test_every_row_is_accounted_for(result):
    assert result.read == 1058 == len(result.items) + len(result.rejected)
    assert not result.errors
    # the export's last row is its footnote
    assert [(r.line, r.reasons) for r in result.rejected] == [
        (1059, ["the export's footnote ('Note: ...'), not a designation"])]


def test_both_date_forms():
    assert parse_date("9/04/14", ACCESSED) == ("2014-09-04", None)
    assert parse_date("09/04/2014", ACCESSED) == ("2014-09-04", None)
    assert parse_date("", ACCESSED) == (None, None)


def test_two_digit_year_is_never_in_the_future():
    assert parse_date("2/02/99", ACCESSED)[0] == "1999-02-02"  # a naive %y parse says 2099
    assert parse_date("12/07/84", ACCESSED)[0] == "1984-12-07"
    assert parse_date("1/05/22", ACCESSED)[0] == "2022-01-05"
    iso, why = parse_date("2/30/2014", ACCESSED)
    assert iso is None and "not a calendar date" in why
    iso, why = parse_date("1/01/2099", ACCESSED, today=date(2026, 1, 1))
    assert iso is None and "in the future" in why
    assert "not M/D/YY" in parse_date("2014-09-04", ACCESSED)[1]


def test_real_dates_of_both_forms(result):
    # line 753: pembrolizumab, designated 11/19/2012, approved 9/04/14
    dates = {d.designation_type.value: d.date for d in _designations(result, 753)}
    assert str(dates["approval"]) == "2014-09-04"
    # line 34: alitretinoin approved 2/02/99
    appr = [d for d in _designations(result, 34) if d.designation_type.value == "approval"]
    assert str(appr[0].date) == "1999-02-02"
    # no date anywhere after the export was made
    every = [d.date for it in result.items for d in [it.entity, *it.related]
             if d is not None and getattr(d, "date", None)]
    assert len(every) > 1000
    assert max(str(d)[:4] for d in every) <= "2022"
    assert min(str(d)[:4] for d in every) >= "1983"  # the Orphan Drug Act


def test_one_designation_per_approval_is_collapsed(result):
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keys = {(r["Generic Name"].strip().casefold(), r["Date Designated"],
             r["Orphan Designation"].strip().casefold()) for r in rows
            if r["Generic Name"] and r["Orphan Designation"]}
    orphan = {d.id for it in result.items for d in [it.entity, *it.related]
              if d is not None and getattr(d, "designation_type", None) is not None
              and d.designation_type.value == "orphan_drug"}
    assert len(orphan) == len(keys) < len(rows) - 100
    # pembrolizumab's melanoma designation (lines 752-754): one designation, three approvals
    kinds = [[d.designation_type.value for d in _designations(result, n)] for n in (752, 753, 754)]
    assert sum(k.count("orphan_drug") for k in kinds) == 1
    assert sum(k.count("approval") for k in kinds) == 3


def test_tucatinib_orphan_designation_for_brain_metastases(result):
    ds = _designations(result, 1019)
    orphan = next(d for d in ds if d.designation_type.value == "orphan_drug")
    assert str(orphan.date) == "2017-06-05"
    assert "brain metastases" in orphan.indication
    it = next(i for i in result.items if i.line == 1019)
    assert ("lmkg:agent/tucatinib", "HAS_DESIGNATION", orphan.id) in {
        (r.subject, r.predicate.value, r.object) for r in it.relations}
    assert (orphan.id, "FOR_INDICATION", "lmkg:site/brain") in {
        (r.subject, r.predicate.value, r.object) for r in it.relations}
    assert it.requires == ["lmkg:agent/tucatinib"]  # only in scope if tucatinib is in the graph
    src = orphan.sources[0]
    assert src.dataset == "oopd" and "1019" in src.record and src.version


def _rewrite(tmp_path: Path, zip_of) -> Path:
    with CSV.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [next(reader) for _ in range(30)]
        fields = reader.fieldnames
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields)
    w.writeheader()
    for r in rows:
        w.writerow({**r, "Sponsor Zip": zip_of(r["Sponsor Zip"])})
    d = tmp_path / str(len(list(tmp_path.iterdir())))
    d.mkdir()
    p = d / "oopd.csv"  # same name: the record ids (file:line) must not differ
    p.write_text(out.getvalue(), encoding="utf-8")
    return p


def test_zip_codes_without_leading_zeros_change_nothing(tmp_path):
    assert "8002" in CSV.read_text(encoding="utf-8-sig")  # New Jersey 08002 lost its zero
    as_shipped = get_loader("oopd").load(_rewrite(tmp_path, lambda z: z))
    padded = get_loader("oopd").load(_rewrite(tmp_path, lambda z: z.zfill(5) if z.isdigit() else z))
    dump = [[e.model_dump_json() for e in [it.entity, *it.related] if e] for it in as_shipped.items]
    assert dump == [[e.model_dump_json() for e in [it.entity, *it.related] if e]
                    for it in padded.items]
    assert not as_shipped.problems
    assert "8002" not in "".join(x for d in dump for x in d)  # no address is kept


def test_wrong_columns(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("Generic Name,Trade Name\nfoo,bar\n")
    r = get_loader("oopd").load(f)
    assert (r.errors[0].file, r.errors[0].line) == ("x.csv", 1)
    assert "wrong columns: missing Approved Labeled Indication" in r.errors[0].reason


def test_latin1_bytes_name_the_line(tmp_path):
    lines = CSV.read_bytes().splitlines(keepends=True)[:12]
    lines[5] = "Caf\xe9 ".encode("latin-1") + lines[5]
    f = tmp_path / "l1.csv"
    f.write_bytes(b"".join(lines))
    r = get_loader("oopd").load(f)
    assert [(p.file, p.line) for p in r.errors] == [("l1.csv", 6)]
    assert "not UTF-8" in r.errors[0].reason


def test_bad_date_is_a_warning_and_left_empty(tmp_path):
    lines = CSV.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    row = lines[1018].replace("6/05/17", "13/45/17")  # tucatinib
    f = tmp_path / "d.csv"
    f.write_text(lines[0] + row, encoding="utf-8")
    r = get_loader("oopd").load(f)
    w = [p for p in r.warnings if p.field == "Date Designated"]
    assert w and w[0].line == 2 and "not a calendar date" in w[0].reason
    orphan = [d for d in [r.items[0].entity, *r.items[0].related]
              if getattr(d, "designation_type", None) and d.designation_type.value == "orphan_drug"]
    assert orphan[0].date is None
