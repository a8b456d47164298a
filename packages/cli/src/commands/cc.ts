import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { m68kRuntime, PagelabError } from '@pagelab/kernel';
import type { CommandOutput } from '../output.js';

export const ccUsage = `usage: pagelab cc FILE.c|FILE.S... -o PROG.elf [-O0|-O1|-O2|-O3|-Os] [-I DIR] [-D NAME[=VALUE]]
                  [-W...] [-g] [-std=STANDARD]
  compiles a program for the plain 68000 with Debian's m68k-linux-gnu-gcc and links pagelab's
  C runtime (start-up, system calls, printf, malloc, strings); without -O, gcc's default -O0.
  Refuses a program holding 68020-only instructions or word accesses at odd stack offsets.
`;

interface CcArgs {
  readonly sources: readonly string[];
  readonly output: string;
  /** The user's own compiler flags (optimisation, includes, defines, warnings). */
  readonly flags: readonly string[];
}

const sourcePattern = /\.(?:c|S|s)$/;

function parseCcArgs(argv: readonly string[]): CcArgs {
  const sources: string[] = [];
  const flags: string[] = [];
  let output: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new PagelabError('USAGE', `${arg} needs a value`);
      return next;
    };
    if (arg === '-o') output = value();
    else if (arg === '-I' || arg === '-D') flags.push(arg, value());
    else if (/^-O[0123s]?$/.test(arg) || /^-[ID]./.test(arg) || /^-W(?:no-)?[a-z][a-z0-9-]*(?:=[a-z0-9-]+)?$/.test(arg) || arg === '-g' || /^-std=/.test(arg)) flags.push(arg);
    else if (arg.startsWith('-')) throw new PagelabError('USAGE', `cc: unknown option "${arg}" (allowed: -o, -O0..-O3, -Os, -I, -D, -W..., -g, -std=)`);
    else if (!sourcePattern.test(arg)) throw new PagelabError('USAGE', `cc: ${arg}: expected a C (.c) or assembly (.S, .s) source file`);
    else sources.push(arg);
  }
  if (sources.length === 0) throw new PagelabError('USAGE', 'cc: expected at least one source file (pagelab cc FILE.c... -o PROG.elf)');
  if (output === null) throw new PagelabError('USAGE', 'cc: expected -o PROG.elf');
  for (const source of sources) {
    if (!existsSync(source)) throw new PagelabError('INPUT', `cc: ${source}: no such file`);
    if (!statSync(source).isFile()) throw new PagelabError('INPUT', `cc: ${source}: not a file`);
  }
  return { sources, output, flags };
}

/** Runs a tool, or says which Debian package provides it when it is not installed. */
function tool(command: string, debianPackage: string, args: readonly string[], cwd?: string): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...(cwd !== undefined ? { cwd } : {}) });
  if (result.error !== undefined) {
    const code = (result.error as { code?: string }).code;
    if (code === 'ENOENT') {
      throw new PagelabError('TOOL_MISSING', `${command} not found: install Debian's ${debianPackage} (apt-get install ${m68kRuntime.compilerPackage} ${m68kRuntime.objdumpPackage})`);
    }
    throw new PagelabError('TOOL_FAILED', `${command} could not be run: ${result.error.message}`);
  }
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** One instruction of an objdump listing. */
interface ListedInstruction {
  readonly address: number;
  readonly text: string;
  readonly mnemonic: string;
  readonly operands: string;
  readonly symbol: string;
}

/** The instructions of an `objdump -d` listing, each with the symbol it falls under. */
function instructions(listing: string): ListedInstruction[] {
  const found: ListedInstruction[] = [];
  let symbol = '?';
  for (const line of listing.split('\n')) {
    const label = /^[0-9a-f]+ <([^>]+)>:$/.exec(line);
    if (label !== null) {
      symbol = label[1]!;
      continue;
    }
    const match = /^\s*([0-9a-f]+):\t[0-9a-f ]+\t(\S+)\s*(.*)$/.exec(line);
    if (match === null) continue;
    found.push({ address: parseInt(match[1]!, 16), text: `${match[2]!} ${match[3]!}`.trim(), mnemonic: match[2]!, operands: match[3]!, symbol });
  }
  return found;
}

