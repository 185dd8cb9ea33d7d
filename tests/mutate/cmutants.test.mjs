// cmutants.test.mjs - the C mutation operators of `make mutate` make the
// mutants they promise, in code only: never in comments, strings,
// preprocessor lines, or the grammar and patterns of .y and .l files.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mutants, apply, diff } from './cmutants.mjs';

const C = `#include <stdio.h>
#define LIMIT 16
/* if (a < b) a++; */
static const int table[] = { 1, 2 };
struct S { int a; int b; };
static int f(int a, int b, const char *s) {
    int n = a - b;            // a < b
    if (a < b && s[0] == 'x')
        n++;
    while (n > 0)
        g(n);
    puts("a < b; x++;");
    return n + 1;
}
`;

const texts = (src, ms) => ms.map((m) => `${m.op}: ${src.slice(m.start, m.end)} -> ${m.text}`);

test('C: each operator, in code only', () => {
  const ms = mutants('x.c', C);
  const t = texts(C, ms);
  for (const want of [
    'const: 16 -> 17', 'const: 16 -> 15',                     // a #define limit
    'arith: - -> +', 'swap: a - b -> b - a',
    'rel: < -> <=', 'swap: a < b -> b < a', 'logic: && -> ||', 'eq: == -> !=',
    "cond: a < b && s[0] == 'x' -> 0", "cond: a < b && s[0] == 'x' -> 1",
    'stmt: n++; -> ;', 'arith: ++ -> --',
    'rel: > -> >=', 'cond: n > 0 -> 0', 'stmt: g(n); -> ;',
    'stmt: puts("a < b; x++;"); -> ;',
    'arith: + -> -', 'const: 1 -> 2', 'const: 1 -> 0',
  ]) assert.ok(t.includes(want), `${want}\nin:\n${t.join('\n')}`);
  // Never in the comment, the string, #include, or a declaration.
  for (const m of ms) {
    const line = diff(C, m).before;
    assert.doesNotMatch(line, /^\/\*|^#include/, t.join('\n'));
    if (m.op === 'stmt') assert.doesNotMatch(C.slice(m.start, m.end), /^(int|return|struct)/);
  }
  assert.ok(!t.some((x) => /^cond: n > 0 -> 1/.test(x)), 'while (1) would hang: not made');
  assert.ok(!t.some((x) => x.startsWith('stmt: int')), 'a declaration is not removed');
  // Deterministic, and each applies to valid text.
  assert.deepEqual(mutants('x.c', C), ms);
  assert.equal(apply(C, ms.find((m) => m.op === 'rel')).includes('if (a <= b'), true);
});

test('bison: only the C of actions and %code; never $N or the grammar', () => {
  const Y = `%{
static int k = 3;
%}
%code requires { typedef int T; }
%code {
static int twice(int x) { return x * 2 - 1; }
}
%token A B
%%
s : A B { $$ = $1 + 1; use(@2); }
  | B ':' { $$ = 0; }
  ;
%%
int tail(int v) { return v - 4; }
`;
  const t = texts(Y, mutants('x.y', Y));
  for (const want of ['const: 3 -> 4', 'arith: - -> +', 'stmt: $$ = $1 + 1; -> ;', 'arith: + -> -',
    'stmt: use(@2); -> ;', 'stmt: $$ = 0; -> ;', 'const: 0 -> 1', 'swap: v - 4 -> 4 - v', 'const: 4 -> 5'])
    assert.ok(t.includes(want), `${want}\nin:\n${t.join('\n')}`);
  // Operands by precedence: in x * 2 - 1, '-' has x * 2 on its left.
  assert.ok(!t.some((x) => x.startsWith('swap: 2 - 1')), t.join('\n'));
  // $1 and @2 are never touched, nor %code requires.
  for (const m of mutants('x.y', Y)) assert.ok(!'$@'.includes(Y[m.start - 1]), t.join('\n'));
  assert.ok(!t.some((x) => x.includes('typedef')), t.join('\n'));
});

test('flex: actions in braces, never the patterns', () => {
  const L = `%{
#include "x.h"
%}
DIGIT [0-9]
%%
[{}()]+      { return 1; }
{DIGIT}{2,3} { n = n * 10 - 1; }
"if"         return IF;
%%
int helper(void) { return 0; }
`;
  const t = texts(L, mutants('x.l', L));
  assert.ok(t.includes('const: 1 -> 2'), t.join('\n'));
  assert.ok(t.includes('stmt: n = n * 10 - 1; -> ;'), t.join('\n'));
  assert.ok(t.includes('const: 0 -> 1'), t.join('\n'));
  // Not the {2,3} repeat, nor the [0-9] class.
  for (const pat of ['[0-9]', '{DIGIT}{2,3}', '[{}()]+']) {
    const at = L.indexOf(pat);
    assert.ok(!mutants('x.l', L).some((m) => m.start >= at && m.start < at + pat.length), `${pat}: ${t.join('\n')}`);
  }
});
