import { DEFAULT_NAMESPACE, policyId } from '@netpol-atlas/evaluator';
import type { NetworkPolicyObject } from '@netpol-atlas/manifests';
import { type Compiled, editableSpec, newPolicyObject, type PolicyEdit, renderEdits } from './compiled.ts';
import { deepEqual } from './json.ts';
import { policyName } from './peers.ts';
import type { FileEdit } from './types.ts';

/**
 * The policy edits of one plan, accumulated per policy so that several changes to one policy
 * become one document edit.
 */
export class PolicyEditSet {
  private readonly updates = new Map<
    string,
    { policy: NetworkPolicyObject; spec: Record<string, unknown>; changes: string[] }
  >();
  private readonly creates: {
    namespace: string;
    name: string;
    value: Record<string, unknown>;
    comment: string;
    change: string;
  }[] = [];

  constructor(private readonly ws: Compiled) {}

  /** The editable spec of an existing policy (the same object on every call). */
  spec(policy: NetworkPolicyObject): Record<string, unknown> {
    const id = policyId(policy);
    let entry = this.updates.get(id);
    if (!entry) {
      entry = { policy, spec: editableSpec(policy), changes: [] };
      this.updates.set(id, entry);
    }
    return entry.spec;
  }

  /** Records why an existing policy changes (shown per file in the edit). */
  note(policy: NetworkPolicyObject, change: string): void {
    this.spec(policy);
    this.updates.get(policyId(policy))!.changes.push(change);
  }

  /** Adds a new policy with a unique name built from `words`; returns its id. */
  create(
    namespace: string,
    words: readonly string[],
    spec: Record<string, unknown>,
    comment: string,
  ): string {
    const name = policyName(words, this.takenNames(namespace));
    const change = `new policy ${namespace}/${name}`;
    this.creates.push({ namespace, name, value: newPolicyObject(namespace, name, spec), comment, change });
    return `${namespace}/${name}`;
  }

  private takenNames(namespace: string): Set<string> {
    const names = new Set<string>();
    for (const object of this.ws.parsed.objects) {
      if (object.kind === 'NetworkPolicy' && (object.metadata.namespace ?? DEFAULT_NAMESPACE) === namespace) {
        names.add(object.metadata.name);
      }
    }
    for (const c of this.creates) if (c.namespace === namespace) names.add(c.name);
    return names;
  }

  /** Ids of existing policies whose spec actually changed. */
  get touchedIds(): string[] {
    return [...this.updates.entries()]
      .filter(([, entry]) => !deepEqual(entry.spec, entry.policy.raw.spec))
      .map(([id]) => id);
  }

  get createdIds(): string[] {
    return this.creates.map((c) => `${c.namespace}/${c.name}`);
  }

  get isEmpty(): boolean {
    return this.touchedIds.length === 0 && this.creates.length === 0;
  }

  /** The policy edits, updates first (in the order policies were first touched), then creations. */
  edits(): PolicyEdit[] {
    const out: PolicyEdit[] = [];
    for (const [, entry] of this.updates) {
      if (deepEqual(entry.spec, entry.policy.raw.spec)) continue;
      out.push({ kind: 'update', policy: entry.policy, spec: entry.spec, change: entry.changes.join('; ') });
    }
    for (const c of this.creates) out.push({ kind: 'create', ...c });
    return out;
  }

  /** The file edits that carry these policy edits. */
  render(): FileEdit[] {
    return renderEdits(this.ws, this.edits());
  }
}
