// The walk over one v1alpha1 object being converted: it collects the issues, and reads every map
// through one place so that a field the conversion does not know is reported, never dropped silently.

import type { PathSegment } from '@netpol-atlas/manifests';
import { isPlainObject } from '../json.ts';
import type { MigrationIssueCode, MigrationSeverity } from './types.ts';

/** A JSON map of the object being converted. */
export type Json = Record<string, unknown>;

/** What converting one object found, located by field path in the original object. */
export interface ObjectIssue {
  code: MigrationIssueCode;
  severity: MigrationSeverity;
  message: string;
  path: PathSegment[];
}

/** Fields of early v1alpha1 releases (v0.1.0's namespace and pod peers) that release-0.1 and v1alpha2 lack. */
const LEGACY_FIELDS: Readonly<Record<string, string>> = {
  sameLabels:
    'sameLabels (an early v1alpha1 peer: namespaces sharing the subject namespace’s values of these labels) has no ClusterNetworkPolicy equivalent',
  notSameLabels:
    'notSameLabels (an early v1alpha1 peer: namespaces not sharing the subject namespace’s values of these labels) has no ClusterNetworkPolicy equivalent',
  related: 'related (an early v1alpha1 peer field) has no ClusterNetworkPolicy equivalent',
};

/** Walks one object, collecting issues; every map is read through {@link take}. */
export class Walk {
  readonly issues: ObjectIssue[] = [];

  constructor(readonly absentSelectorsAsEmpty: boolean) {}

  report(code: MigrationIssueCode, severity: MigrationSeverity, path: PathSegment[], message: string): void {
    this.issues.push({ code, severity, message, path });
  }

  /**
   * The fields of a map this conversion knows; every other field is reported as one that has no
   * v1alpha2 place (the API server prunes unknown fields of the v1alpha1 object too, so the
   * converted object means what the stored one does, but the author wrote something it lost).
   */
  take(value: unknown, path: PathSegment[], known: readonly string[]): Json | undefined {
    if (!isPlainObject(value)) return undefined;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const legacy = LEGACY_FIELDS[key];
      const where = [...path, key];
      this.report(
        'unconvertible-field',
        'error',
        where,
        legacy
          ? `${legacy}: left out (the v1alpha1 API server prunes it as well, so the peer was read without it)`
          : `field "${key}" is not part of the v1alpha1 schema and has no ClusterNetworkPolicy equivalent: left out (the API server prunes it)`,
      );
    }
    return value;
  }
}
