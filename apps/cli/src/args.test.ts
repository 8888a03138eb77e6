import { describe, expect, it } from 'vitest';
import { optionFlag, optionList, optionValue, parseArgs, UsageError, wantsHelp } from './args.ts';

const SPEC = {
  values: ['dirpath', 'output', 'port', 'focusworkload'],
  booleans: ['quiet', 'explain', 'help'],
  aliases: { o: 'output', q: 'quiet', h: 'help' },
};

describe('parseArgs', () => {
  it('reads long, inline and short options, keeping positionals and `-` in order', () => {
    const args = parseArgs(['a.yaml', '--dirpath', 'd1', '-', '--dirpath=d2', '-o', 'json', 'b.yaml'], SPEC);
    expect(args.positionals).toEqual(['a.yaml', '-', 'b.yaml']);
    expect(args.options.get('dirpath')).toEqual(['d1', 'd2']);
    expect(optionValue(args, 'output')).toBe('json');
  });

  it('lets the last value win and splits comma lists', () => {
    const args = parseArgs(
      ['-o', 'txt', '--output', 'md', '--focusworkload', 'a,b', '--focusworkload=c'],
      SPEC,
    );
    expect(optionValue(args, 'output')).toBe('md');
    expect(optionList(args, 'focusworkload')).toEqual(['a', 'b', 'c']);
  });

  it('takes the next argument as the value even when it starts with a dash', () => {
    expect(optionValue(parseArgs(['--port', '-1'], SPEC), 'port')).toBe('-1');
  });

  it('reads booleans, including an explicit false', () => {
    expect(optionFlag(parseArgs(['-q'], SPEC), 'quiet')).toBe(true);
    expect(optionFlag(parseArgs(['--quiet=false'], SPEC), 'quiet')).toBe(false);
    expect(optionFlag(parseArgs(['--explain=0'], SPEC), 'explain')).toBe(false);
    expect(optionFlag(parseArgs([], SPEC), 'explain')).toBe(false);
  });

  it('treats everything after `--` as operands', () => {
    const args = parseArgs(['--', '--quiet', '-o'], SPEC);
    expect(args.positionals).toEqual(['--quiet', '-o']);
    expect(args.options.size).toBe(0);
  });

  it.each([
    [['--bogus'], 'unknown option --bogus'],
    [['--bogus=1'], 'unknown option --bogus=1'],
    [['-x'], 'unknown option -x'],
    [['--constructor'], 'unknown option --constructor'],
    [['--dirpath'], 'option --dirpath needs a value'],
    [['x', '-o'], 'option --output needs a value'],
  ])('refuses %j with a usage error', (argv, message) => {
    expect(() => parseArgs(argv, SPEC)).toThrow(UsageError);
    expect(() => parseArgs(argv, SPEC)).toThrow(message);
  });
});

describe('wantsHelp', () => {
  it('finds -h and --help before `--` only', () => {
    expect(wantsHelp(['--dirpath', 'd', '-h'])).toBe(true);
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--', '--help'])).toBe(false);
  });
});
