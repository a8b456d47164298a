/**
 * `m68k-run`: runs a static 68000 Linux executable on the interpreter, serving the system
 * calls pagelab's kernel serves (exit, read, write, open, close, lseek, getpid, brk; `open`
 * reaches the host's files, as under qemu-m68k), and exits with the program's status. A call
 * it does not serve gets -ENOSYS and a warning naming it on stderr.
 *
 * Bad usage or input (a missing file, something that is not a 68000 executable) prints one
 * line `m68k-run: error: ...` and exits 2; a program that dies (a fault, an exception, the
 * instruction limit) prints `m68k-run: error: ...` and exits 1.
 */
import { isPagelabError, type ByteSource, type CpuModelName } from '@pagelab/contracts';
import type { M68000 } from '../core/cpu.js';
import { loadElfImage } from '../elf/elf-image.js';
import type { ProgramFiles } from './program-files.js';
import { runProgram } from './run-program.js';

/** What the CLI needs from its environment (the real process, or a test's fakes). */
export interface CliEnvironment {
  readFile(path: string): Uint8Array;
  /**
   * Opens a file to be streamed into the program as its standard input, read only as the
   * program reads it (so `/dev/zero` works). Without it, the file is read whole with `readFile`.
   */
  openStream?(path: string): ByteSource & { close(): void };
  writeStdout(bytes: Uint8Array): void;
  writeStderr(text: string): void;
  /** Milliseconds, for `--stats`. */
  now(): number;
  /** The files the program may open (default: none but those it creates, in memory). */
  readonly files?: ProgramFiles;
}

const models: readonly CpuModelName[] = ['m68000', 'm68010-hidden', 'pc-only', 'm68010-continuation'];
const DEFAULT_INSTRUCTIONS = 2_000_000_000;
/** The most instructions a run may be given: well within a double's exact integers, hours of host time. */
const MAX_INSTRUCTIONS = 1e12;

export const USAGE = `usage: m68k-run <prog.elf> [options]
  runs a static 68000 Linux executable on the CPU alone (flat memory, no paging),
  serving the system calls pagelab's kernel serves (exit, read, write, open, close, lseek,
  getpid, brk; open reaches the host's files, as under qemu); any other gets -ENOSYS and a warning
options:
  --stdin FILE     the program's standard input, streamed as it reads it (default: empty)
  --cpu-model M    fault model: ${models.slice(0, -1).join(', ')} or ${models.at(-1)} (default m68000)
  --max-instructions N
                   give up after N instructions: 1 to ${MAX_INSTRUCTIONS} (default ${DEFAULT_INSTRUCTIONS})
  --interpret      run on the interpreter instead of the translator (the same results, slower)
  --stats          print instructions, cycles, speed and blocks translated on stderr at the end
  -h, --help       print this help and exit
exit status: the program's own; 1 if it died (a fault, an exception, the instruction limit);
2 with one line \`m68k-run: error: ...\` for a usage or input error
`;

interface CliArgs {
  readonly program: string;
  readonly stdinPath: string | null;
  readonly stats: boolean;
  readonly interpret: boolean;
  readonly model: CpuModelName;
  readonly maxInstructions: number;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliArgs | 'help' {
  // Help wins over every other mistake on the line.
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let program: string | null = null;
  let stdinPath: string | null = null;
  let stats = false;
  let interpret = false;
  let model: CpuModelName = 'm68000';
  let maxInstructions = DEFAULT_INSTRUCTIONS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--stdin') stdinPath = value();
    else if (arg === '--stats') stats = true;
    else if (arg === '--interpret') interpret = true;
    else if (arg === '--cpu-model') {
      const m = value();
      if (!(models as readonly string[]).includes(m)) throw new UsageError(`--cpu-model: unknown CPU model '${m}' (${models.slice(0, -1).join(', ')} or ${models.at(-1)})`);
      model = m as CpuModelName;
    } else if (arg === '--max-instructions') {
      const text = value();
      const n = /^\d{1,13}$/.test(text) ? Number(text) : NaN;
      if (!(n >= 1 && n <= MAX_INSTRUCTIONS)) throw new UsageError(`--max-instructions: expected an integer from 1 to ${MAX_INSTRUCTIONS}, got "${text}"`);
      maxInstructions = n;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}' (m68k-run --help lists them)`);
    else if (program === null) program = arg;
    else throw new UsageError(`unexpected argument '${arg}': one program at a time`);
  }
  if (program === null) throw new UsageError('no program given (usage: m68k-run <prog.elf> [options])');
  return { program, stdinPath, stats, interpret, model, maxInstructions };
}

