#!/bin/sh
# embed.sh FILE NAME - print FILE as a C definition `const char NAME[]`, so
# the compiler carries the JS runtime's text (as wabt carries its templates:
# the runtime stays a real .mjs file, tested as one).
set -eu
printf '/* Generated from %s by compiler/embed.sh; do not edit. */\n' "$1"
printf 'const char %s[] =\n' "$2"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/?/\\?/g' -e 's/^/    "/' -e 's/$/\\n"/' "$1"
printf '    "";\n'
