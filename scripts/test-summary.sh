#!/usr/bin/env bash
# Runs the built test suite, keeps the full log, and ends with one line
# "N passed, N failed" (counted from Swift Testing's per-test results) so any CI
# can read the outcome (also written to LOG.summary). Exits with swift test's status.
set -uo pipefail
log=${1:-.build/test.log}
mkdir -p "$(dirname "$log")"
swift test --skip-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
passed=$(grep -E '^✔ Test .* passed after' "$log" | grep -vc '^✔ Test run with')
failed=$(grep -E '^✘ Test .* failed after' "$log" | grep -vc '^✘ Test run with')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
# Per-test result lines can go missing from a loaded run's output; Swift Testing's closing
# "Test run with N tests" line holds the total, so passed = N - failed when it is there.
total=$(grep -aoE '^(✔|✘) Test run with [0-9]+ tests?' "$log" | tail -1 | grep -oE '[0-9]+' || true)
if [ -n "$total" ]; then passed=$((total - failed)); fi
# The line is also kept in LOG.summary, for a caller that prints other output after the suite.
echo "$passed passed, $failed failed" | tee "$log.summary"
exit "$status"
