"""The README's demo: gotrace on testdata/webserver's main.handlerFunction
while a request comes in. With the default options, r (the *http.Request) is
shown whole in JSON: its fields, its Header map with every value, nothing
"not followed". The text line shows each argument's own fields, deeper
net/http structs folded into {…}, in a line a person reads; --fold and
--pretty show more."""
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


def get(port):
    """One GET over a fresh connection: (the client's address, the body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        request = "GET %s?%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % (PATH, QUERY, port)
        request += "".join("%s: %s\r\n" % h for h in HEADERS) + "\r\n"
        conn.sendall(request.encode())
        client = "%s:%d" % conn.getsockname()
        response = read_all(conn)
    return client, response.split(b"\r\n\r\n", 1)[1]


def trace_one_request(tmp_path, port, server, *options, funcs=("main.handlerFunction",)):
    """gotrace OPTIONS -p SERVER FUNCS around one request: (the client's
    address, what gotrace wrote)."""
    out = tmp_path / "events"
    tracer = subprocess.Popen([GOTRACE, *options, "-o", str(out), "-p", str(server.pid),
                               *funcs], stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        client, body = get(port)
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
    assert_text_request(text, text_client)

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


def assert_text_request(text, text_client):
    lines = text.splitlines()
    assert len(lines) == 1 and " main.handlerFunction(w=" in lines[0], text
    # each argument's own fields, net/http's deeper structs folded: a line a
    # person reads (the whole request and response are ~10 KB of text)
    assert len(lines[0]) < 2000, lines[0]
    assert "w=*net/http.response(&{conn:&{…} req:&{…} " in lines[0], lines[0]
    shown = lines[0][lines[0].index(", r=") + len(", r="):]
    assert "not followed" not in shown and "unavailable" not in shown, shown
    assert "..." not in lines[0], lines[0]
    assert shown.startswith('&{Method:"GET" URL:&{…} Proto:"HTTP/1.1" ProtoMajor:1 ProtoMinor:1 '
                            'Header:map['), shown
    assert re.search(r'RemoteAddr:"?%s"?' % re.escape(text_client), shown), shown
    assert 'RequestURI:"%s?%s"' % (PATH, QUERY) in shown, shown
    assert shown.endswith(" ctx:*context.cancelCtx(&{…})})"), shown
    header = re.search(r"Header:map\[(.*?)\] Body:", shown)
    assert header, shown
    assert re.search(r'"?X-Request-Id"?:\["?abc-123"?\]', header.group(1)), shown
    assert re.search(r'"?Accept"?:\["?text/plain"? "?application/json"?\]', header.group(1)), \
        shown


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
    assert_text_request(text, text_client)