function failure(e: unknown, path: string, what: string): UsageError {
  const code = (e as { code?: string }).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot read it';
  return new UsageError(`${what} ${path}: ${why}`);
}

function readOrFail(env: CliEnvironment, path: string, what: string): Uint8Array {
  try {
    return env.readFile(path);
  } catch (e) {
    if (isPagelabError(e)) throw e;
    throw failure(e, path, what);
  }
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export function runCli(argv: readonly string[], env: CliEnvironment): number {
  let args: CliArgs;
  let image;
  let stdin: Uint8Array | (ByteSource & { close(): void }) = new Uint8Array(0);
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      env.writeStdout(new TextEncoder().encode(USAGE));
      return 0;
    }
    args = parsed;
    const file = readOrFail(env, args.program, 'program');
    image = loadElfImage(file, args.program);
    if (args.stdinPath !== null) {
      const path = args.stdinPath;
      if (env.openStream === undefined) stdin = readOrFail(env, path, 'stdin file');
      else {
        try {
          stdin = env.openStream(path);
        } catch (e) {
          throw isPagelabError(e) ? e : failure(e, path, 'stdin file');
        }
      }
    }
  } catch (e) {
    if (e instanceof UsageError || isPagelabError(e)) {
      env.writeStderr(`m68k-run: error: ${e.message.replace(/\s*\n\s*/g, '; ')}\n`);
      return 2;
    }
    throw e;
  }
  const started = env.now();
  let runningCpu: M68000 | null = null;
  let result;
  try {
    result = runProgram(image, {
      model: args.model,
      engine: args.interpret ? 'interpret' : 'translate',
      onStart: (cpu) => {
        runningCpu = cpu as M68000;
      },
      maxInstructions: args.maxInstructions,
      stdin,
      programName: args.program.split(/[\\/]/).pop() ?? args.program,
      onOutput: (fd, bytes) => (fd === 1 ? env.writeStdout(bytes) : env.writeStderr(new TextDecoder().decode(bytes))),
      ...(env.files !== undefined ? { files: env.files } : {}),
      onUnsupportedSyscall: (number, name) =>
        env.writeStderr(`m68k-run: warning: the program made system call ${number}${name === null ? '' : ` (${name})`}, which m68k-run does not serve; it returned -ENOSYS\n`),
    });
  } catch (e) {
    // A stdin that fails mid-run (a read error on the host file) is the input's fault, not a bug.
    if (isPagelabError(e)) {
      env.writeStderr(`m68k-run: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  } finally {
    if (!(stdin instanceof Uint8Array)) stdin.close();
  }
  if (args.stats) {
    const seconds = Math.max((env.now() - started) / 1000, 1e-9);
    env.writeStderr(
      `m68k-run: ${result.instructions} instructions, ${result.cycles} cycles, ${seconds.toFixed(3)} s, ${Math.round(result.instructions / seconds)} instructions/s, ${(runningCpu as M68000 | null)?.blocksCompiled ?? 0} blocks translated\n`,
    );
  }
  if (result.error !== null) {
    env.writeStderr(`m68k-run: error: ${result.error}\n`);
    return 1;
  }
  return result.status ?? 1;
}
