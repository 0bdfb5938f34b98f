#!/bin/bash
# Set everything up and run every test: installs packages, builds twice (plain, and with
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs the whole ctest suite on both.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh >/dev/null
./scripts/build.sh --sanitize >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export VITRINE_LOG=${VITRINE_LOG:-warn}
status=0
for dir in build-asan build; do
  echo "== ctest in $dir"
  ctest --test-dir "$dir" --output-on-failure -j2 --timeout 300 || status=1
done
exit $status
