#!/usr/bin/env bash
# Installs the Debian packages gotrace's build and tests need, only those
# that are missing. Idempotent; run as root on Debian 12.
set -euo pipefail
pkgs=(
	clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev libcapstone-dev # build
	gcc libc6-dev make pkg-config golang-go                                        # build
	libcmocka-dev libclang-rt-14-dev python3 python3-pytest curl util-linux         # tests
	wrk                                                                           # make soak
	bpftrace                                                                      # bench/service.sh
	debian-archive-keyring dpkg apt                                               # Go matrix
)
missing=()
for p in "${pkgs[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
