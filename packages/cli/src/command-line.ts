import { parseArgs } from 'node:util';
import { ConfigurationError } from '@pagelab/kernel';

/** One option of a command: how it is spelt, what it takes, and what the help says about it. */
export interface OptionSpec {
  /** The long name, without the dashes (`frames`). */
  readonly name: string;
  /** A one-letter alias, without the dash. */
  readonly short?: string;
  /** The value's placeholder in the help (`N`); an option without one is a switch. */
  readonly value?: string;
  /** What it does, its allowed values and its default, as the help shows them. */
  readonly help: string;
  /** It may be given more than once; its value is then the list, in order. */
  readonly multiple?: boolean;
}

/** A command's grammar: the table its parser and its help are both made from. */
export interface CommandSpec {
  /** What the user typed to reach it (`pagelab run`). */
  readonly command: string;
  /** The positional arguments as the synopsis shows them (`<prog.elf>...`). */
  readonly operands: string;
  /** One line on what the command does. */
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  /** Extra lines printed after the options (notes on values, examples). */
  readonly notes?: readonly string[];
}

const helpOption: OptionSpec = { name: 'help', short: 'h', help: 'print this help and exit' };

/** The usage text of a command, generated from its table. */
export function usageText(spec: CommandSpec): string {
  const options = [...spec.options, helpOption];
  const left = options.map((o) => `${o.short === undefined ? '    ' : `-${o.short}, `}--${o.name}${o.value === undefined ? '' : ` ${o.value}`}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  const lines = [`usage: ${spec.command} ${spec.operands} [options]`, `  ${spec.summary}`, 'options:'];
  options.forEach((o, i) => {
    const [first, ...rest] = o.help.split('\n');
    lines.push(`  ${left[i]!.padEnd(width)}${first}`);
    for (const line of rest) lines.push(`  ${''.padEnd(width)}${line}`);
  });
  for (const note of spec.notes ?? []) lines.push(note);
  return lines.join('\n') + '\n';
}

/** Parsed arguments: option values by long name, and the operands. */
export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | readonly string[] | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `argv` against the table, or returns `'help'` when `-h`/`--help` is among the
 * options. A malformed command line is a `ConfigurationError` naming the option.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedCommandLine | 'help' {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of [...spec.options, helpOption]) {
    options[o.name] = { type: o.value === undefined ? 'boolean' : 'string', ...(o.short === undefined ? {} : { short: o.short }), ...(o.multiple === true ? { multiple: true } : {}) };
  }
  // Help wins over every other mistake on the line, so `pagelab run --bogus --help` still helps.
  const end = argv.indexOf('--');
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (flags.includes('--help') || flags.includes('-h')) return 'help';
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    // Only string options are declared multiple, so every list holds strings.
    return { values: values as Record<string, string | string[] | boolean | undefined>, positionals };
  } catch (error) {
    throw argumentError(error);
  }
}

/** A single-valued option's text, or undefined when it was not given. */
export function optionText(values: ParsedCommandLine['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Turns node's parseArgs complaint into a one-line error naming the option. */
function argumentError(error: unknown): Error {
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const option = /--[\w-]+/.exec(message)?.[0] ?? /'(-\w)/.exec(message)?.[1];
  const field = option === undefined ? 'arguments' : option.replace(/^-+/, '');
  if (/Unknown option/.test(message)) return new ConfigurationError(field, `unknown option ${option}`);
  if (/argument missing/.test(message)) return new ConfigurationError(field, 'needs a value');
  if (/does not take an argument/.test(message)) return new ConfigurationError(field, 'takes no value');
  return new ConfigurationError(field, message);
}
