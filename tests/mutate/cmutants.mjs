// cmutants.mjs - the mutants of a C source (.c, or the C parts of a bison .y
// or flex .l file): classic mutation operators applied to tokens, never to
// comments, strings or preprocessor lines.
//
//   rel      relational boundary: <  <=, >  >=
//   eq       == !=
//   logic    && ||
//   arith    binary + -, ++ --
//   const    an integer constant c to c+1 and c-1
//   cond     if (c) to if (0) and if (1); while (c) to while (0)
//   stmt     an expression statement (a call, an assignment, ++/--, break,
//            continue) removed
//   swap     the operands of a non-commutative operator (- / % < <= > >= << >>)
//
// A mutant is { file, op, start, end, text }: replace src[start, end) by text.
// The order is deterministic (by offset, then operator).

const PUNCT = ['>>=', '<<=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##'];

/** Tokens of src[from, to): { t: 'id'|'num'|'str'|'punct', v, s, e }. */
export function tokenize(src, from = 0, to = src.length) {
  const toks = [];
  let i = from;
  let lineStart = true; // only white space since the last newline
  while (i < to) {
    const c = src[i];
    if (c === '\n') { lineStart = true; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < to && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') {
      const e = src.indexOf('*/', i + 2);
      i = e < 0 ? to : e + 2;
      continue;
    }
    if (c === '#' && lineStart) {
      // A preprocessor line, with its continuations. `#define NAME number`
      // keeps its number, a limit worth mutating.
      const s = i;
      while (i < to && !(src[i] === '\n' && src[i - 1] !== '\\')) i++;
      const line = src.slice(s, i);
      const m = /^#\s*define\s+[A-Za-z_]\w*\s+\(?(-?)(0[xX][0-9A-Fa-f]+|\d+)[uUlL]*\)?\s*$/.exec(line);
      if (m) {
        const at = s + line.lastIndexOf(m[2]);
        toks.push({ t: 'num', v: m[2], s: at, e: at + m[2].length });
      }
      continue;
    }
    lineStart = false;
    if (c === '"' || c === "'") {
      const s = i++;
      while (i < to && src[i] !== c) i += src[i] === '\\' ? 2 : 1;
      i++;
      toks.push({ t: 'str', v: src.slice(s, i), s, e: i });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const s = i;
      while (i < to && /\w/.test(src[i])) i++;
      toks.push({ t: 'id', v: src.slice(s, i), s, e: i });
      continue;
    }
    if (/\d/.test(c) || (c === '.' && /\d/.test(src[i + 1]))) {
      const s = i;
      while (i < to && (/[\w.]/.test(src[i]) || (/[+-]/.test(src[i]) && /[eEpP]/.test(src[i - 1])))) i++;
      toks.push({ t: 'num', v: src.slice(s, i), s, e: i });
      continue;
    }
    const p = PUNCT.find((q) => src.startsWith(q, i)) ?? c;
    toks.push({ t: 'punct', v: p, s: i, e: i + p.length });
    i += p.length;
  }
  return toks;
}

