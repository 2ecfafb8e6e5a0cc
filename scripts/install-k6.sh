#!/usr/bin/env bash
# Installs k6 (pinned) with `go install` when it is missing. Cache-friendly:
# if $(go env GOPATH)/bin/k6 already reports the pinned version, it does nothing.
# Usage: scripts/install-k6.sh            (prints the path of the k6 binary)
set -euo pipefail

K6_MODULE="${K6_MODULE:-go.k6.io/k6/v2}"
K6_VERSION="${K6_VERSION:-v2.2.0}"

if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<'MSG'
install-k6: Go is not installed, so k6 cannot be built here.
Install k6 one of these ways, then re-run:
  - macOS:   brew install k6
  - Debian/Ubuntu: see https://grafana.com/docs/k6/latest/set-up/install-k6/ (apt repository)
  - Windows: winget install k6 --source winget   (or: choco install k6)
  - any OS with Go: go install go.k6.io/k6/v2@v2.2.0
Or point moshpit at an existing binary with MOSHPIT_K6_BIN=/path/to/k6.
MSG
  exit 1
fi

bin_dir="$(go env GOPATH)/bin"
k6_bin="$bin_dir/k6"
want="${K6_VERSION#v}"

if [ -x "$k6_bin" ] && "$k6_bin" version 2>/dev/null | grep -q "v${want}"; then
  echo "$k6_bin"
  exit 0
fi

echo "install-k6: building ${K6_MODULE}@${K6_VERSION} (takes a few minutes)..." >&2
# The module proxy alone is enough (no VCS access needed): drop a trailing "direct", which
# would try to reach k6's own host.
GOPROXY="${K6_GOPROXY:-$(go env GOPROXY | sed 's/,direct$//')}"
export GOPROXY
if ! go install "${K6_MODULE}@${K6_VERSION}"; then
  # `go install m@v` also loads the module's deprecation notice from the proxy's version list;
  # when that list is unavailable, build the same pinned version from a throwaway module.
  echo "install-k6: go install failed; building ${K6_MODULE}@${K6_VERSION} from a temporary module" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (
    cd "$work"
    go mod init moshpit-k6-build >/dev/null 2>&1
    go mod edit -require="${K6_MODULE}@${K6_VERSION}"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$K6_MODULE" > tools.go
    mkdir -p "$bin_dir"
    GOFLAGS=-mod=mod go build -o "$k6_bin" "$K6_MODULE"
  )
fi
"$k6_bin" version >&2
echo "$k6_bin"
