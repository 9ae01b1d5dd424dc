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
RECORDS = sorted((SHARED / "clinicaltrials").glob("NCT*.json"))


def _study(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


class _Api(BaseHTTPRequestHandler):
    """Recorded pages: the first has a nextPageToken; `flaky` fails once with 503; `broken`
    always fails with 500; `slow429` answers 429 with Retry-After once."""

    requests: ClassVar[list[dict]] = []
    failed_once: ClassVar[set[str]] = set()

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
    r = _fetch("--max-pages", "1", "--base-url", api, "-o", str(out))
    assert r.exit_code == 0, r.output
    assert "incomplete" in r.output
    m = json.loads((out / "manifest.json").read_text())
    assert (m["pages"], m["studies"], m["complete"]) == (1, 2, False)


def test_refetch_removes_pages_of_a_longer_earlier_fetch(api, tmp_path):
    out = tmp_path / "ct"
    out.mkdir()
    (out / "page-0007.json").write_text('{"studies": []}')
    assert _fetch("--max-pages", "1", "--base-url", api, "-o", str(out)).exit_code == 0
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


def test_fetched_directory_builds(api, tmp_path):
    out = tmp_path / "ct"
    assert _fetch("--base-url", api, "-o", str(out)).exit_code == 0
    result = get_loader("ctgov").load(out, lm_only=False)
    assert result.read == 3 and not result.problems  # the manifest is not read as a study
    assert result.version.startswith("ClinicalTrials.gov API v2, read ")
    graph = tmp_path / "g.json"
    r = CliRunner().invoke(cli, ["build", "--lenient", "-o", str(graph), "--source",
                                 f"ctgov={out}"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    # Read together with the shipped snapshot (531 records); the three fixtures are not LM
    # trials and are rejected with the rule's reason.
    assert "ctgov: read 534 = matched" in r.stderr
    report = json.loads((tmp_path / "lmkg-build-report.json").read_text())
    ct = report["sources"]["ctgov"]
    assert ct["read"] == ct["matched"] + ct["created"] + ct["rejected"] == 534
    assert ct["version"].startswith("ClinicalTrials.gov API v2, read ")
    fixture = [x for x in ct["rejections"] if x["record"] == "NCT06171568"]
    assert fixture[0]["reasons"][0].startswith("not an LM trial: no_lm: ")
    from lmkg.graph import load_graph

    kg = load_graph(graph)
    assert "lmkg:trial/nct06171568" not in kg and "lmkg:trial/nct05034497" in kg
