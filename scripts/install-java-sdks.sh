#!/usr/bin/env bash
# Resolves the Java conformance suites' Maven artifacts (the official Azure SDKs for Java, JUnit)
# into the local Maven repository once, so the tests themselves run offline (mvn -o).
# Exits 0 with a message when Java or Maven is missing: the Java suite then reports itself skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then
  echo "java/mvn not found: the Java conformance suite will be skipped" >&2
  exit 0
fi
mvn -q -B -f test/conformance/java/pom.xml dependency:go-offline test-compile -DskipTests >&2 || \
  mvn -q -B -f test/conformance/java/pom.xml dependency:resolve dependency:resolve-plugins >&2
echo "java conformance artifacts resolved"
