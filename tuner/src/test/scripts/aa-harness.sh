#!/bin/sh
# A/A harness for the verify package: runs a benchmark's verification N times with nothing
# changed in between and prints how often a false "improved"/"regressed" came out and how long
# one verification took. Compiles with Maven (offline), then runs the harness with java directly
# (no exec plugin needed). Usage, from anywhere:
#   tuner/src/test/scripts/aa-harness.sh cpu 20 duration=1
#   tuner/src/test/scripts/aa-harness.sh disk 20 runtime=1 size=64M
# Environment: RUNS (default 5) and WARMUP (default 1) runs per side.
set -eu
module=$(cd "$(dirname "$0")/../../.." && pwd)
(cd "$module" && mvn -q -o test-compile)
repo=${MAVEN_REPO:-$HOME/.m2/repository}
cp="$module/target/test-classes:$module/target/classes"
for jar in org/yaml/snakeyaml/2.7/snakeyaml-2.7.jar \
           org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar \
           com/fasterxml/jackson/core/jackson-databind/2.23.0/jackson-databind-2.23.0.jar \
           com/fasterxml/jackson/core/jackson-core/2.23.0/jackson-core-2.23.0.jar; do
  cp="$cp:$repo/$jar"
done
# jackson-annotations is versioned apart from databind in 2.20+; take whichever is present.
ann=$(find "$repo/com/fasterxml/jackson/core/jackson-annotations" -name 'jackson-annotations-*.jar' | sort -V | tail -1)
cp="$cp:$ann"
exec java -Dtuner.repo="$module/.." -Druns="${RUNS:-5}" -Dwarmup="${WARMUP:-1}" -cp "$cp" dev.tuner.testing.AaHarness "$@"