/** The regions of a file that are C: [start, end, body] (body: inside a function already, as an action). */
export function cRegions(src, kind) {
  if (kind === 'c') return [[0, src.length, false]];
  const regions = [];
  // %{ ... %} blocks, in the declarations section.
  const sections = src.split(/^%%[ \t]*$/m);
  const declEnd = sections[0].length;
  for (const m of sections[0].matchAll(/^%\{\n([\s\S]*?)^%\}/gm))
    regions.push([m.index + 3, m.index + 3 + m[1].length, false]);
  // bison: `%code {` (no qualifier: requires/provides only declare).
  if (kind === 'y')
    for (const m of sections[0].matchAll(/^%code[ \t]*\{/gm)) {
      const open = m.index + m[0].length - 1;
      regions.push([open + 1, matchBrace(src, open), false]);
    }
  // The rules section: each action's braces.
  const rulesStart = declEnd + src.slice(declEnd).indexOf('\n') + 1;
  const rulesEnd = sections.length > 2 ? rulesStart + sections[1].length - 1 : src.length;
  if (kind === 'y') {
    for (const t of tokenize(src, rulesStart, rulesEnd)) {
      if (t.s < (regions.at(-1)?.[1] ?? 0)) continue;
      if (t.v === '{') regions.push([t.s + 1, matchBrace(src, t.s), true]);
    }
  } else {
    // flex: a rule is a pattern at the start of a line, white space, and an
    // action; only actions in braces are mutated.
    let i = rulesStart;
    while (i < rulesEnd) {
      const eol = src.indexOf('\n', i);
      const lineEnd = eol < 0 ? rulesEnd : eol;
      if (/\S/.test(src[i]) && src[i] !== '%') {
        let j = i, inClass = false, inStr = false;
        for (; j < lineEnd; j++) {
          const ch = src[j];
          if (ch === '\\') { j++; continue; }
          if (inStr) { if (ch === '"') inStr = false; continue; }
          if (inClass) { if (ch === ']') inClass = false; continue; }
          if (ch === '"') inStr = true;
          else if (ch === '[') inClass = true;
          else if (ch === ' ' || ch === '\t') break;
        }
        while (j < lineEnd && (src[j] === ' ' || src[j] === '\t')) j++;
        if (src[j] === '{') {
          const close = matchBrace(src, j);
          regions.push([j + 1, close, true]);
          i = src.indexOf('\n', close);
          if (i < 0) break;
          i++;
          continue;
        }
      }
      i = lineEnd + 1;
    }
  }
  // The epilogue: plain C.
  if (sections.length > 2) regions.push([src.length - sections.slice(2).join('%%').length, src.length, false]);
  return regions;
}

function matchBrace(src, open) {
  const toks = tokenize(src, open);
  let depth = 0;
  for (const t of toks) {
    if (t.v === '{') depth++;
    else if (t.v === '}' && --depth === 0) return t.s;
  }
  return src.length;
}

const REL = { '<': '<=', '<=': '<', '>': '>=', '>=': '>' };
// The non-commutative binary operators, with C's precedence (lower binds tighter).
const PREC = { '/': 3, '%': 3, '-': 4, '<<': 5, '>>': 5, '<': 6, '<=': 6, '>': 6, '>=': 6 };
const BINARY_PREC = { '*': 3, '/': 3, '%': 3, '+': 4, '-': 4, '<<': 5, '>>': 5, '<': 6, '<=': 6, '>': 6, '>=': 6,
  '==': 7, '!=': 7, '&': 8, '^': 9, '|': 10 };
const TYPE_WORDS = new Set(['const', 'static', 'struct', 'enum', 'union', 'unsigned', 'signed', 'int', 'char',
  'long', 'short', 'float', 'double', 'void', 'bool', 'size_t', 'volatile', 'register', 'typedef', 'extern',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'uintptr_t']);

function isOperandEnd(t) {
  return t && (t.t === 'id' || t.t === 'num' || t.t === 'str' || t.v === ')' || t.v === ']');
}

/** The mutants of one region's tokens; `code` says the region is inside a function body already. */
function regionMutants(src, toks, code, push) {
  // Brace depth, and whether each open brace is code (a function body or a
  // block inside one) or data (an initializer, a struct body).
  const braces = [];
  const inCode = () => code || braces.includes(true);
  let parens = 0;
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k], prev = toks[k - 1], next = toks[k + 1];
    if (t.v === '(') parens++;
    if (t.v === ')') parens--;
    if (t.v === '{') {
      braces.push(inCode() || prev?.v === ')' || prev?.v === 'else' || prev?.v === 'do');
      continue;
    }
    if (t.v === '}') { braces.pop(); continue; }
    const body = inCode();

    if (t.t === 'punct') {
      if (REL[t.v] && isOperandEnd(prev)) push('rel', t.s, t.e, REL[t.v]);
      if (t.v === '==') push('eq', t.s, t.e, '!=');
      if (t.v === '!=') push('eq', t.s, t.e, '==');
      if (t.v === '&&') push('logic', t.s, t.e, '||');
      if (t.v === '||') push('logic', t.s, t.e, '&&');
      if ((t.v === '+' || t.v === '-') && isOperandEnd(prev)) push('arith', t.s, t.e, t.v === '+' ? '-' : '+');
      if (t.v === '++') push('arith', t.s, t.e, '--');
      if (t.v === '--') push('arith', t.s, t.e, '++');
      if (PREC[t.v] && body && isOperandEnd(prev)) {
        const l = simpleOperandBack(toks, k - 1, PREC[t.v]), r = simpleOperandFwd(toks, k + 1, PREC[t.v]);
        if (l !== null && r !== null) {
          const a = src.slice(toks[l].s, toks[k - 1].e), b = src.slice(toks[k + 1].s, toks[r].e);
          if (a !== b) push('swap', toks[l].s, toks[r].e, `${b} ${t.v} ${a}`);
        }
      }
    }
    if (t.t === 'num' && prev?.v !== '$' && prev?.v !== '@') {
      const m = /^(0[xX][0-9A-Fa-f]+|\d+)([uUlL]*)$/.exec(t.v);
      if (m && !(m[1].length > 1 && m[1][0] === '0' && !/[xX]/.test(m[1]))) {
        const v = BigInt(m[1]);
        const hex = /^0[xX]/.test(m[1]);
        const fmt = (n) => (hex ? '0x' + n.toString(16).toUpperCase().padStart(m[1].length - 2, '0') : n.toString()) + m[2];
        push('const', t.s, t.e, fmt(v + 1n));
        if (v > 0n) push('const', t.s, t.e, fmt(v - 1n));
      }
    }
    if (body && (t.v === 'if' || t.v === 'while') && next?.v === '(') {
      const close = matchParen(toks, k + 1);
      if (close > k + 2 && !(t.v === 'while' && toks[close + 1]?.v === ';' && prevIsDoBody(toks, k))) {
        const s = toks[k + 2].s, e = toks[close - 1].e;
        push('cond', s, e, '0');
        if (t.v === 'if') push('cond', s, e, '1');
      }
    }
    if (body && parens === 0 && (prev === undefined || prev?.v === ';' || prev?.v === '{' || prev?.v === '}' || (prev?.v === ')' && isControlClose(toks, k - 1)) ||
        prev?.v === 'else' || (prev?.v === ':' && isLabel(toks, k - 1)))) {
      const end = statementEnd(toks, k);
      if (end !== null && isExpressionStatement(toks, k, end)) push('stmt', t.s, toks[end].e, ';');
    }
  }
}

