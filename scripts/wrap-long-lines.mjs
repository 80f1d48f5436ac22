#!/usr/bin/env node
// Shortens the lines the formatter leaves longer than 120 characters (test/house/line-length.test.ts):
//
//   node scripts/wrap-long-lines.mjs [files...]      (default: every code file with a long line)
//
// - a long comment line: its paragraph is rewrapped at 100 columns (JSDoc tags and list items keep
//   an indented continuation, a DEVIATION comment the project's `//   ` one);
// - a long string or template literal: split at a space into `'…' + '…'` (the same value), the
//   outermost literal on the line first, never one inside another template's `${}`;
// - then biome formats the file, and splits that biome put back on one line are joined again.
// What it cannot shorten (a test title, which the formatter keeps on the call line; code; a
// literal without a space) is listed for a human. Review the diff: it never changes a value, but
// a human wraps more gracefully.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from '@babel/parser';

const ROOT = new URL('..', import.meta.url).pathname;
const MAX = 120;
const COMMENT_WIDTH = 100;
const URLS = /\bhttps?:\/\/\S+/g;
const FOLDERS = ['src', 'test', 'bench', 'fuzz', 'scripts', 'examples'];
const NOT_CODE = [/(^|\/)fixtures\//, /(^|\/)node_modules\//, /^bench\/results\//, /^fuzz\/repros\//];

const length = (text) => [...text].length;
const isLong = (line) => length(line) > MAX && length(line.replace(URLS, '')) > MAX;

function codeFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const path = relative(ROOT, full);
      if (NOT_CODE.some((pattern) => pattern.test(`${path}${entry.isDirectory() ? '/' : ''}`))) continue;
      if (entry.isDirectory()) walk(full);
      else if (/\.(?:ts|mts|cts|js|mjs|cjs)$/.test(entry.name)) files.push(path);
    }
  };
  for (const folder of FOLDERS) walk(join(ROOT, folder));
  return files;
}

function parseFile(path, text) {
  return parse(text, { sourceType: 'module', plugins: /\.[mc]?ts$/.test(path) ? ['typescript'] : [] });
}

/** Visits every node with its parent, its key in the parent, and whether it is inside a template. */
function walk(node, visit, parent = null, key = null, inTemplate = false) {
  if (node === null || typeof node !== 'object' || typeof node.type !== 'string') return;
  visit(node, parent, key, inTemplate);
  const inner = inTemplate || node.type === 'TemplateLiteral';
  for (const childKey of Object.keys(node)) {
    if (childKey === 'loc' || childKey === 'extra' || childKey.endsWith('Comments')) continue;
    const child = node[childKey];
    if (Array.isArray(child)) for (const item of child) walk(item, visit, node, childKey, inner);
    else walk(child, visit, node, childKey, inner);
  }
}

// ---------------------------------------------------------------------------------------------
// Comments

