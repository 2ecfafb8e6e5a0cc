#!/usr/bin/env bash
# Builds Toxiproxy's server (pinned) as $(go env GOPATH)/bin/toxiproxy-server, for the side-by-side
# figures of `npm run bench:proxy`. Optional: moshpit never needs Toxiproxy to run. Does nothing
# when that binary already exists. Prints the binary's path.
set -euo pipefail

TOXIPROXY_VERSION="${TOXIPROXY_VERSION:-v2.12.0}"

if ! command -v go >/dev/null 2>&1; then
  echo "install-toxiproxy: Go is not installed; install Go, or download toxiproxy-server from https://github.com/Shopify/toxiproxy/releases and put it on PATH" >&2
  exit 1
fi

target="$(go env GOPATH)/bin/toxiproxy-server"
if [ -x "$target" ]; then
  echo "$target"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# `go install` names the binary after its package directory (`server`): build into a temp GOBIN
GOBIN="$tmp" go install "github.com/Shopify/toxiproxy/v2/cmd/server@${TOXIPROXY_VERSION}" >&2
mkdir -p "$(dirname "$target")"
mv "$tmp/server" "$target"
echo "$target"
