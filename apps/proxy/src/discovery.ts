// Discovery: which of the allow-listed resources the API server serves, read from the
// group/version documents of the API groups they belong to.
import { type ClusterClient, ClusterError } from './clusterClient.ts';
import { ALL_RESOURCES, groupVersionPath, pickServed, type ResourceSpec } from './resources.ts';

/** The allow-listed resources this API server serves. */
export async function discover(client: ClusterClient, signal: AbortSignal): Promise<ResourceSpec[]> {
  const groupVersions = [...new Set(ALL_RESOURCES.map((r) => groupVersionPath(r.group, r.version)))];
  const servedNames = new Map<string, Set<string>>();
  for (const gv of groupVersions) {
    try {
      const { body } = await client.getJson(gv, 4 * 1024 * 1024, signal);
      const resources = (body as { resources?: { name?: unknown }[] }).resources ?? [];
      servedNames.set(gv, new Set(resources.flatMap((r) => (typeof r.name === 'string' ? [r.name] : []))));
    } catch (error) {
      // A group that is not installed (404), or one discovery hides from this user (403),
      // simply is not read; everything else (down, 401, slow) fails the whole discovery.
      if (error instanceof ClusterError && (error.kind === 'not-found' || error.kind === 'forbidden'))
        continue;
      throw error;
    }
  }
  const served = ALL_RESOURCES.filter((r) =>
    servedNames.get(groupVersionPath(r.group, r.version))?.has(r.plural),
  );
  return pickServed(served);
}
