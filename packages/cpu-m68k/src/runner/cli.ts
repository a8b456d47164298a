/**
 * `m68k-run`: runs a static 68000 Linux executable on the interpreter, serving the system
 * calls pagelab's kernel serves (exit, read, write, open, close, lseek, getpid, brk; `open`
 * reaches the host's files, as under qemu-m68k), and exits with the program's status. A call
 * it does not serve gets -ENOSYS and a warning naming it on stderr.
 *
 *   m68k-run <prog.elf> [--stdin FILE] [--stats] [--cpu-model m68000|m68010-hidden]
 *
 * Bad usage or input (a missing file, something that is not a 68000 executable) prints one
 * line `m68k-run: error: ...` and exits 2; a program that dies (a fault, an exception, the
 * instruction limit) prints `m68k-run: error: ...` and exits 1.
 */
import { isPagelabError, type CpuModelName } from '@pagelab/contracts';
import { loadElfImage } from '../elf/elf-image.js';
import type { ProgramFiles } from './program-files.js';
import { runProgram } from './run-program.js';

/** What the CLI needs from its environment (the real process, or a test's fakes). */
export interface CliEnvironment {
  readFile(path: string): Uint8Array;
  writeStdout(bytes: Uint8Array): void;
  writeStderr(text: string): void;
  /** Milliseconds, for `--stats`. */
  now(): number;
  /** The files the program may open (default: none but those it creates, in memory). */
  readonly files?: ProgramFiles;
}

export const USAGE = 'usage: m68k-run <prog.elf> [--stdin FILE] [--stats] [--cpu-model m68000|m68010-hidden]';

interface CliArgs {
  readonly program: string;
  readonly stdinPath: string | null;
  readonly stats: boolean;
  readonly model: CpuModelName;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): CliArgs {
  let program: string | null = null;
  let stdinPath: string | null = null;
  let stats = false;
  let model: CpuModelName = 'm68000';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--stdin') stdinPath = value();
    else if (arg === '--stats') stats = true;
    else if (arg === '--cpu-model') {
      const m = value();
      if (m !== 'm68000' && m !== 'm68010-hidden') throw new UsageError(`unknown CPU model '${m}' (m68000 or m68010-hidden)`);
      model = m;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else if (program === null) program = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  if (program === null) throw new UsageError('no program given');
  return { program, stdinPath, stats, model };
}

function readOrFail(env: CliEnvironment, path: string, what: string): Uint8Array {
  try {
    return env.readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : 'cannot read it';
    throw new UsageError(`${what} ${path}: ${why}`);
  }
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export function runCli(argv: readonly string[], env: CliEnvironment): number {
  let args: CliArgs;
  let image;
  let stdin: Uint8Array = new Uint8Array(0);
  try {
    args = parseArgs(argv);
    const file = readOrFail(env, args.program, 'program');
    image = loadElfImage(file, args.program);
    if (args.stdinPath !== null) stdin = readOrFail(env, args.stdinPath, 'stdin file');
  } catch (e) {
    if (e instanceof UsageError) {
      env.writeStderr(`m68k-run: error: ${e.message}\n${e.message.startsWith('program') || e.message.startsWith('stdin') ? '' : `${USAGE}\n`}`);
      return 2;
    }
    if (isPagelabError(e)) {
      env.writeStderr(`m68k-run: error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const started = env.now();
  const result = runProgram(image, {
    model: args.model,
    stdin,
    programName: args.program.split(/[\\/]/).pop() ?? args.program,
    onOutput: (fd, bytes) => (fd === 1 ? env.writeStdout(bytes) : env.writeStderr(new TextDecoder().decode(bytes))),
    ...(env.files !== undefined ? { files: env.files } : {}),
    onUnsupportedSyscall: (number, name) =>
      env.writeStderr(`m68k-run: warning: the program made system call ${number}${name === null ? '' : ` (${name})`}, which m68k-run does not serve; it returned -ENOSYS\n`),
  });
  if (args.stats) {
    const seconds = Math.max((env.now() - started) / 1000, 1e-9);
    env.writeStderr(
      `m68k-run: ${result.instructions} instructions, ${result.cycles} cycles, ${seconds.toFixed(3)} s, ${Math.round(result.instructions / seconds)} instructions/s\n`,
    );
  }
  if (result.error !== null) {
    env.writeStderr(`m68k-run: error: ${result.error}\n`);
    return 1;
  }
  return result.status ?? 1;
}
