#!/bin/sh
# js-tests.sh - the JS runtime's tests, as Stryker's command runner runs them
# in its sandbox (see stryker.mjs): the end-to-end suites, whose modules get
# the runtime the compiler embeds, rebuilt from the instrumented sources the
# first time. Stryker sets __STRYKER_ACTIVE_MUTANT__ for each run.
set -e
cd "$(dirname "$0")/../.."
# Stryker puts its helper functions at the top of every file it mutates. The
# runtime's parts are joined into one module, where the helpers may be
# declared once: they move to the template that includes the parts.
[ ! -d runtime/js ] || node tests/mutate/stryker-join.mjs
# WG_JS_TESTS_LOG=FILE keeps the tests' output (for debugging).
exec make --no-print-directory -s CFLAGS=-O1 'WARN=-std=c11 -w' check-e2e >"${WG_JS_TESTS_LOG:-/dev/null}" 2>&1
