#!/usr/bin/env bash
# Fetch Go toolchains from Debian's archive into build/go/1.X/ without touching the system:
# a private apt configuration (sources, lists, cache under build/apt), apt-get download of
# golang-1.X-go and golang-1.X-src, dpkg -x. A version already present is not fetched again.
#
#   scripts/fetch-go.sh 1.15 1.21 1.27     prints nothing but progress on stderr
#                                          (versions and suites: testdata/go-versions)
#   GO_TOOLCHAINS=DIR scripts/fetch-go.sh  toolchains under DIR instead of build/go
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || { echo "usage: scripts/fetch-go.sh VERSION..." >&2; exit 2; }

dest=${GO_TOOLCHAINS:-build/go}
apt_dir=$(pwd)/build/apt
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The Debian suite of Go version $1, from the matrix's list.
suite_of() {
	awk -v v="$1" '!/^#/ && $1 == v { print $2; found = 1 } END { exit !found }' \
		testdata/go-versions
}

# The archive URI of the machine's own Debian sources (deb822 or one-line format).
archive_uri() {
	local uri
	uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
		awk '{print $2}' | grep -v security | head -n 1)
	[ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list 2>/dev/null |
		awk '{print $2}' | grep -v security | head -n 1)
	echo "${uri:-http://deb.debian.org/debian}"
}

need=()
for v in "$@"; do
	suite_of "$v" >/dev/null || { echo "fetch-go: Go $v: not in testdata/go-versions" >&2; exit 2; }
	[ -x "$dest/$v/bin/go" ] || need+=("$v")
done
[ ${#need[@]} -gt 0 ] || exit 0

[ -r "$keyring" ] || { echo "fetch-go: $keyring: missing (apt-get install debian-archive-keyring)" >&2; exit 1; }
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" "$dest"
uri=$(archive_uri)
: >"$apt_dir/sources.list"
for s in $(for v in "${need[@]}"; do suite_of "$v"; done | sort -u); do
	echo "deb [signed-by=$keyring] $uri $s main" >>"$apt_dir/sources.list"
done
apt_opts=(-o Dir::Etc::SourceList="$apt_dir/sources.list" -o Dir::Etc::SourceParts="$apt_dir/parts"
	-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache"
	-o Dir::State::Status=/dev/null -o APT::Sandbox::User=root -o Debug::NoLocking=1 -o APT::Get::List-Cleanup=0)
apt-get "${apt_opts[@]}" -qq update >&2

for v in "${need[@]}"; do
	tmp=$(mktemp -d "$apt_dir/dl.XXXXXX")
	# the newest of the suites named: each version lives in exactly one of them
	(cd "$tmp" && apt-get "${apt_opts[@]}" -qq download "golang-$v-go" "golang-$v-src") >&2
	mkdir -p "$tmp/root"
	for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$tmp/root"; done
	[ -x "$tmp/root/usr/lib/go-$v/bin/go" ] || { echo "fetch-go: Go $v: no go binary in the packages" >&2; exit 1; }
	# keep the packages' tree whole: /usr/lib/go-1.X links into /usr/share/go-1.X
	rm -rf "${dest:?}/$v" "${dest:?}/root-$v"
	mv "$tmp/root" "$dest/root-$v"
	ln -s "root-$v/usr/lib/go-$v" "$dest/$v"
	rm -rf "$tmp"
	echo "fetch-go: Go $v: $("$dest/$v/bin/go" version)" >&2
done
