// Keeps a document's names true: a marked list in the document pairs each source file with
// the declarations the text names, and this module checks the files and declarations exist,
// and that the text names no `Type.member` the list leaves out.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BEGIN = '<!-- checked-names:begin -->';
const END = '<!-- checked-names:end -->';
const NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?$/;
/**
 * `owner.member` as the prose and diagrams write it, whatever the case (`pager.serviceFault`
 * counts); file names such as README.md and abbreviations such as e.g. are not names.
 */
const QUALIFIED = /(?<![\w$./-])([A-Za-z_$][\w$]*)\.([A-Za-z_$][\w$]*)\b/g;
const FILE_EXTENSION = /^(?:md|ts|mts|js|mjs|cjs|json|elf|txt|sh|c)$/;

const escape = (s) => s.replace(/[$]/g, '\\$&');

/** The body of `class Name` / `interface Name` / `enum Name` / `const Name = {` (an `as const` enum) in `source`, or null when it is not declared so. */
function bodyOf(source, name) {
  const start = new RegExp(`\\b(?:(?:class|interface|enum)\\s+${escape(name)}\\b[^{]*|const\\s+${escape(name)}\\s*=\\s*)\\{`).exec(source);
  if (start === null) return null;
  const rest = source.slice(start.index + start[0].length);
  const close = /^\}/m.exec(rest);
  return close === null ? rest : rest.slice(0, close.index);
}

/** True if `source` declares `name` at top level (a class, interface, function, const, type or enum). */
function declares(source, name) {
  return new RegExp(`\\b(?:class|interface|function|const|let|type|enum)\\s+${escape(name)}\\b`).test(source);
}

/** True if the class, interface or enum `owner` in `source` declares `member` (method, property, accessor, enum member). */
function declaresMember(source, owner, member) {
  const body = bodyOf(source, owner);
  if (body === null) return false;
  const modifiers = '(?:(?:private|protected|public|readonly|static|async|abstract|override|declare|get|set)\\s+)*';
  return new RegExp(`^\\s*${modifiers}${escape(member)}\\s*[(<:?!=,]`, 'm').test(body);
}

/**
 * Checks `text` (a document) against the sources under `root`. Returns the problems found,
 * each one line naming the document, the line and what is wrong; empty when all is true.
 */
export function checkDocumentNames(text, root, documentName) {
  const problems = [];
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.trim() === BEGIN);
  const end = lines.findIndex((l) => l.trim() === END);
  if (begin < 0 || end < begin) return [`${documentName}: no ${BEGIN} ... ${END} list`];

  const listed = new Set();
  let entries = 0;
  for (let i = begin + 1; i < end; i++) {
    const line = lines[i];
    const where = `${documentName}:${i + 1}`;
    if (line.trim() === '') continue;
    const tokens = [...line.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    if (!line.startsWith('- ') || tokens.length === 0) {
      problems.push(`${where}: expected "- \`path\`: \`Name\`, \`Name.member\`, ...", got "${line}"`);
      continue;
    }
    entries++;
    const [path, ...names] = tokens;
    const file = join(root, path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      problems.push(`${where}: file ${path} does not exist`);
      continue;
    }
    const source = readFileSync(file, 'utf8');
    for (const name of names) {
      if (!NAME.test(name)) {
        problems.push(`${where}: \`${name}\` is not a name (Name or Name.member)`);
        continue;
      }
      listed.add(name);
      const [owner, member] = name.split('.');
      if (!declares(source, owner)) problems.push(`${where}: ${path} declares no ${owner}`);
      else if (member !== undefined && !declaresMember(source, owner, member)) problems.push(`${where}: ${owner} in ${path} has no member ${member}`);
    }
  }
  if (entries === 0) problems.push(`${documentName}:${begin + 1}: the checked-names list is empty`);

  // Everything outside the list: each Type.member must be listed, each backticked path must exist.
  lines.forEach((line, i) => {
    if (i >= begin && i <= end) return;
    for (const m of line.matchAll(QUALIFIED)) {
      if (FILE_EXTENSION.test(m[2]) || (m[1].length === 1 && m[2].length === 1)) continue;
      const name = `${m[1]}.${m[2]}`;
      if (!listed.has(name)) problems.push(`${documentName}:${i + 1}: names ${name}, which the checked-names list does not have`);
    }
    // A repository path (a package name such as @pagelab/contracts is not one).
    for (const m of line.matchAll(/`([\w.-]+(?:\/[\w.-]+)+\/?)`/g)) {
      if (!existsSync(join(root, m[1]))) problems.push(`${documentName}:${i + 1}: path ${m[1]} does not exist`);
    }
  });
  return problems;
}
