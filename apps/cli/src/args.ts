import { type ParseArgsConfig, parseArgs as parseNodeArgs } from 'node:util';

/** Parsed command line: positional arguments and `--flag value` options (last one wins; lists keep all). */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
}

/** Thrown for a command line a user got wrong; the message is printed as is. */
export class UsageError extends Error {}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses `--name value`, `--name=value`, `-o value` and boolean flags with `node:util`'s
 * `parseArgs`. `booleans` lists the flags that take no value; `aliases` maps one-letter short
 * names to long ones. Booleans keep an inline value (`--quiet=false`), so `optionFlag` can read
 * it; every occurrence of an option is kept, in order, for repeatable ones such as `--dirpath`.
 */
export function parseArgs(
  argv: readonly string[],
  spec: {
    values: readonly string[];
    booleans: readonly string[];
    aliases?: Readonly<Record<string, string>>;
  },
): ParsedArgs {
  const config: OptionsConfig = {};
  for (const name of spec.values) config[name] = { type: 'string' };
  for (const name of spec.booleans) config[name] = { type: 'boolean' };
  for (const [short, long] of Object.entries(spec.aliases ?? {})) {
    const option = config[long];
    if (option) option.short = short;
  }
  // Not strict: node's own errors would change the wording users and scripts see, and strict mode
  // refuses a value that starts with a dash (`--port -1`), which the commands report better
  // themselves. Unknown options and missing values are checked on the tokens below instead.
  const { tokens } = parseNodeArgs({
    args: [...argv],
    options: config,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    // Own properties only: `--constructor` is an unknown option, not Object.prototype's.
    const option = Object.hasOwn(config, token.name) ? config[token.name] : undefined;
    if (!option) throw new UsageError(`unknown option ${argv[token.index]}`);
    const value = option.type === 'boolean' ? (token.value ?? 'true') : token.value;
    if (value === undefined) throw new UsageError(`option --${token.name} needs a value`);
    options.set(token.name, [...(options.get(token.name) ?? []), value]);
  }
  return { positionals, options };
}

/** The last value of an option, or undefined. */
export function optionValue(args: ParsedArgs, name: string): string | undefined {
  return args.options.get(name)?.at(-1);
}

/** Every value of a repeatable option, comma lists split. */
export function optionList(args: ParsedArgs, name: string): string[] {
  return (args.options.get(name) ?? []).flatMap((v) => v.split(',')).filter((v) => v !== '');
}

/** A boolean flag: present and not `false`/`0`. */
export function optionFlag(args: ParsedArgs, name: string): boolean {
  const value = optionValue(args, name);
  return value !== undefined && value !== 'false' && value !== '0';
}

/** Whether `-h`/`--help` is among the options (arguments after `--` are operands, never options). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
