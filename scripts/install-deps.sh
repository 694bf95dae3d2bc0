#!/usr/bin/env bash
# Installs the Debian packages gotrace's build and tests need, only those
# that are missing. Idempotent; run as root on Debian 12.
set -euo pipefail
pkgs=(clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev libcapstone-dev
	golang-go libcmocka-dev libclang-rt-14-dev pkg-config make gcc python3 python3-pytest curl
	util-linux)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
