import type { JSONSchema } from 'monaco-yaml';
import { describe, expect, it } from 'vitest';
import { networkPolicySchema } from './networkPolicySchema.ts';

/** Every sub-schema with the JSON pointer it sits at. */
function* walk(node: unknown, pointer: string): Generator<[string, JSONSchema]> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return;
  const schema = node as JSONSchema;
  yield [pointer, schema];
  for (const [key, value] of Object.entries(schema.properties ?? {}))
    yield* walk(value, `${pointer}/properties/${key}`);
  for (const [key, value] of Object.entries(schema.definitions ?? {}))
    yield* walk(value, `${pointer}/definitions/${key}`);
  for (const key of ['items', 'additionalProperties', 'if', 'then', 'else', 'not'] as const) {
    yield* walk(schema[key], `${pointer}/${key}`);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    for (const [i, value] of (schema[key] ?? []).entries()) yield* walk(value, `${pointer}/${key}/${i}`);
  }
}

const all = [...walk(networkPolicySchema, '#')];

describe('networkPolicySchema', () => {
  it('is plain JSON (the worker receives it through postMessage)', () => {
    expect(JSON.parse(JSON.stringify(networkPolicySchema))).toEqual(networkPolicySchema);
  });

  it('has every $ref resolvable', () => {
    const refs = all.flatMap(([, s]) => (s.$ref ? [s.$ref] : []));
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) {
      if (ref === '#') continue;
      const name = ref.replace('#/definitions/', '');
      expect(networkPolicySchema.definitions, ref).toHaveProperty(name);
    }
  });

  it('describes every NetworkPolicy field, in Markdown for hovers', () => {
    const fields = all.filter(
      ([pointer]) => pointer.startsWith('#/definitions/') && pointer.includes('/properties/'),
    );
    expect(fields.length).toBeGreaterThan(30);
    for (const [pointer, s] of fields) {
      // anyOf branches stay bare on purpose: their parent's description is the one hovers show.
      if (s.$ref || pointer.includes('/anyOf/')) continue;
      expect(s.description, pointer).toBeTruthy();
      expect(s.markdownDescription, pointer).toBe(s.description);
    }
  });

  it('only applies the NetworkPolicy definition to networking.k8s.io/v1 NetworkPolicy documents', () => {
    const branch = networkPolicySchema.allOf?.[0] as JSONSchema;
    expect(branch.if).toEqual({
      required: ['kind'],
      properties: { kind: { const: 'NetworkPolicy' }, apiVersion: { const: 'networking.k8s.io/v1' } },
    });
    expect(branch.then).toEqual({ $ref: '#/definitions/NetworkPolicy' });
    // The root itself accepts any object, so other kinds get no errors.
    expect(networkPolicySchema.required).toBeUndefined();
    expect(networkPolicySchema.additionalProperties).toBeUndefined();
  });

  it('lists the enums the API server accepts', () => {
    const defs = networkPolicySchema.definitions!;
    const prop = (def: string, name: string) => defs[def]?.properties?.[name] as JSONSchema;
    expect(prop('Port', 'protocol').enum).toEqual(['TCP', 'UDP', 'SCTP']);
    expect(prop('LabelSelectorRequirement', 'operator').enum).toEqual([
      'In',
      'NotIn',
      'Exists',
      'DoesNotExist',
    ]);
    expect((prop('NetworkPolicySpec', 'policyTypes').items as JSONSchema).enum).toEqual([
      'Ingress',
      'Egress',
    ]);
  });
});