/**
 * Refuses a linked program a 68000 cannot run: an instruction that objdump decodes
 * differently as 68020 code (a 68020-only instruction, which a 68000 takes as illegal), or a
 * word or long access at an odd offset from the frame or stack pointer (gcc 12 lays out
 * initialised char arrays so; a 68000 takes an address error, though qemu-m68k does not).
 */
function check68000(elf: string, name: string): void {
  const as68000 = tool(m68kRuntime.objdump, m68kRuntime.objdumpPackage, ['-d', '-m68000', elf]);
  const as68020 = tool(m68kRuntime.objdump, m68kRuntime.objdumpPackage, ['-d', '-m68020', elf]);
  if (as68000.status !== 0 || as68020.status !== 0) throw new PagelabError('TOOL_FAILED', `${m68kRuntime.objdump} failed on ${name}: ${as68000.stderr.trim() || as68020.stderr.trim()}`);
  const plain = instructions(as68000.stdout);
  const wide = instructions(as68020.stdout);
  const at = wide.findIndex((w, i) => plain[i]?.address !== w.address || plain[i]?.text !== w.text);
  if (at >= 0 || plain.length !== wide.length) {
    const w = wide[at >= 0 ? at : Math.min(plain.length, wide.length)];
    const where = w === undefined ? '' : ` ("${w.text}" at 0x${w.address.toString(16)} in ${w.symbol})`;
    throw new PagelabError('NOT_68000', `cc: ${name} contains a 68020-only instruction${where}, which a 68000 cannot run; it was not written`);
  }
  for (const i of plain) {
    if (!/[wl]$/.test(i.mnemonic) || /^(?:lea|pea|link)/.test(i.mnemonic)) continue;
    const odd = /%(?:fp|sp)@\((-?\d+)\)/g;
    for (const m of i.operands.matchAll(odd)) {
      if (Number(m[1]) % 2 === 0) continue;
      throw new PagelabError(
        'NOT_68000',
        `cc: ${name} would take an address error on a 68000: a word or long access at an odd stack offset ("${i.text}" at 0x${i.address.toString(16)} in ${i.symbol}); make that local array static or give it __attribute__((aligned(2))); it was not written`,
      );
    }
  }
}

/** `pagelab cc`: compiles and links a 68000 program against the shipped runtime. */
export function ccCommand(argv: readonly string[], out: CommandOutput): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.stdout(ccUsage);
    return 0;
  }
  const args = parseCcArgs(argv);
  const runtime = m68kRuntime;
  const root = fileURLToPath(runtime.directory);
  const compilerInclude = tool(runtime.compiler, runtime.compilerPackage, ['-print-file-name=include']).stdout.trim();
  tool(runtime.objdump, runtime.objdumpPackage, ['--version']);
  const includes = ['-isystem', join(root, runtime.includeDirectory), '-isystem', compilerInclude];
  const scratch = mkdtempSync(join(tmpdir(), 'pagelab-cc-'));
  try {
    const runtimeSources = runtime.sources.map((s) => join(root, s));
    const built = tool(runtime.compiler, runtime.compilerPackage, [...runtime.compileFlags, ...runtime.runtimeFlags, ...includes, '-c', ...runtimeSources], scratch);
    if (built.status !== 0) {
      out.stderr(built.stderr);
      throw new PagelabError('RUNTIME', `cc: the runtime in ${root} did not compile (is the installed package complete?)`);
    }
    const objects = runtime.sources.map((s) => join(scratch, basename(s).replace(/\.[cS]$/, '.o')));
    const linked = join(scratch, 'program.elf');
    const compiled = tool(runtime.compiler, runtime.compilerPackage, [
      ...runtime.compileFlags,
      ...args.flags,
      ...includes,
      ...runtime.linkFlags,
      '-T',
      join(root, runtime.linkerScript),
      '-o',
      linked,
      ...objects,
      ...args.sources,
    ]);
    if (compiled.stderr !== '') out.stderr(compiled.stderr);
    if (compiled.status !== 0) throw new PagelabError('COMPILE', `cc: ${runtime.compiler} failed (status ${compiled.status}); its messages are above`);
    check68000(linked, args.output);
    try {
      copyFileSync(linked, resolve(args.output));
      chmodSync(resolve(args.output), 0o755);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const why = code === 'ENOENT' ? 'no such directory' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot be written';
      throw new PagelabError('INPUT', `cc: output ${args.output}: ${why}`);
    }
    return 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
