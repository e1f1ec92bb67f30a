#!/bin/sh
# Builds tuner's vcsim (main.go beside this script) with Debian's Go and Debian's govmomi source:
#   apt-get install -y golang-go golang-github-vmware-govmomi-dev
# Usage: build.sh [OUTPUT_DIR]   (default: ${XDG_CACHE_HOME:-$HOME/.cache}/tuner)
# Prints the path of the binary. Idempotent: the binary's name carries a hash of main.go and of the
# installed govmomi version, so an unchanged input is never rebuilt and a changed one always is.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/tuner}
command -v go >/dev/null 2>&1 || { echo "build.sh: 'go' not found: apt-get install -y golang-go" >&2; exit 3; }
src=/usr/share/gocode/src/github.com/vmware/govmomi/simulator
[ -d "$src" ] || { echo "build.sh: $src missing: apt-get install -y golang-github-vmware-govmomi-dev" >&2; exit 3; }
version=$(dpkg-query -W -f='${Version}' golang-github-vmware-govmomi-dev 2>/dev/null || echo unknown)
hash=$( { cat "$here/main.go"; echo "$version"; go version; } | sha256sum | cut -c1-16)
bin="$out/vcsim-$hash"
if [ ! -x "$bin" ]; then
  mkdir -p "$out"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/src/tunervcsim"
  cp "$here/main.go" "$work/src/tunervcsim/"
  # GOPATH mode: Debian's packages install Go sources under /usr/share/gocode, not as modules.
  # Go's own build cache goes beside the binary unless the caller chose one (CI may run without HOME).
  (cd "$work/src/tunervcsim" && GOPATH="$work:/usr/share/gocode" GO111MODULE=off GOCACHE="${GOCACHE:-$out/go-build}" \
     go build -o "$bin.tmp" .) >&2
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
