import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ConfigurationError, PagelabError } from '@pagelab/kernel';
import type { CommandOutput } from '../output.js';

/** One lab: the seam a student replaces, the naive part they start from, and what each npm script runs. */
export interface LabKit {
  readonly seam: 'replacement-policy' | 'io-strategy' | 'restart-strategy';
  /** The starting part, relative to the project. */
  readonly partFile: string;
  /** What the starting part is, for the README and the usage. */
  readonly starter: string;
  /** The guide in pagelab's docs/labs. */
  readonly guide: string;
  /** The `pagelab` commands `npm run experiment` runs, in order, with the part swapped in. */
  readonly experiment: readonly string[];
}

/** The labs `pagelab lab init` can set up. */
export const labKits: readonly LabKit[] = [
  {
    seam: 'replacement-policy',
    partFile: 'src/policy.js',
    starter: 'FIFO',
    guide: 'docs/labs/replacement-policy.md',
    experiment: [
      'pagelab trace belady --policy fifo,clock,lru,opt --frames 3,4 --part replacement-policy=./src/policy.js',
      'pagelab trace sort --policy fifo,clock,lru,opt --frames 4,8,16 --part replacement-policy=./src/policy.js',
    ],
  },
  {
    seam: 'io-strategy',
    partFile: 'src/strategy.js',
    starter: 'bounce',
    guide: 'docs/labs/io-strategy.md',
    experiment: [
      'pagelab compare dma-vs-replacement --part io-strategy=./src/strategy.js --io hybrid,pin,bounce',
      'pagelab compare dma-vs-replacement-locklimit --part io-strategy=./src/strategy.js --io hybrid,bounce',
    ],
  },
  {
    seam: 'restart-strategy',
    partFile: 'src/restart.js',
    starter: "the 68010's hidden record",
    guide: 'docs/labs/restart-strategy.md',
    experiment: ['pagelab compare instruction-backup --part restart-strategy=./src/restart.js --io pin --restart hardware,software'],
  },
];

export const labUsage = `usage: pagelab lab init <seam> <dir>
  creates a standalone lab project in <dir> (a new or empty directory): a working but naive
  part to improve, a package.json on the published @pagelab packages, and three scripts:
    npm test             the seam's conformance suite on your part (pagelab conform)
    npm run experiment   the shipped experiment with your part swapped in
    npm run grade        results.json in Gradescope's autograder format
  seam: ${labKits.map((k) => `${k.seam} (starts as ${k.starter})`).join(', ')}
  then: cd <dir> && npm install && npm test
`;

/** Where the starting parts ship: packages/cli/lab/<seam>, beside dist and src. */
const templatesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'lab');

/**
 * The manifest of a package as installed for this CLI: `@pagelab/cli` itself, or one resolved
 * through the chain of dependencies that brings it (contracts comes through the kernel), so it
 * is found under strict layouts such as pnpm's too.
 */
function installedManifest(chain: readonly string[]): { version: string; peerDependencies?: Record<string, string> } {
  let from = import.meta.url;
  for (const name of chain) from = createRequire(from).resolve(`${name}/package.json`);
  return JSON.parse(readFileSync(from, 'utf8')) as { version: string; peerDependencies?: Record<string, string> };
}

/** A range that accepts this release and later compatible ones; a snapshot or pre-release is pinned exactly. */
const rangeOf = (version: string): string => (version.includes('-') ? version : `^${version}`);

/** An npm package name made from a directory name. */
function packageNameFor(dir: string): string {
  const name = basename(resolve(dir)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+|[-]+$/g, '');
  return name.length > 0 ? name.slice(0, 214) : 'pagelab-lab';
}

/** The scripts of a lab project. */
export function labScripts(kit: LabKit): { test: string; experiment: string; grade: string } {
  return {
    test: `pagelab conform ${kit.seam} ./${kit.partFile}`,
    experiment: kit.experiment.join(' && '),
    grade: `pagelab conform ${kit.seam} ./${kit.partFile} --format gradescope --out results.json`,
  };
}

