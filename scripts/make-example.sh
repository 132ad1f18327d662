#!/usr/bin/env bash
# Makes examples/sandstone-xrm.tif (the README's 'poreseg analyze' example) from ../shared/datasets/sandstone-xrm.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
src="${1:-$here/../shared/datasets/sandstone-xrm/images}"
[ -f "$here/target/poreseg.jar" ] || (cd "$here" && mvn -B -q -DskipTests package)
mkdir -p "$here/examples"
java -cp "$here/target/poreseg.jar" "$here/scripts/MakeExample.java" "$src" "$here/examples/sandstone-xrm.tif"
