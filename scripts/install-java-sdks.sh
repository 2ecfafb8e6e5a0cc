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
POM=test/conformance/java/pom.xml
mvn -q -B -f "$POM" ${MAVEN_ARGS_EXTRA:-} dependency:go-offline >&2
# go-offline does not fetch what Surefire loads at test time (its JUnit Platform provider and
# plexus-utils): run the test phase once with no test selected so `mvn -o test` works later
mvn -q -B -f "$POM" ${MAVEN_ARGS_EXTRA:-} test -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false >&2
echo "java conformance artifacts resolved"