function labManifest(kit: LabKit, dir: string): string {
  const cli = installedManifest(['@pagelab/cli']).version;
  const contracts = installedManifest(['@pagelab/kernel', '@pagelab/contracts']).version;
  // vitest as @pagelab/conformance asks for it: an optional peer the suites assert with.
  const vitest = installedManifest(['@pagelab/conformance']).peerDependencies?.vitest ?? '^4.0.0';
  const manifest = {
    name: packageNameFor(dir),
    version: '0.0.0',
    private: true,
    description: `A pagelab lab: your own ${kit.seam}`,
    type: 'module',
    scripts: labScripts(kit),
    dependencies: { '@pagelab/cli': rangeOf(cli), '@pagelab/contracts': rangeOf(contracts), vitest },
    engines: { node: '>=20' },
  };
  return JSON.stringify(manifest, null, 2) + '\n';
}

function labReadme(kit: LabKit): string {
  const scripts = labScripts(kit);
  return [
    `# Lab: your own ${kit.seam}`,
    '',
    `\`${kit.partFile}\` is a ${kit.seam} that works but is naive: it starts as ${kit.starter}.`,
    `The lab guide (pagelab's \`${kit.guide}\`) says what to build, the questions to answer and how it is graded.`,
    '',
    '| step | command | what it runs |',
    '|---|---|---|',
    '| set up | `npm install` | pagelab and its conformance suites, from the registry |',
    `| check | \`npm test\` | \`${scripts.test}\` |`,
    `| measure | \`npm run experiment\` | \`${scripts.experiment.replace(/\|/g, '\\|')}\` |`,
    `| hand in | \`npm run grade\` | \`${scripts.grade}\` (Gradescope's results.json) |`,
    '',
    `Your part is \`${kit.partFile}\`'s default export: the \`${kit.seam}\` factory from \`@pagelab/contracts\`.`,
    'Give it your own `name`: the experiment tables show it under that name.',
    'Write it in TypeScript if you prefer: compile it to `.js`, or run pagelab under a TypeScript loader (`node --import tsx node_modules/.bin/pagelab ...`).',
    '',
  ].join('\n');
}

/** True when `dir` exists and holds something. */
function isNonEmptyDirectory(dir: string): boolean {
  if (!existsSync(dir)) return false;
  if (!statSync(dir).isDirectory()) throw new ConfigurationError('dir', `${dir} exists and is not a directory`);
  return readdirSync(dir).length > 0;
}

/**
 * Writes the project into a scratch directory beside `dir` and renames it into place, so an
 * error leaves nothing half-made and an existing project is never overwritten.
 */
export function createLabProject(kit: LabKit, dir: string): void {
  const target = resolve(dir);
  if (isNonEmptyDirectory(target)) throw new ConfigurationError('dir', `${dir} is not empty; lab init writes only into a new or empty directory`);
  const template = join(templatesDir, kit.seam);
  if (!existsSync(template)) throw new PagelabError('INSTALL', `this pagelab has no ${kit.seam} starter at ${template}; reinstall @pagelab/cli`);
  let scratch: string;
  try {
    mkdirSync(dirname(target), { recursive: true });
    scratch = mkdtempSync(join(dirname(target), `.${basename(target)}-pagelab-`));
  } catch (error) {
    throw new ConfigurationError('dir', `${dir}: cannot create it (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    cpSync(template, scratch, { recursive: true });
    writeFileSync(join(scratch, 'package.json'), labManifest(kit, dir));
    writeFileSync(join(scratch, 'README.md'), labReadme(kit));
    writeFileSync(join(scratch, '.gitignore'), 'node_modules/\nresults.json\n');
    if (existsSync(target)) rmdirSync(target);
    renameSync(scratch, target);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw new ConfigurationError('dir', `${dir}: cannot write the project (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** `pagelab lab init <seam> <dir>`. */
export function labCommand(argv: readonly string[], out: CommandOutput): number {
  const { positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: {} });
  const [action, seam, dir, ...extra] = positionals;
  if (action !== 'init') throw new ConfigurationError('lab', `expected "lab init <seam> <dir>", got ${action === undefined ? 'nothing' : `"${action}"`}; \`pagelab lab --help\` shows the usage`);
  if (seam === undefined || dir === undefined || extra.length > 0) throw new ConfigurationError('lab', 'expected "lab init <seam> <dir>"');
  const kit = labKits.find((k) => k.seam === seam);
  if (kit === undefined) throw new ConfigurationError('seam', `no lab for "${seam}"; expected one of ${labKits.map((k) => k.seam).join(', ')}`);
  createLabProject(kit, dir);
  out.stdout(`created the ${kit.seam} lab in ${dir} (your part: ${kit.partFile}, starting as ${kit.starter})\nnext: cd ${dir} && npm install && npm test\n`);
  return 0;
}
