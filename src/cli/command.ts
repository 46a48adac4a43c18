// The shape every `cdk8s-paas` subcommand has. A new command is a file that
// exports a `CliCommand` and one entry in the COMMANDS table of main.ts.

/** Where the CLI reads and writes (process streams, or buffers in tests). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Reads all of standard input (the `-` argument).
   *
   * @default - the process's standard input, read to its end
   */
  readStdin?(): Buffer | string;
}

/** Exit codes. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/** A usage error: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** The parsed arguments of one command. */
export interface ParsedArgs {
  /** Positional arguments (files, directories, `-` for standard input), in order. */
  readonly paths: string[];
  /** `--name value` / `--name=value` options, by name without the dashes. */
  readonly flags: { [name: string]: string };
}

/** One subcommand: its help and what it does. */
export interface CliCommand {
  /** The word after `cdk8s-paas`, e.g. `validate`. */
  readonly name: string;
  /** The synopsis line(s) after `usage:`, without the program name, e.g. `validate <files|dirs|->... [--format text|json]`. */
  readonly synopsis: string;
  /** What the command does and what its options mean (indented text). */
  readonly description: string;
  /** The options that take a value, without dashes. */
  readonly flags: string[];
  /** Whether at least one positional argument is required. */
  readonly needsPaths: boolean;
  /** Runs the command; returns the exit code. */
  run(args: ParsedArgs, io: CliIo): number;
}

/** `n word` or `n words`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
