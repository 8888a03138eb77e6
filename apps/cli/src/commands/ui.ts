// `netpol ui`: the browser app, served with a read-only view of live clusters. The CLI does not
// serve anything itself (the proxy is another app): the program that bundles both, the npm
// package, hands it `io.serveUi`. In a clone, `pnpm start` serves the app the same way.
import type { CliIO } from '../io.ts';

export const UI_USAGE = `  netpol ui [--context NAME] [--port N] [--namespace NS]... [--kubeconfig FILE] [--max-list-mb N]
            [--token-ttl D] [--idle-timeout D]
              serve the app on 127.0.0.1 (default port 4180, 0: any free one) with a read-only
              view of the kubeconfig's clusters, and print its URL; Ctrl+C stops it`;

/**
 * What `netpol ui --help` prints under its usage, in place of the input options of the other
 * commands: ui reads no manifest files (they are imported in the app).
 */
export const UI_HELP = `Options:
  --context NAME       kubeconfig context to show, connected at once (default: pick in the app)
  --port N             port on 127.0.0.1 (default: $PORT, else 4180; 0 picks a free one)
  --namespace NS       read only this namespace (repeatable; default: all namespaces)
  --kubeconfig FILE    kubeconfig to read (default: $KUBECONFIG, else ~/.kube/config)
  --max-list-mb N      refuse a resource list larger than this (default: 64)
  --token-ttl D        the URL's token expires this long after the start (8h, 30m; default: never)
  --idle-timeout D     the token expires after this long with no tab using it (default: off)
  -h, --help           print help
Manifests are imported in the app (files, folders, paste); without a kubeconfig it shows its demo.
Nothing is ever written to the cluster.
Exit codes: 0 stopped (Ctrl+C), 1 the port or the kubeconfig could not be used, 2 usage errors.
`;

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
