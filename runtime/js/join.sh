#!/bin/sh
# join.sh - join the JS runtime's parts into one file (in the manner of Lua's
# onelua.c): the wasmgen-runtime.mjs the compiler embeds, writes beside the
# modules it generates, and pastes into them with --js-runtime=inline; and
# the runtime's declarations, likewise.
#
#   sh runtime/js/join.sh TEMPLATE DIR... > OUT
#
# TEMPLATE is copied with each line `//@include NAME` replaced by the file
# NAME, the first found in DIR... (the parts in runtime/js/, the tables
# generated from compiler/*.def). A line `//@check NAME` names a part that
# is not copied but is there to import from (a part joined into another
# text, as the WASI part is joined apart from the rest). A line `//@public NAME...` in TEMPLATE
# names what the joined file exports; it is not copied, nor are the lines
# starting with `//@ ` (notes on the template itself). Parts named *.mjs
# are ES modules whose imports say what they use of the other parts:
#   - `import { a, b } from './part.mjs';` lines are dropped (once joined,
#     the parts share one scope). Each name must be declared and exported by
#     that part, and a part must import every name it uses that another part
#     declares at its top level: the imports are the parts' true dependencies.
#   - `export` stays on the declarations of the public names only.
# Other parts (.d.ts) are copied as they are. The output depends only on
# the inputs: no dates, no paths.
set -eu
[ $# -ge 2 ] || { echo "usage: sh join.sh TEMPLATE DIR..." >&2; exit 2; }
template=$1
shift
exec awk -v dirs="$*" -v sq="'" '
function fail(msg) { printf "join.sh: %s\n", msg > "/dev/stderr"; failed = 1; exit 1 }

function find(name,    i, path, line) {
    for (i = 1; i <= ndirs; i++) {
        path = dir[i] "/" name
        if ((getline line < path) >= 0) { close(path); return path }
    }
    fail("no part " name " in " dirs)
}

# The top-level name a declaration line declares, or "".
function declared(line) {
    sub(/^export /, "", line)
    if (!match(line, /^(async function\*? ?|function\*? ?|class |const |let )[A-Za-z_$][A-Za-z0-9_$]*/)) return ""
    line = substr(line, 1, RLENGTH)
    sub(/^.* \*?/, "", line)
    sub(/^\*/, "", line)
    return line
}

# Pass 1 over a part: its top-level declarations and exports.
function scan(name, path,    line, d) {
    while ((getline line < path) > 0) {
        if (line ~ /^export / && (d = declared(line)) == "")
            fail(name ": export form not supported (export a declaration): " line)
        if ((d = declared(line)) != "") {
            if (d in owner) fail(name ": " d " is also declared by " owner[d])
            owner[d] = name
            if (line ~ /^export /) exported[name, d] = 1
        }
    }
    close(path)
}

# The code of a line, without comments and string literals; the code inside
# ${...} of a template literal stays. Block comments and template literals
# carry over to the next line.
function code(line,    out, c, i, n) {
    out = ""
    n = length(line)
    for (i = 1; i <= n; i++) {
        c = substr(line, i, 1)
        if (incomment) {
            if (c == "*" && substr(line, i + 1, 1) == "/") { incomment = 0; i++ }
            continue
        }
        if (quote != "") {
            if (c == "\\") { i++; continue }
            if (c == quote) quote = ""
            else if (quote == "`" && c == "$" && substr(line, i + 1, 1) == "{") {
                braces[++depth] = 0; quote = ""; i++; out = out " "
            }
            continue
        }
        if (c == "/" && substr(line, i + 1, 1) == "/") break
        if (c == "/" && substr(line, i + 1, 1) == "*") { incomment = 1; i++; continue }
        if (c == sq || c == "\"" || c == "`") { quote = c; out = out " "; continue }
        if (depth > 0 && c == "{") braces[depth]++
        if (depth > 0 && c == "}") {
            if (braces[depth]-- == 0) { depth--; quote = "`"; out = out " "; continue }
        }
        out = out c
    }
    if (quote != "`") quote = ""
    return out
}

# Pass 2: copy a part, checking its imports against what it uses.
function emit(name, path,    line, names, k, n, i, m, from, tok, rest, before, after, used) {
    split("", imported)
    split("", used)
    incomment = 0; quote = ""; depth = 0; dropped = 0; last = "x"
    while ((getline line < path) > 0) {
        if (line ~ /^import /) {
            if (line !~ ("^import [{] [A-Za-z0-9_$, ]+ [}] from " sq "[.]/[a-z0-9-]+[.]mjs" sq ";$"))
                fail(name ": import form not supported (one line, named imports from ./part.mjs): " line)
            from = line
            sub("^.*from " sq "[.]/", "", from)
            sub(sq ";$", "", from)
            if (!(from in included)) fail(name ": imports from " from ", which is not a part")
            names = line
            sub(/^import \{ /, "", names)
            sub(/ \}.*$/, "", names)
            n = split(names, k, /, */)
            for (i = 1; i <= n; i++) {
                if (!((from, k[i]) in exported)) fail(name ": imports " k[i] ", which " from " does not export")
                imported[k[i]] = 1
            }
            dropped = 1
            continue
        }
        if (line ~ /^export / && !(declared(line) in public)) line = substr(line, 8)
        if (dropped && line == "" && last == "") continue # no blank line where the imports were
        dropped = 0
        print line
        last = line
        rest = code(line)
        while (match(rest, /[A-Za-z_$][A-Za-z0-9_$]*/)) {
            tok = substr(rest, RSTART, RLENGTH)
            before = substr(rest, 1, RSTART - 1)
            rest = substr(rest, RSTART + RLENGTH)
            if (before ~ /\.[ \t]*$/ || rest ~ /^[ \t]*:[^:]/) continue # a property, or an object key
            if ((tok in owner) && owner[tok] != name && !(tok in imported)) used[tok] = 1
        }
    }
    close(path)
    for (tok in used) fail(name ": uses " tok " (declared by " owner[tok] ") without importing it")
}

BEGIN {
    ndirs = split(dirs, dir, / +/)
    # Pass 1: the parts the template includes.
    while ((getline line < ARGV[1]) > 0) {
        if (line ~ /^\/\/@(include|check) /) {
            name = line
            sub(/^\/\/@[a-z]+ /, "", name)
            path[name] = find(name)
            included[name] = 1
            if (name ~ /\.mjs$/) scan(name, path[name])
        } else if (line ~ /^\/\/@public /) {
            n = split(substr(line, 11), k, / +/)
            for (i = 1; i <= n; i++) public[k[i]] = 1
        }
    }
    close(ARGV[1])
    for (p in public) {
        if (!(p in owner)) fail("public name " p " is declared by no part")
        if (!((owner[p], p) in exported)) fail("public name " p " is not exported by " owner[p])
    }
    # Pass 2: the output.
    while ((getline line < ARGV[1]) > 0) {
        if (line ~ /^\/\/@public / || line ~ /^\/\/@ / || line ~ /^\/\/@check /) continue
        if (line !~ /^\/\/@include /) { print line; continue }
        name = substr(line, 12)
        if (name ~ /\.mjs$/) emit(name, path[name])
        else while ((getline l < path[name]) > 0) print l
        close(path[name])
    }
    exit 0
}
' "$template"
