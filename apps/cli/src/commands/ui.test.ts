import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { captureIO } from '../nodeIO.ts';

describe('netpol ui', () => {
  it('hands its options, untouched, to the program that serves the app, and exits with its code', async () => {
    const calls: (readonly string[])[] = [];
    const io = {
      ...captureIO(),
      serveUi: async (argv: readonly string[]) => {
        calls.push(argv);
        return 1;
      },
    };
    expect(await runCli(['ui', '--context', 'kind-dev', '--port', '0', '-n', 'shop'], io)).toBe(1);
    expect(calls).toEqual([['--context', 'kind-dev', '--port', '0', '-n', 'shop']]);
  });

  it('says where to find it when this build cannot serve the app', async () => {
    const io = captureIO();
    expect(await runCli(['ui'], io)).toBe(2);
    expect(io.err).toContain('npx netpol-atlas ui');
    expect(io.err).toContain('pnpm start');
    expect(io.out).toBe('');
  });

  it('is listed in the help, and has its own', async () => {
    const help = captureIO();
    expect(await runCli(['ui', '--help'], help)).toBe(0);
    expect(help.out).toContain('netpol ui [--context NAME] [--port N]');
    const top = captureIO();
    await runCli(['--help'], top);
    expect(top.out).toContain('netpol ui');
  });
});
