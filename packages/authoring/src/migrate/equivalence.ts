// The evaluator's proof that a converted set allows exactly what the original did: both sets are
// compiled under the same options and every connection is compared. Nothing is summarised away.

import { type ConnectionSet, formatConnectionSet, NO_CONNECTIONS } from '@netpol-atlas/evaluator';
import type { Workspace } from '@netpol-atlas/workspace';
import { migrateClusterPolicies } from './migrate.ts';
import type {
  Migration,
  MigrationDifference,
  MigrationEquivalence,
  MigrationIssue,
  MigrationOptions,
} from './types.ts';

/**
 * Compares every connection (workload pairs, external ranges, domain names) of `after` with
 * `before`: proven when none differs. Each difference lists both allowed sets as `netpol list`
 * prints them.
 */
export function migrationEquivalence(before: Workspace, after: Workspace): MigrationEquivalence {
  const { diff } = after.diff(before)!;
  const text = (set: ConnectionSet | undefined) => formatConnectionSet(set ?? NO_CONNECTIONS);
  const differences: MigrationDifference[] = diff.changes.map((change) => ({
    src: change.src.id,
    dst: change.dst.id,
    before: text(change.before),
    after: text(change.after),
  }));
  return { proven: differences.length === 0, identical: diff.unchanged.length, differences };
}

/** A migration of a workspace, checked by the evaluator. */
export interface CheckedMigration extends Migration {
  equivalence: MigrationEquivalence;
}

/**
 * Converts the workspace's cluster policies ({@link migrateClusterPolicies}), compiles the
 * converted set on a fork of the workspace (same options; the parse of unchanged files is shared),
 * proves it equivalent or lists every connection that differs, and adds an `invalid-result` issue
 * for each error the API server would find in a converted object.
 */
export function migrateWorkspace(workspace: Workspace, options: MigrationOptions = {}): CheckedMigration {
  const migration = migrateClusterPolicies(workspace, options);
  const after = workspace.fork();
  after.setFiles(migration.files);
  const equivalence = migrationEquivalence(workspace, after);
  const issues: MigrationIssue[] = [...migration.issues];
  const targets = new Map(migration.converted.map((c) => [c.to.name, c]));
  for (const d of after.parsed().result.diagnostics) {
    if (d.severity !== 'error' || d.kind !== 'ClusterNetworkPolicy') continue;
    const converted = d.object === undefined ? undefined : targets.get(d.object);
    if (!converted || converted.to.file !== d.file) continue;
    issues.push({
      code: 'invalid-result',
      severity: 'error',
      message: `the API server would refuse ClusterNetworkPolicy/${converted.to.name}: ${d.field ? `${d.field}: ` : ''}${d.message}`,
      file: converted.from.file,
      object: `${converted.from.kind}/${converted.from.name}`,
      field: d.field,
      range: d.range,
    });
  }
  return { ...migration, issues, equivalence };
}
