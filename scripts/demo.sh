#!/usr/bin/env bash
# The bundled example: build everything, start testdata/webserver, trace its
# handler with gotrace while a few requests hit it, then stop cleanly.
# Run as root from anywhere: scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s gotrace testdata >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
build/testdata/webserver -addr "127.0.0.1:$port" 2>/dev/null &
server=$!
tracer=
cleanup() {
	[ -n "$tracer" ] && kill -INT "$tracer" 2>/dev/null && wait "$tracer" 2>/dev/null || true
	kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

echo "\$ sudo ./gotrace -p $server main.handlerFunction"
./gotrace -p "$server" main.handlerFunction &
tracer=$!
sleep 1
for path in /hello /users/42?verbose=1 /static/app.js; do
	echo "\$ curl http://127.0.0.1:$port$path" >&2
	curl -s "http://127.0.0.1:$port$path" >/dev/null
	sleep 0.3
done
sleep 0.5
echo
echo "\$ sudo ./gotrace -j -n 1 -p $server main.handlerFunction | jq '.args[1].value | {Method, Host, Path: .URL.Path}'"
./gotrace -j -n 1 -o /tmp/gotrace-demo.json -p "$server" main.handlerFunction 2>/dev/null &
one=$!
sleep 1
curl -s "http://127.0.0.1:$port/json?demo=1" >/dev/null
wait "$one" || true
python3 -c 'import json; e = json.load(open("/tmp/gotrace-demo.json")); r = e["args"][1]["value"]; print(json.dumps({"Method": r["Method"], "Host": r["Host"], "Path": r["URL"]["Path"]}))'
rm -f /tmp/gotrace-demo.json