function matchParen(toks, open) {
  let depth = 0;
  for (let k = open; k < toks.length; k++) {
    if (toks[k].v === '(') depth++;
    else if (toks[k].v === ')' && --depth === 0) return k;
  }
  return toks.length - 1;
}

function matchParenBack(toks, close) {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    if (toks[k].v === ')') depth++;
    else if (toks[k].v === '(' && --depth === 0) return k;
  }
  return -1;
}

// Is the `)` at k the end of an if/while/for/switch head?
function isControlClose(toks, k) {
  const open = matchParenBack(toks, k);
  return open > 0 && ['if', 'while', 'for', 'switch'].includes(toks[open - 1].v);
}

function prevIsDoBody(toks, k) {
  return toks[k - 1]?.v === '}';
}

function isLabel(toks, k) {
  // `case X:` / `default:` / `label:` (not `a ? b : c`)
  for (let j = k - 1; j >= 0; j--) {
    const v = toks[j].v;
    if (v === 'case' || v === 'default') return true;
    if (v === ';' || v === '{' || v === '}' || v === '?') return false;
  }
  return false;
}

/** The index of the `;` ending the statement that starts at k, at paren depth 0; null if a brace comes first. */
function statementEnd(toks, k) {
  let depth = 0;
  for (let j = k; j < toks.length; j++) {
    const v = toks[j].v;
    if (v === '(' || v === '[') depth++;
    else if (v === ')' || v === ']') depth--;
    else if (v === '{' || v === '}') return null;
    else if (v === ';' && depth === 0) return j;
    if (depth < 0) return null;
  }
  return null;
}

