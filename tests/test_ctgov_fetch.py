"""`lmkg fetch ctgov` against recorded API v2 responses served from 127.0.0.1, then a build."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from lmkg.cli import cli
from lmkg.loaders import get_loader
from lmkg.loaders.ctgov_fetch import FetchError, fetch_ctgov

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
ROOT = Path(__file__).resolve().parents[1]
RECORDS = sorted((SHARED / "clinicaltrials").glob("NCT*.json"))


def _study(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


class _Api(BaseHTTPRequestHandler):
    """Recorded pages: the first has a nextPageToken; `flaky` fails once with 503; `broken`
    always fails with 500; `slow429` answers 429 with Retry-After once."""

    requests: ClassVar[list[dict]] = []
    failed_once: ClassVar[set[str]] = set()
    override: ClassVar[list[dict]] = []  # when set: one page holding these studies

    def log_message(self, *args) -> None:  # keep pytest output clean
        pass

    def _send(self, code: int, body: dict | str, headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json" if isinstance(body, dict)
                         else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        q = dict(urllib.parse.parse_qsl(url.query))
        type(self).requests.append({"path": url.path, **q})
        if url.path != "/api/v2/studies":
            return self._send(404, "not found")
        cond = q.get("query.cond", "")
        if cond == "broken":
            return self._send(500, "internal error: database unavailable")
        if cond in ("flaky", "slow429") and cond not in type(self).failed_once:
            type(self).failed_once.add(cond)
            if cond == "flaky":
                return self._send(503, "service unavailable")
            return self._send(429, "too many requests", {"Retry-After": "0"})
        if cond == "bad-request":
            return self._send(400, "unknown parameter")
        if type(self).override:
            return self._send(200, {"studies": type(self).override, "totalCount": 1})
        if q.get("pageToken") == "tok-2":
            return self._send(200, {"studies": [_study(RECORDS[2])]})
        page = {"studies": [_study(RECORDS[0]), _study(RECORDS[1])], "nextPageToken": "tok-2"}
        if q.get("countTotal") == "true":
            page["totalCount"] = 3
        return self._send(200, page)


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _reset():
    _Api.requests.clear()
    _Api.failed_once.clear()
    _Api.override.clear()


def _fetch(*args: str):
    return CliRunner().invoke(cli, ["fetch", "ctgov", "--quiet", *args], catch_exceptions=False)


def test_two_pages_follow_next_page_token(api, tmp_path):
    out = tmp_path / "ct"
    r = _fetch("--condition", "leptomeningeal metastases", "--page-size", "2",
               "--base-url", api, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "fetched 3 of 3 studies in 2 page(s)" in r.output
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "page-0001.json",
                                                     "page-0002.json"]
    m = json.loads((out / "manifest.json").read_text())
    assert m["query"]["query.cond"] == "leptomeningeal metastases"
    assert (m["pages"], m["studies"], m["total_count"], m["complete"]) == (2, 3, 3, True)
    assert m["fetched_at"][:4].isdigit()
    # the query reached the server as parameters, and the second page used the token
    assert [(q.get("query.cond"), q.get("pageSize"), q.get("pageToken"), q.get("format"))
            for q in _Api.requests] == [("leptomeningeal metastases", "2", None, "json"),
                                        ("leptomeningeal metastases", "2", "tok-2", "json")]
    page2 = json.loads((out / "page-0002.json").read_text())
    assert page2["studies"][0]["protocolSection"]["identificationModule"]["nctId"] == \
        "NCT06171568"


def test_max_pages_stops_early_and_says_so(api, tmp_path):
    out = tmp_path / "ct"
    r = _fetch("--condition", "leptomeningeal", "--max-pages", "1", "--base-url", api,
               "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "incomplete" in r.output
    m = json.loads((out / "manifest.json").read_text())
    assert (m["pages"], m["studies"], m["complete"]) == (1, 2, False)


def test_refetch_removes_pages_of_a_longer_earlier_fetch(api, tmp_path):
    out = tmp_path / "ct"
    out.mkdir()
    (out / "page-0007.json").write_text('{"studies": []}')
    assert _fetch("--condition", "x", "--max-pages", "1", "--base-url", api,
                  "-o", str(out)).exit_code == 0
    assert not (out / "page-0007.json").exists()


def test_503_is_retried_then_succeeds(api, tmp_path):
    out = tmp_path / "ct"
    r = CliRunner().invoke(cli, ["fetch", "ctgov", "--condition", "flaky", "--backoff", "0.01",
                                 "--base-url", api, "-o", str(out), "--quiet"])
    assert r.exit_code == 0, r.output
    assert "HTTP 503" in r.stderr and "retrying" in r.stderr
    m = json.loads((out / "manifest.json").read_text())
    assert (m["studies"], m["retries"]) == (3, 1)
    assert len(_Api.requests) == 3  # 503, page 1, page 2


def test_429_honours_retry_after(api, tmp_path):
    waits: list[float] = []
    m = fetch_ctgov(tmp_path / "ct", condition="slow429", base_url=api, backoff=5.0,
                    progress=False, sleep=waits.append)
    assert m.studies == 3
    assert waits == [0.0]  # Retry-After: 0, not the 5 s backoff


def test_backoff_doubles(api, tmp_path):
    waits: list[float] = []
    with pytest.raises(FetchError):
        fetch_ctgov(tmp_path / "ct", condition="broken", base_url=api, retries=3, backoff=0.5,
                    progress=False, sleep=waits.append)
    assert waits == [0.5, 1.0, 2.0]


def test_permanent_500_gives_a_one_line_error(api, tmp_path):
    out = tmp_path / "ct"
    r = CliRunner().invoke(cli, ["fetch", "ctgov", "--condition", "broken", "--retries", "2",
                                 "--backoff", "0", "--base-url", api, "-o", str(out), "--quiet"])
    assert r.exit_code == 1
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: GET http://127.0.0.1:")
    assert "HTTP 500" in last and "database unavailable" in last
    assert "gave up after 3 attempts" in last
    assert not (out / "manifest.json").exists()


def test_client_error_is_not_retried(api, tmp_path):
    with pytest.raises(FetchError, match="HTTP 400"):
        fetch_ctgov(tmp_path / "ct", condition="bad-request", base_url=api, progress=False,
                    sleep=lambda s: pytest.fail("a 400 must not be retried"))


def test_connection_refused_is_an_error_not_a_traceback(tmp_path):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    r = CliRunner().invoke(cli, ["fetch", "ctgov", "--retries", "1", "--backoff", "0",
                                 "--base-url", f"http://127.0.0.1:{port}", "-o",
                                 str(tmp_path / "ct"), "--quiet"])
    assert r.exit_code == 1
    assert "connection failed" in r.stderr and "gave up after 2 attempts" in r.stderr


def test_not_an_api_server(api, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_ctgov(tmp_path / "ct", base_url=api + "/elsewhere", progress=False)
    with pytest.raises(FetchError, match="base URL must be http"):
        fetch_ctgov(tmp_path / "ct", base_url="file:///etc", progress=False)


def test_progress_bar_runs(api, tmp_path):
    r = CliRunner().invoke(cli, ["fetch", "ctgov", "--base-url", api, "-o", str(tmp_path / "c")])
    assert r.exit_code == 0, r.output
    assert "ClinicalTrials.gov" in r.stderr


def test_the_default_fetch_runs_the_ten_lm_searches(api, tmp_path):
    out = tmp_path / "ct"
    r = _fetch("--base-url", api, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "fetched 30 of 30 studies (3 distinct) from 10 searches in 20 page(s)" in r.output
    m = json.loads((out / "manifest.json").read_text())
    shipped = json.loads((ROOT / "data" / "registry" / "ctgov" / "manifest.json").read_text())
    assert [{k: v for k, v in e.items() if k.startswith("query.")} for e in m["searches"]] == \
        shipped["searches"]
    assert [e["files"] for e in m["searches"]][:2] == [["page-0001.json", "page-0002.json"],
                                                      ["page-0003.json", "page-0004.json"]]
    assert (m["pages"], m["studies"], m["unique_studies"], m["complete"]) == (20, 30, 3, True)
    # the searches reached the server as their own parameters
    assert {(q.get("query.cond"), q.get("query.term")) for q in _Api.requests} == {
        (("leptomeningeal metastasis", None)), ("meningeal metastasis", None),
        ("leptomeningeal disease", None), (None, "leptomeningeal"),
        (None, "leptomeningeal disease"), (None, "meningeal metastasis"),
        (None, "leptomeningeal carcinomatosis"), (None, "neoplastic meningitis"),
        (None, "carcinomatous meningitis"), (None, "LMD")}
    # the loader keeps each study once; the copies found by other searches are duplicates
    result = get_loader("ctgov").load(out, lm_only=False)
    assert (result.read, len(result.items)) == (30, 3) and not result.problems
    assert sum(x.reasons[0].startswith("duplicate: ") for x in result.rejected) == 27
    assert result.version.startswith("ClinicalTrials.gov API v2, read ")


def test_search_options(api, tmp_path):
    r = _fetch("--search", "term:intrathecal", "--search", "cond:lymphomatous meningitis",
               "--base-url", api, "-o", str(tmp_path / "a"))
    assert r.exit_code == 0, r.output
    assert [(q.get("query.term"), q.get("query.cond")) for q in _Api.requests][::2] == [
        ("intrathecal", None), (None, "lymphomatous meningitis")]
    bad = _fetch("--search", "title:x", "--base-url", api, "-o", str(tmp_path / "b"))
    assert bad.exit_code == 1 and "cond:TEXT or term:TEXT" in bad.output
    both = _fetch("--search", "term:x", "--condition", "y", "--base-url", api,
                  "-o", str(tmp_path / "c"))
    assert both.exit_code == 2


def test_a_fresh_fetch_refreshes_the_shipped_snapshot(api, tmp_path):
    # A full record of NCT06304441 as a fetch returns it: the snapshot's record (read
    # 2026-04-03, recruiting) with the modules the snapshot lacks and a later status.
    snapshot = json.loads((ROOT / "data" / "registry" / "ctgov" / "studies.json").read_text())
    study = next(s for s in snapshot
                 if s["protocolSection"]["identificationModule"]["nctId"] == "NCT06304441")
    study = json.loads(json.dumps(study))
    proto = study["protocolSection"]
    proto["statusModule"].update({"overallStatus": "ACTIVE_NOT_RECRUITING",
                                  "statusVerifiedDate": "2026-09",
                                  "startDateStruct": {"date": "2024-03-01"}})
    proto["sponsorCollaboratorsModule"] = {"leadSponsor": {"name": "Example University Hospital",
                                                           "class": "OTHER"}}
    proto["contactsLocationsModule"] = {"locations": [{"country": "China"}]}
    proto["armsInterventionsModule"] = {"interventions": [
        {"type": "DRUG", "name": "Pemetrexed", "description": "intrathecal"},
        {"type": "DRUG", "name": "Osimertinib"}]}
    _Api.override.append(study)
    out = tmp_path / "ct"
    assert _fetch("--base-url", api, "-o", str(out)).exit_code == 0
    graph = tmp_path / "g.json"
    r = CliRunner().invoke(cli, ["build", "--lenient", "-o", str(graph), "--source",
                                 f"ctgov={out}"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    # Read together with the snapshot: 531 + 10 copies (one per search) = 541 records.
    assert "ctgov: read 541 = matched" in r.stderr
    report = json.loads((tmp_path / "lmkg-build-report.json").read_text())
    ct = report["sources"]["ctgov"]
    assert ct["read"] == sum(ct[k] for k in ("matched", "created", "out_of_scope", "unmatched",
                                             "invalid", "duplicate")) == 541
    assert ct["invalid"] == 0
    # A copy is counted as a duplicate (issue 17), neither invalid nor out of scope.
    dup = [x for x in ct["duplicate_rows"] if x["record"] == "NCT06304441"]
    assert len(dup) == 10 and all(x["reasons"][0].startswith("duplicate: ") for x in dup)
    from lmkg.graph import load_graph

    t = load_graph(graph).node("lmkg:trial/nct06304441")
    assert t["status"] == "active_not_recruiting" and t["status_verified"] == "2026-09"
    assert t["status_as_of"] > "2026-04-03"  # the fetch date
    assert (t["countries"], t["start_date"]) == (["China"], "2024-03-01")
    assert t["lm_population"] == "lm_only"  # the same rule
    kg = load_graph(graph)
    assert {kg.name_of(o) for _s, _p, o, _d in kg.out_edges(t["id"], "SPONSORED_BY")} == {
        "Example University Hospital"}
    assert {"pemetrexed", "osimertinib"} <= {
        kg.name_of(s) for s, *_ in kg.in_edges(t["id"], "EVALUATED_IN")}
    # the format fixtures of the other tests are not LM trials: never created
    assert "lmkg:trial/nct06171568" not in kg
