#!/bin/sh
# js-tests.sh - the JS runtime's tests, as Stryker's command runner runs them
# in its sandbox (see stryker.mjs): the end-to-end suites, whose modules get
# the runtime the compiler embeds, rebuilt from the instrumented sources the
# first time. Stryker sets __STRYKER_ACTIVE_MUTANT__ for each run.
set -e
cd "$(dirname "$0")/../.."
# The runtime's parts are joined into modules, where Stryker's helpers may be
# declared once: they become globals instead (stryker-join.mjs).
if [ -d runtime/js ]; then
  node tests/mutate/stryker-join.mjs
  export NODE_OPTIONS="--import $PWD/tests/mutate/stryker-globals.mjs${NODE_OPTIONS:+ $NODE_OPTIONS}"
fi
# WG_JS_TESTS_LOG=FILE keeps the tests' output (for debugging).
exec make --no-print-directory -s CFLAGS=-O1 'WARN=-std=c11 -w' check-e2e >"${WG_JS_TESTS_LOG:-/dev/null}" 2>&1