function isExpressionStatement(toks, k, end) {
  const a = toks[k], b = toks[k + 1];
  if (a.v === 'break' || a.v === 'continue') return true;
  if (a.t === 'punct') return a.v === '++' || a.v === '--' || a.v === '*' || a.v === '(' || a.v === '$';
  if (a.t !== 'id') return false;
  if (TYPE_WORDS.has(a.v) || ['return', 'goto', 'case', 'default', 'if', 'else', 'while', 'for', 'do', 'switch',
    'sizeof'].includes(a.v)) return false;
  if (b.t === 'id') return false;                           // `Type name ...`: a declaration
  if (b.v === '*' && toks[k + 2]?.t === 'id' && ['=', ';', ',', '['].includes(toks[k + 3]?.v)) return false;
  return end > k;
}

// The operands swapped are single names, numbers or member chains, and only
// where they are the whole operand: the operator next to them binds less
// tightly than the one mutated (in `i + 1 < n`, `<`'s left operand is `i + 1`).
function simpleOperandBack(toks, k, prec) {
  let j = k;
  if (toks[j]?.t !== 'id' && toks[j]?.t !== 'num') return null;
  while (toks[j - 1]?.v === '.' || toks[j - 1]?.v === '->') {
    if (toks[j - 2]?.t !== 'id') return null;
    j -= 2;
  }
  const before = toks[j - 1];
  if (!before) return j;
  if (['.', '->', '!', '~', '++', '--', ')', ']', 'sizeof'].includes(before.v)) return null;
  const binary = isOperandEnd(toks[j - 2]);
  if (!binary && ['*', '&', '-', '+'].includes(before.v)) return null;   // unary
  if (binary && BINARY_PREC[before.v] !== undefined && BINARY_PREC[before.v] <= prec) return null;
  return j;
}

function simpleOperandFwd(toks, k, prec) {
  let j = k;
  if (toks[j]?.t !== 'id' && toks[j]?.t !== 'num') return null;
  while ((toks[j + 1]?.v === '.' || toks[j + 1]?.v === '->') && toks[j + 2]?.t === 'id') j += 2;
  const after = toks[j + 1]?.v;
  if (after === '(' || after === '[' || after === '++' || after === '--') return null;
  if (BINARY_PREC[after] !== undefined && BINARY_PREC[after] < prec) return null;
  return j;
}

/** Every mutant of a file's text; `name` is its path (for the kind and the report). */
export function mutants(name, src) {
  const kind = name.endsWith('.y') ? 'y' : name.endsWith('.l') ? 'l' : 'c';
  const out = [];
  const seen = new Set();
  for (const [from, to, body] of cRegions(src, kind)) {
    const toks = tokenize(src, from, to);
    regionMutants(src, toks, body, (op, start, end, text) => {
      const key = `${start}:${end}:${text}`;
      if (seen.has(key) || src.slice(start, end) === text) return;
      seen.add(key);
      out.push({ file: name, op, start, end, text });
    });
  }
  out.sort((a, b) => a.start - b.start || a.end - b.end || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
  return out;
}

/** The mutated source. */
export function apply(src, m) {
  return src.slice(0, m.start) + m.text + src.slice(m.end);
}

/** A unified-style diff of the lines a mutant changes, with its line number. */
export function diff(src, m) {
  const ls = src.lastIndexOf('\n', m.start - 1) + 1;
  let le = src.indexOf('\n', m.end);
  if (le < 0) le = src.length;
  const line = src.slice(0, ls).split('\n').length;
  const before = src.slice(ls, le);
  const after = src.slice(ls, m.start) + m.text + src.slice(m.end, le);
  return { line, before, after,
    text: `--- ${m.file}:${line}\n` + before.split('\n').map((l) => `- ${l}`).join('\n') + '\n' +
      after.split('\n').map((l) => `+ ${l}`).join('\n') };
}