/** A body that starts a paragraph of its own (a tag, a list item, a fence, a table row, nothing). */
function startsBlock(body) {
  return body === '' || /^(@|- |\* |\d+\. |```|\|)/.test(body);
}

/** Rewraps the paragraph of comment lines starting at `lines[i]` (prefixes matched by `prefixPattern`). */
function reflow(lines, i, prefixPattern, continuationOf) {
  const match = prefixPattern.exec(lines[i]);
  if (match === null) return false;
  const prefix = match[0];
  const first = lines[i].slice(prefix.length);
  const listIndent = /^(- |\d+\. )/.exec(first)?.[0].replace(/./g, ' ') ?? '';
  const bodies = [first];
  let j = i + 1;
  for (; j < lines.length; j++) {
    const next = prefixPattern.exec(lines[j]);
    if (next === null || next[0] !== prefix + listIndent) break;
    const body = lines[j].slice(next[0].length);
    if (startsBlock(body)) break;
    bodies.push(body);
  }
  const continuation = continuationOf(prefix) + listIndent;
  const width = Math.max(COMMENT_WIDTH, Math.min(MAX, length(prefix) + 40));
  const out = [];
  let line = prefix;
  let empty = true;
  for (const word of bodies
    .map((body) => body.trim())
    .join(' ')
    .split(' ')) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (!empty && length(candidate) > width) {
      out.push(line);
      line = continuation + word;
    } else {
      line = candidate;
    }
    empty = false;
  }
  out.push(line);
  lines.splice(i, j - i, ...out);
  return true;
}

function wrapComments(lines, comments) {
  let changed = false;
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i];
    if (!isLong(line)) continue;
    const lineNumber = i + 1;
    const comment = comments.find((c) => c.loc.start.line <= lineNumber && c.loc.end.line >= lineNumber);
    if (comment === undefined) continue;
    const indent = /^\s*/.exec(line)[0];
    const startsHere = comment.loc.start.line === lineNumber;
    const alone = !startsHere || line.slice(0, comment.loc.start.column).trim() === '';
    if (comment.type === 'CommentLine' && alone) {
      const deviation = /^\s*\/\/ DEVIATION\(/.test(line);
      changed = reflow(lines, i, /^\s*\/\/ */, (p) => (deviation ? p.replace(/\/\/ *$/, '//   ') : p)) || changed;
    } else if (comment.type === 'CommentLine') {
      // A trailing comment goes above its code line.
      lines.splice(
        i,
        1,
        indent + line.slice(comment.loc.start.column),
        line.slice(0, comment.loc.start.column).trimEnd(),
      );
      changed = true;
    } else if (startsHere && comment.loc.end.line === lineNumber && alone) {
      // `/** text */` on one line becomes a block.
      const open = /^\s*\/\*(\*?) ?/.exec(line);
      const body = line.slice(open[0].length).replace(/ ?\*\/\s*$/, '');
      lines.splice(i, 1, `${indent}/*${open[1]}`, `${indent} * ${body}`, `${indent} */`);
      reflow(lines, i + 1, /^\s*\* */, (p) => p);
      changed = true;
    } else if (!startsHere && /^\s*\*(?!\/)/.test(line)) {
      const tag = /^\s*\*\s*@(param|returns|throws)/.test(line);
      changed = reflow(lines, i, /^\s*\* */, (p) => (tag ? `${p}  ` : p)) || changed;
    }
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// String and template literals

/** Parents where `a + b` may stand for a literal without parentheses. */
const SAFE_PLACES = new Set([
  'CallExpression:arguments',
  'NewExpression:arguments',
  'ArrayExpression:elements',
  'ObjectProperty:value',
  'VariableDeclarator:init',
  'AssignmentExpression:right',
  'ReturnStatement:argument',
  'ThrowStatement:argument',
  'ConditionalExpression:consequent',
  'ConditionalExpression:alternate',
  'LogicalExpression:left',
  'LogicalExpression:right',
  'ArrowFunctionExpression:body',
  'TemplateLiteral:expressions',
  'SpreadElement:argument',
  'AssignmentPattern:right',
  'ClassProperty:value',
  'SequenceExpression:expressions',
  'ExpressionStatement:expression',
]);
const LOOSER_OPERATORS = new Set(['+', '===', '!==', '==', '!=', '<', '>', '<=', '>=', 'in', 'instanceof']);
/** Parents where a literal must stay a literal. */
const LITERAL_ONLY = new Set([
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ImportExpression',
  'ImportAttribute',
  'TSLiteralType',
  'TSImportType',
  'TSExternalModuleReference',
  'TaggedTemplateExpression',
  'Directive',
]);

function splittable(node, parent, key) {
  if (parent === null || LITERAL_ONLY.has(parent.type)) return false;
  if (key === 'key' && /Property|Method|Signature/.test(parent.type)) return false;
  if (parent.type !== 'CallExpression') return true;
  if (parent.callee?.type === 'Import') return false;
  // A test title: the formatter keeps it on the call line, whatever its length; shorten it instead.
  const name = parent.callee?.type === 'Identifier' ? parent.callee.name : '';
  return !(['it', 'test', 'describe'].includes(name) && parent.arguments[0] === node);
}

function safeWithoutParentheses(parent, key) {
  if (parent.type === 'BinaryExpression') return LOOSER_OPERATORS.has(parent.operator);
  return SAFE_PLACES.has(`${parent.type}:${key}`);
}

function splitLiterals(path, text) {
  const lines = text.split('\n');
  const starts = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const long = new Set();
  lines.forEach((line, i) => {
    if (isLong(line)) long.add(i + 1);
  });
  const candidates = [];
  walk(parseFile(path, text).program, (node, parent, key, inTemplate) => {
    if ((node.type !== 'StringLiteral' && node.type !== 'TemplateLiteral') || inTemplate) return;
    if (!splittable(node, parent, key)) return;
    for (let line = node.loc.start.line; line <= node.loc.end.line; line++) {
      if (long.has(line)) candidates.push({ node, parent, key, line });
    }
  });
  // The outermost literal of a line first.
  candidates.sort((a, b) => b.node.end - b.node.start - (a.node.end - a.node.start));
  const edits = [];
  const done = new Set();
  for (const { node, parent, key, line } of candidates) {
    if (done.has(line)) continue;
    const lineStart = starts[line - 1];
    let at = -1;
    for (let p = Math.min(node.end - 2, lineStart + MAX - 6); p >= Math.max(node.start + 2, lineStart + 20); p--) {
      if (text[p - 1] !== ' ' || text[p] === ' ') continue;
      if (node.type === 'TemplateLiteral' && !node.quasis.some((q) => q.start <= p - 1 && p <= q.end)) continue;
      let backslashes = 0;
      for (let k = p - 2; text[k] === '\\'; k--) backslashes++;
      if (backslashes % 2 === 1) continue;
      at = p;
      break;
    }
    if (at < 0) continue;
    done.add(line);
    const quote = node.type === 'TemplateLiteral' ? '`' : text[node.start];
    edits.push({ at, text: `${quote} + ${quote}` });
    if (!safeWithoutParentheses(parent, key)) edits.push({ at: node.start, text: '(' }, { at: node.end, text: ')' });
  }
  if (edits.length === 0) return null;
  edits.sort((a, b) => b.at - a.at);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}

