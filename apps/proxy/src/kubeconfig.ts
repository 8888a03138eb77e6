import { existsSync, readFileSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { type Cluster, type Context, KubeConfig, type User } from '@kubernetes/client-node';

/** A kubeconfig context as the app may show it: names only, never servers or credentials. */
export interface ContextInfo {
  name: string;
  /** True when the context names a cluster with an http(s) server the proxy can talk to. */
  usable: boolean;
  /** Why the context cannot be used, when it cannot. */
  problem?: string;
}

/** The outcome of looking for a kubeconfig. */
export type KubeconfigLoad =
  | {
      found: true;
      /** Where it came from, for messages: `--kubeconfig`, `KUBECONFIG` or `~/.kube/config`. */
      source: string;
      contexts: ContextInfo[];
      currentContext: string | undefined;
      clusters: Cluster[];
      users: User[];
      rawContexts: Context[];
    }
  | { found: false; reason: string };

/** Where to look. `env` and `home` are parameters so tests never read the developer's config. */
export interface KubeconfigLookup {
  /** `--kubeconfig`: exactly this file, no fallback. */
  path?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  home: string | undefined;
}

/**
 * Finds and reads the kubeconfig like kubectl does (an explicit file, else every file of
 * KUBECONFIG merged with the first definition winning, else ~/.kube/config), and never like the
 * client library's `loadFromDefault`, which falls back to in-cluster credentials and finally to
 * an unauthenticated http://localhost:8080. When nothing usable is found the result says
 * "no kubeconfig" and the app runs on its demo instead.
 */
export function loadKubeconfig(lookup: KubeconfigLookup): KubeconfigLoad {
  let files: string[];
  let source: string;
  if (lookup.path !== undefined) {
    if (!existsSync(lookup.path))
      return { found: false, reason: 'no kubeconfig: the --kubeconfig file does not exist' };
    files = [lookup.path];
    source = '--kubeconfig';
  } else if (lookup.env.KUBECONFIG) {
    files = lookup.env.KUBECONFIG.split(delimiter).filter((f) => f !== '' && existsSync(f));
    source = 'KUBECONFIG';
  } else {
    const home = lookup.home ? join(lookup.home, '.kube', 'config') : undefined;
    files = home && existsSync(home) ? [home] : [];
    source = '~/.kube/config';
  }
  if (files.length === 0) {
    return {
      found: false,
      reason:
        source === 'KUBECONFIG'
          ? 'no kubeconfig: none of the files in KUBECONFIG exists'
          : 'no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist',
    };
  }

  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext: string | undefined;
  for (const file of files) {
    const kc = new KubeConfig();
    try {
      // `filter` drops a malformed entry (e.g. a cluster without a server) instead of failing
      // the whole file: the contexts that use it are then reported as unusable.
      kc.loadFromString(readFileSync(file, 'utf8'), { onInvalidEntry: 'filter' });
    } catch (error) {
      // Never echo the parser's message: it quotes the offending line, which may hold a token.
      const line = (error as { mark?: { line?: number } }).mark?.line;
      return {
        found: false,
        reason: `no kubeconfig: a ${source} file could not be parsed${line === undefined ? '' : ` (line ${line + 1})`}`,
      };
    }
    kc.makePathsAbsolute(dirname(isAbsolute(file) ? file : join(process.cwd(), file)));
    // kubectl's merge rule: the first file to define a name (or the current context) wins.
    for (const c of kc.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of kc.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of kc.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    currentContext ??= kc.getCurrentContext() || undefined;
  }

  const infos = [...contexts.values()].map((c): ContextInfo => {
    const problem = contextProblem(c, clusters.get(c.cluster));
    return problem ? { name: c.name, usable: false, problem } : { name: c.name, usable: true };
  });
  if (!infos.some((c) => c.usable)) {
    return {
      found: false,
      reason:
        infos.length === 0
          ? `no kubeconfig: the ${source} file defines no context`
          : `no kubeconfig: no context in the ${source} file names a cluster with a server`,
    };
  }
  return {
    found: true,
    source,
    contexts: infos,
    currentContext: currentContext && contexts.has(currentContext) ? currentContext : undefined,
    clusters: [...clusters.values()],
    users: [...users.values()],
    rawContexts: [...contexts.values()],
  };
}

function contextProblem(context: Context, cluster: Cluster | undefined): string | undefined {
  if (!cluster) return `its cluster "${context.cluster}" is missing or has no server`;
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    return `its cluster "${context.cluster}" has an invalid server address`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `its cluster "${context.cluster}" has a server that is neither http nor https`;
  }
  return undefined;
}

/** What the proxy needs to talk to one context's API server. */
export interface ClusterTarget {
  context: string;
  /** The API server's base URL, without a trailing slash. */
  server: string;
  /** A client-library config whose current context is `context`: applies TLS and auth. */
  config: KubeConfig;
}

/**
 * A client-library config for exactly one usable context. Throws (never falls back) when the
 * context is unknown or has no server, so no request can go to a default address.
 */
export function clusterTarget(load: KubeconfigLoad, context: string): ClusterTarget {
  if (!load.found) throw new Error(load.reason);
  const info = load.contexts.find((c) => c.name === context);
  if (!info) throw new Error(`unknown context "${context}"`);
  if (!info.usable) throw new Error(`context "${context}" cannot be used: ${info.problem}`);
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: load.clusters,
    users: load.users,
    contexts: load.rawContexts,
    currentContext: context,
  });
  const cluster = config.getCurrentCluster();
  if (!cluster?.server) throw new Error(`context "${context}" has no cluster server`);
  return { context, server: cluster.server.replace(/\/+$/, ''), config };
}
