/** Parsed command line: positional arguments and `--flag value` options (last one wins; lists keep all). */
export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string[]>;
}

/** Thrown for a command line a user got wrong; the message is printed as is. */
export class UsageError extends Error {}

/**
 * Parses `--name value`, `--name=value`, `-o value` and boolean flags. `booleans` lists the flags
 * that take no value; `aliases` maps short names to long ones.
 */
export function parseArgs(
  argv: readonly string[],
  spec: {
    values: readonly string[];
    booleans: readonly string[];
    aliases?: Readonly<Record<string, string>>;
  },
): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const push = (name: string, value: string) => options.set(name, [...(options.get(name) ?? []), value]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-' || !arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    const eq = arg.indexOf('=');
    let name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
    name = spec.aliases?.[name] ?? name;
    if (spec.booleans.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : 'true';
      push(name, value);
    } else if (spec.values.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`option --${name} needs a value`);
      push(name, value);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
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
