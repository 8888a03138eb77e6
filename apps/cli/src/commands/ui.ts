// `netpol ui`: the browser app, served with a read-only view of live clusters. The CLI does not
// serve anything itself (the proxy is another app): the program that bundles both, the npm
// package, hands it `io.serveUi`. In a clone, `pnpm start` serves the app the same way.
import type { CliIO } from '../io.ts';

export const UI_USAGE = `  netpol ui [--context NAME] [--port N] [--namespace NS]... [--kubeconfig FILE] [--max-list-mb N]
              serve the app on 127.0.0.1 (default port 4180, 0: any free one) with a read-only
              view of the kubeconfig's clusters, and print its URL; Ctrl+C stops it`;

/** Runs `ui` with the options as given (the proxy parses them); its exit code. */
export async function uiCommand(io: CliIO, argv: readonly string[]): Promise<number> {
  if (io.serveUi === undefined) {
    io.stderr(
      'netpol ui: this build of the CLI cannot serve the app: use the npm package (npx netpol-atlas ui), or `pnpm start` in a clone\n',
    );
    return 2;
  }
  return io.serveUi(argv);
}
