"""The README's demo: gotrace on testdata/webserver's main.handlerFunction
while a request comes in. With the default options, r (the *http.Request) is
shown whole in JSON: its fields, its Header map with every value, nothing
"not followed". The text line fits in 500 characters: each argument's own
fields, zero ones and deeper net/http structs left out and counted, r.URL
as its String, w's internals left out first; --fold and --pretty show more."""
import json
import os
import re
import signal
import socket
import subprocess
import time

from common import GOTRACE, TESTDATA, free_port, need_root, read_all, sorted_maps, wait_attached, \
    wait_for_http

WEBSERVER = os.path.join(TESTDATA, "webserver")
PATH, QUERY = "/demo/path", "q=1"
# Sent as is, over a socket: no client adds headers of its own. Go drops Host
# from the Header map (it becomes Request.Host) and canonicalizes the keys.
HEADERS = [("User-Agent", "gotrace-e2e/1"), ("X-Request-Id", "abc-123"),
           ("Accept", "text/plain"), ("Accept", "application/json"), ("Connection", "close")]
HEADER_MAP = {"len": 4, "entries": [["Accept", ["text/plain", "application/json"]],
                                    ["Connection", ["close"]],
                                    ["User-Agent", ["gotrace-e2e/1"]],
                                    ["X-Request-Id", ["abc-123"]]]}


