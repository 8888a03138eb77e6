// Permission checks: when a list or watch is refused, which verbs the user lacks (asked of the
// API server), kept per resource and namespace until that unit works again.
import type { MissingPermission } from '@netpol-atlas/live-protocol';
import type { ClusterClient } from './clusterClient.ts';
import { SELF_SUBJECT_ACCESS_REVIEW_PATH } from './resources.ts';
import type { Unit } from './syncUnit.ts';

/** The permissions the proxy needs and the user lacks, as last checked. */
export class MissingPermissions {
  readonly missing = new Map<string, MissingPermission>();

  constructor(private readonly client: ClusterClient) {}

  private permissionKey(p: MissingPermission): string {
    return `${p.verb}|${p.group}|${p.resource}|${p.namespace ?? ''}`;
  }

  clearPermissions(unit: Unit): void {
    const ns = unit.namespace ?? null;
    for (const [key, p] of this.missing) {
      if (p.group === unit.resource.group && p.resource === unit.resource.plural && p.namespace === ns)
        this.missing.delete(key);
    }
  }

  /**
   * Asks the API server (SelfSubjectAccessReview) which of the verbs the proxy needs are
   * missing, so the user learns exactly what to grant. If the review itself is refused, the
   * verb that just failed is reported.
   */
  async checkPermissions(unit: Unit, signal: AbortSignal): Promise<void> {
    this.clearPermissions(unit);
    const failedVerb = unit.phase === 'listing' || !unit.synced ? 'list' : 'watch';
    for (const verb of ['list', 'watch']) {
      const permission: MissingPermission = {
        verb,
        group: unit.resource.group,
        resource: unit.resource.plural,
        namespace: unit.namespace ?? null,
      };
      let allowed: boolean;
      try {
        const review = (await this.client.postJson(
          SELF_SUBJECT_ACCESS_REVIEW_PATH,
          {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                verb,
                group: unit.resource.group,
                resource: unit.resource.plural,
                ...(unit.namespace ? { namespace: unit.namespace } : {}),
              },
            },
          },
          signal,
        )) as { status?: { allowed?: unknown } };
        allowed = review.status?.allowed === true;
      } catch {
        allowed = verb !== failedVerb;
      }
      if (!allowed) this.missing.set(this.permissionKey(permission), permission);
    }
  }
}
