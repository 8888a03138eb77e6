/**
 * Seeded mutations of manifest documents for the CLI fuzz test: at the YAML level (characters,
 * lines, hostile constructs) and at the Kubernetes level (wrong types, invalid values, missing
 * fields in decoded objects).
 */

import type { SeededRandom } from '@netpol-atlas/manifests';

/** Characters that mean something to YAML, and a few that mean trouble to text handling. */
const HOSTILE_CHARACTERS = [
  ...'{}[]:,-?*&!|>\'"#%@`~ \t\n',
  '\r\n',
  '\uFEFF',
  '\0',
  '\u2028',
  '\uD800',
  'é',
  '💥',
];

const HOSTILE_SNIPPETS = [
  '{',
  '[',
  '"',
  "'",
  '*nowhere',
  '&anchor',
  '!!binary',
  '!custom',
  '? [a, b]\n: 1\n',
  '<<: *nowhere\n',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '%TAG ! tag:example.com,2000:\n',
  '\t',
  '|\n',
  '>-\n',
  ': :',
  '- - - -',
  'key: value: other',
];

/** Documents built to exhaust a recursive parser or an alias expander. */
function hostileDocument(random: SeededRandom): string {
  switch (random.int(6)) {
    case 0:
      return `${'- '.repeat(500 + random.int(3000))}x\n`;
    case 1:
      return `${'['.repeat(500 + random.int(5000))}\n`;
    case 2: {
      const depth = 150 + random.int(300);
      return `${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:`).join('\n')}\n`;
    }
    case 3: {
      const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 10; i++) {
        const p = String.fromCharCode(96 + i);
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${`*${p},`.repeat(9)}*${p}]`,
        );
      }
      return `${lines.join('\n')}\n`;
    }
    case 4:
      return `{"kind": "List", "apiVersion": "v1", "items": ${'[{"a": '.repeat(1000)}1${'}]'.repeat(1000)}}\n`;
    default:
      return `apiVersion: v1\nkind: ConfigMap\ndata:\n  big: "${'x'.repeat(200_000)}"\n`;
  }
}

/** One YAML-level change to a document's text. */
export function mutateText(random: SeededRandom, text: string): string {
  const at = random.int(text.length + 1);
  const lines = text.split('\n');
  const line = random.int(lines.length);
  switch (random.int(11)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + random.int(20));
    case 1:
      return text.slice(0, at) + random.pick(HOSTILE_CHARACTERS) + text.slice(at);
    case 2:
      return text.slice(0, at) + random.pick(HOSTILE_SNIPPETS) + text.slice(at);
    case 3:
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 4:
      lines.splice(line, 1);
      return lines.join('\n');
    case 5:
      lines[line] = random.chance(0.5) ? `\t${lines[line]}` : ` ${lines[line]}`.slice(random.int(4));
      return lines.join('\n');
    case 6:
      return text.slice(0, at);
    case 7:
      return `\uFEFF${text}`;
    case 8:
      return hostileDocument(random);
    case 9:
      return text.replaceAll('\n', '\r\n');
    default: {
      const other = random.int(lines.length);
      [lines[line], lines[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return lines.join('\n');
    }
  }
}

const BAD_VALUES: readonly unknown[] = [
  null,
  0,
  -1,
  70000,
  1.5,
  '',
  'Bad_Name',
  'x'.repeat(300),
  '10.0.0.1/24',
  '::ffff:10.0.0.0/104',
  '300.1.1.1/8',
  '010.0.0.0/8',
  'not a cidr',
  'In',
  'Sideways',
  true,
  [],
  [null],
  {},
  { unexpected: 'field' },
  ['a', 1, { b: [] }],
];

/** One Kubernetes-level change to a decoded object: a field's value, type or presence. */
export function mutateObject(random: SeededRandom, object: unknown): unknown {
  const copy = structuredClone(object);
  const paths = fieldPaths(copy);
  const path = random.pick(paths.length > 0 ? paths : [[]]);
  const kind = random.int(4);
  if (path.length === 0) return kind === 0 ? random.pick(BAD_VALUES) : copy;
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path.at(-1)!;
  if (kind === 0) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  } else if (kind === 1 && !Array.isArray(parent)) {
    parent[`${String(key)}x`] = parent[key];
    delete parent[key];
  } else {
    parent[key] = random.pick(BAD_VALUES);
  }
  return copy;
}

function fieldPaths(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, Array.isArray(value) ? Number(key) : key];
      out.push(childPath);
      fieldPaths(child, childPath, out);
    }
  }
  return out;
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let node = value;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}