def get(port, headers=HEADERS):
    """One GET over a fresh connection: (the client's address, the body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        request = "GET %s?%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (PATH, QUERY, port)
        request += "".join("%s: %s\r\n" % h for h in headers) + "\r\n"
        conn.sendall(request.encode())
        client = "%s:%d" % conn.getsockname()
        response = read_all(conn)
    return client, response.split(b"\r\n\r\n", 1)[1]


def trace_one_request(tmp_path, port, server, *options, funcs=("main.handlerFunction",),
                      headers=HEADERS):
    """gotrace OPTIONS -p SERVER FUNCS around one request with HEADERS: (the
    client's address, what gotrace wrote)."""
    out = tmp_path / "events"
    tracer = subprocess.Popen([GOTRACE, *options, "-o", str(out), "-p", str(server.pid),
                               *funcs], stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        client, body = get(port, headers)
        assert body == ("hello %s\n" % PATH).encode()
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=10) == 0
    finally:
        if tracer.poll() is None:
            tracer.kill()
            tracer.wait()
    return client, out.read_text()


def reasons(value):
    """Every {"unavailable": why} inside a JSON value."""
    if isinstance(value, list):
        return [r for v in value for r in reasons(v)]
    if not isinstance(value, dict):
        return []
    return ([value["unavailable"]] if "unavailable" in value else []) + \
        [r for v in value.values() for r in reasons(v)]


def test_demo_request_whole(tmp_path):
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", "127.0.0.1:%d" % port],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(port)
        client, events = trace_one_request(tmp_path, port, server, "-j")
        text_client, text = trace_one_request(tmp_path, port, server)
        _, cut = trace_one_request(tmp_path, port, server, "-j", "--max-string", "8")
        _, fold1 = trace_one_request(tmp_path, port, server, "--fold", "1")
        _, pretty = trace_one_request(tmp_path, port, server, "--pretty")
    finally:
        server.kill()
        server.wait()

    assert_request_whole(events, port, client)
    assert_text_request(text, port, text_client)

    # --max-string 8: the cut strings are marked where they stand
    req = [json.loads(line) for line in cut.splitlines()][0]["args"][1]["value"]
    assert req["URL"]["Path"] == {"value": PATH[:8], "truncated": True, "reason": "string",
                                  "len": len(PATH)}, req["URL"]
    assert req["Method"] == "GET" and req["Proto"] == "HTTP/1.1"  # 8 bytes: whole


    # --fold 1: the fields' fields too
    shown = fold1[fold1.index(", r=") + len(", r="):]
    assert ('URL:&{Scheme:"" Opaque:"" User:<nil> Host:"" Path:"%s" RawPath:"" ' % PATH) in shown
    assert 'RawQuery:"%s"' % QUERY in shown, shown
    assert " ctx:*context.cancelCtx(&{Context:" in shown, shown

    # --pretty: one call over lines of their own, as %#v writes literals
    lines = pretty.splitlines()
    assert lines[0].endswith(" main.handlerFunction("), lines[0]
    assert lines[1] == "    w=&net/http.response{" and lines[2] == "        conn: &net/http.conn{…},"
    r = lines.index("    r=&net/http.Request{")
    assert lines[r + 1:r + 7] == ['        Method: "GET",', "        URL: &net/url.URL{…},",
                                  '        Proto: "HTTP/1.1",', "        ProtoMajor: 1,",
                                  "        ProtoMinor: 1,", "        Header: net/http.Header{"]
    assert '            "X-Request-Id": []string{"abc-123"},' in lines[r + 7:r + 12], lines
    assert '            "Accept": []string{"text/plain", "application/json"},' in lines[r + 7:r + 12]
    assert lines[-2:] == ["    },", ")"], lines[-2:]


def assert_request_whole(events, port, client):
    """The JSON event of one request: r whole, w's dynamic type."""
    calls = [json.loads(line) for line in events.splitlines()]
    assert [c["func"] for c in calls] == ["main.handlerFunction"], events
    w, r = calls[0]["args"]
    assert w["name"] == "w" and w["value"]["type"] == "*net/http.response"
    assert r["name"] == "r" and r["type"] == "*net/http.Request"
    assert "unavailable" not in r, r
    req = r["value"]
    assert req["Method"] == "GET"
    assert req["URL"]["Path"] == PATH and req["URL"]["RawQuery"] == QUERY
    assert req["Proto"] == "HTTP/1.1" and req["ProtoMajor"] == 1 and req["ProtoMinor"] == 1
    assert sorted_maps(req["Header"]) == sorted_maps(HEADER_MAP), req["Header"]
    assert req["Host"] == "127.0.0.1:%d" % port
    assert req["RemoteAddr"] == client
    assert req["RequestURI"] == "%s?%s" % (PATH, QUERY)
    assert req["ContentLength"] == 0 and req["Close"] is True
    assert not [why for why in reasons(req) if "not followed" in why], req
    # the JSON never folds: w's internals are there, down to a cycle back to w
    resp = w["value"]["value"]
    assert resp["conn"]["remoteAddr"] == client, resp["conn"]
    assert resp["req"]["URL"]["Path"] == PATH
    assert resp["cw"]["res"]["reason"] == "cycle" and resp["cw"]["res"]["addr"].startswith("0x")
    assert set(resp["cw"]["res"]) == {"addr", "reason"}


# The default line of the request get() sends, as a pattern: w's internals
# left out (unexported fields of another package: the first to go), r's own
# fields but the zero ones (counted), ctx (folded: the first to go) and the
# Header map's entries, in Go's map order (checked apart).
TEXT_LINE = (r"\d\d:\d\d:\d\d\.\d{9} pid=\d+ tid=\d+ goid=\d+ main\.handlerFunction\("
             r"w=\*net/http\.response\(&\{reqBody:net/http\.noBody\(\{\}\) "
             r"…\+9 fields \+16 zero\}\), "
             r"r=&\{Method:\"GET\" URL:/demo/path\?q=1 Proto:\"HTTP/1\.1\" ProtoMajor:1 "
             r"ProtoMinor:1 Header:map\[(?P<header>.*)\] Body:net/http\.noBody\(\{\}\) Close:true "
             r"Host:\"127\.0\.0\.1:(?P<port>\d+)\" RemoteAddr:\"(?P<client>[\d.:]+)\" "
             r"RequestURI:\"/demo/path\?q=1\" …\+1 field \+10 zero\}\)")


def assert_text_request(text, port, text_client):
    lines = text.splitlines()
    assert len(lines) == 1 and " main.handlerFunction(w=" in lines[0], text
    # a line that fits on a screen (the whole request and response are ~10
    # KB of text; today's default folding alone left 1.2 KB)
    assert len(lines[0]) <= 500, (len(lines[0]), lines[0])
    m = re.fullmatch(TEXT_LINE, lines[0])
    assert m, lines[0]
    assert m.group("port") == str(port) and m.group("client") == text_client, lines[0]
    entries = re.findall(r'"([^"]+)":\[((?:"[^"]*" ?)+)\]', m.group("header"))
    assert sorted((k, re.findall(r'"([^"]*)"', v)) for k, v in entries) == \
        sorted((k, v) for k, v in HEADER_MAP["entries"]), m.group("header")
    assert len(" ".join('"%s":[%s]' % (k, v) for k, v in entries)) == len(m.group("header"))


def test_demo_line_fits(tmp_path):
    """The README's first example: curl's request, and one with a hundred
    headers. Either line fits in 500 characters with r's method and path;
    what the budget left out is counted where it was."""
    need_root()
    port = free_port()
    server = subprocess.Popen([WEBSERVER, "-addr", "127.0.0.1:%d" % port],
                              stderr=subprocess.DEVNULL)
    curl = [("User-Agent", "curl/7.88.1"), ("Accept", "*/*"), ("Connection", "close")]
    many = [("X-Header-%03d" % i, "value-%d" % i) for i in range(99)] + [("Connection", "close")]
    try:
        wait_for_http(port)
        _, text = trace_one_request(tmp_path, port, server, headers=curl)
        _, crowded = trace_one_request(tmp_path, port, server, headers=many)
        _, events = trace_one_request(tmp_path, port, server, "-j", headers=many)
    finally:
        server.kill()
        server.wait()
    line = text.splitlines()[0]
    assert len(line) <= 500 and 'r=&{Method:"GET" URL:/demo/path?q=1 Proto:"HTTP/1.1" ' in line, \
        line
    assert ' Header:map["' in line and '"Accept":["*/*"]' in line, line
    assert ' RequestURI:"/demo/path?q=1" …+1 field +10 zero})' in line, line
    # a hundred headers (not all captured): w's internals and r's ctx go
    # first, then r's last fields, until the line fits; the short ones after
    # the Header map come back. All counted.
    line = crowded.splitlines()[0]
    assert len(line) <= 500, (len(line), line)
    assert 'w=*net/http.response(&{…+10 fields +16 zero}), ' in line, line
    assert re.search(r'r=&\{Method:"GET" URL:/demo/path\?q=1 Proto:"HTTP/1\.1" ProtoMajor:1 '
                     r'ProtoMinor:1 Body:net/http\.noBody\(\{\}\) Close:true '
                     r'Host:"127\.0\.0\.1:%d" RemoteAddr:"[\d.:]+" RequestURI:"/demo/path\?q=1" '
                     r'…\+2 fields \+10 zero\}\)$' % port, line), line  # Header, ctx
    # the JSON keeps everything
    r = json.loads(events.splitlines()[0])["args"][1]["value"]
    assert r["Header"]["truncated"] is True and r["Header"]["value"]["len"] == 100, r["Header"]
    assert r["RequestURI"] == "%s?%s" % (PATH, QUERY) and r["URL"]["Path"] == PATH, r


def test_stripped_service_request_named(tmp_path):
    """The README's stripped service: the webserver built with -ldflags='-s -w'
    (no DWARF, no symbols), traced with a signature that names its request
    type as Go code does, *http.Request: r whole from the binary's own type
    descriptors, as the unstripped build shows it."""
    need_root()
    funcs = tmp_path / "funcs.txt"
    funcs.write_text("main.handlerFunction(w http.ResponseWriter, r *http.Request)\n")
    port = free_port()
    server = subprocess.Popen([WEBSERVER + "-stripped", "-addr", "127.0.0.1:%d" % port],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for_http(port)
        client, events = trace_one_request(tmp_path, port, server, "-j", "-f", str(funcs),
                                           funcs=())
        text_client, text = trace_one_request(tmp_path, port, server, "-f", str(funcs),
                                              funcs=())
    finally:
        server.kill()
        server.wait()
    assert_request_whole(events, port, client)
    assert_text_request(text, port, text_client)