/** Joins `'a' + 'b'` that the formatter left on one line, where the joined line fits. */
function joinPointlessSplits(path, text) {
  const edits = [];
  const lines = text.split('\n');
  walk(parseFile(path, text).program, (node) => {
    if (node.type !== 'BinaryExpression' || node.operator !== '+') return;
    let left = node.left;
    while (left.type === 'BinaryExpression' && left.operator === '+') left = left.right;
    const right = node.right;
    if (left.type !== right.type || (left.type !== 'StringLiteral' && left.type !== 'TemplateLiteral')) return;
    if (left.loc.end.line !== right.loc.start.line) return;
    const between = text.slice(left.end - 1, right.start + 1);
    if (!/^(['"`])\s*\+\s*\1$/.test(between)) return;
    if (length(lines[left.loc.end.line - 1]) - length(between) > MAX) return;
    edits.push({ from: left.end - 1, to: right.start + 1 });
  });
  edits.sort((a, b) => b.from - a.from);
  let out = text;
  for (const edit of edits) out = out.slice(0, edit.from) + out.slice(edit.to);
  return edits.length === 0 ? null : out;
}

function format(path) {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@biomejs/biome/bin/biome'), 'format', '--write', path], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}

const args = process.argv.slice(2);
const files = (args.length > 0 ? args : codeFiles()).filter((path) =>
  readFileSync(join(ROOT, path), 'utf8').split('\n').some(isLong),
);
for (const path of files) {
  const full = join(ROOT, path);
  for (let round = 0; round < 6; round++) {
    const text = readFileSync(full, 'utf8');
    const lines = text.split('\n');
    if (!lines.some(isLong)) break;
    let next = wrapComments(lines, parseFile(path, text).comments ?? []) ? lines.join('\n') : null;
    next ??= splitLiterals(path, text);
    if (next === null) break;
    writeFileSync(full, next);
    format(path);
  }
  const before = readFileSync(full, 'utf8');
  const joined = joinPointlessSplits(path, before);
  if (joined !== null) {
    writeFileSync(full, joined);
    format(path);
    // (the formatter may lay a joined literal out on a longer line: then the split stays)
    if (readFileSync(full, 'utf8').split('\n').some(isLong)) writeFileSync(full, before);
  }
  readFileSync(full, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (isLong(line)) console.log(`${path}:${i + 1}: ${length(line)} characters (shorten it by hand)`);
    });
}
