#!/usr/bin/env bash
# The bundled example: build gotrace and testdata/webserver (nothing else),
# start the web server, trace its handler with gotrace while a few requests
# hit it, then stop cleanly. Progress on stderr, as "demo: ..." lines.
# Run as root from anywhere: scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "demo: $*" >&2; }
jobs=$(nproc 2>/dev/null || echo 2)
# the build's own lines are dropped; its errors stay on stderr
say "building gotrace…"
make -j"$jobs" gotrace >/dev/null
say "building the web server with Go $(${GO:-go} env GOVERSION | sed 's/^go//')…"
make -j"$jobs" build/testdata/webserver >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "starting the web server on 127.0.0.1:$port…"
build/testdata/webserver -addr "127.0.0.1:$port" 2>/dev/null &
server=$!
tracer=
json=$(mktemp /tmp/gotrace-demo.XXXXXX)
log=$(mktemp /tmp/gotrace-demo-log.XXXXXX)
stop_tracer() {
	if [ -n "$tracer" ]; then
		kill -INT "$tracer" 2>/dev/null || true
		wait "$tracer" 2>/dev/null || true
		tracer=
	fi
}
cleanup() {
	stop_tracer
	kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
	rm -f "$json" "$log"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

# requests once the gotrace just started says it is attached
hit() {
	for _ in $(seq 100); do grep -q "attached" "$log" 2>/dev/null && break; sleep 0.1; done
	for path in /hello /users/42?verbose=1 /static/app.js; do
		echo "\$ curl http://127.0.0.1:$port$path" >&2
		curl -s "http://127.0.0.1:$port$path" >/dev/null
		sleep 0.3
	done
	sleep 0.5
	stop_tracer
}

# 1. --print: only what the expressions name, captured alone in the kernel
print='r.Method, r.URL.Path, r.URL.RawQuery, r.Header["User-Agent"]'
echo "\$ sudo ./gotrace --print '$print' -p $server main.handlerFunction"
./gotrace --print "$print" -p "$server" main.handlerFunction 2> >(tee "$log" >&2) &
tracer=$!
hit

# 2. text: one line per call, r followed through its pointers
echo
echo "\$ sudo ./gotrace -p $server main.handlerFunction"
: >"$log"
./gotrace -p "$server" main.handlerFunction 2> >(tee "$log" >&2) &
tracer=$!
hit

# 3. JSON: one call, then the fields of r a reader looks for first
echo
echo "\$ sudo ./gotrace -j -n 1 -o $json -p $server main.handlerFunction"
./gotrace -j -n 1 -o "$json" -p "$server" main.handlerFunction 2>/dev/null &
tracer=$!
sleep 1
echo "\$ curl http://127.0.0.1:$port/json?demo=1" >&2
curl -s "http://127.0.0.1:$port/json?demo=1" >/dev/null
wait "$tracer" || true
tracer=
echo "# r.Method, r.URL.Path, r.URL.RawQuery and r.Host, from that event:"
python3 - "$json" <<'EOF'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e["event"] == "call":
        r = e["args"][1]["value"]
        print(json.dumps({"Method": r["Method"], "Path": r["URL"]["Path"],
                          "RawQuery": r["URL"]["RawQuery"], "Host": r["Host"]}))
EOF
