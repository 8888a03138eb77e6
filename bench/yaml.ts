// Block-style YAML for the synthetic clusters, in kubectl's layout: what a cluster dump looks like.

export type Yaml = string | number | boolean | null | readonly Yaml[] | YamlMap;
/** `undefined` values are left out, as JSON.stringify does: optional fields read naturally. */
export interface YamlMap {
  readonly [key: string]: Yaml | undefined;
}

/** YAML 1.1 booleans and nulls: written plain, Kubernetes would not read them as strings. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;
const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  // A JSON string is a valid YAML double-quoted scalar.
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

function isCollection(value: Yaml): value is readonly Yaml[] | YamlMap {
  return typeof value === 'object' && value !== null;
}

function entries(value: YamlMap): [string, Yaml][] {
  return Object.entries(value).filter((e): e is [string, Yaml] => e[1] !== undefined);
}

function isEmpty(value: readonly Yaml[] | YamlMap): boolean {
  return Array.isArray(value) ? value.length === 0 : entries(value as YamlMap).length === 0;
}

/** Block-style YAML in kubectl's layout (sequences not indented under their key). */
export function toYaml(value: Yaml): string {
  const lines: string[] = [];
  writeBlock(value, '', lines);
  return `${lines.join('\n')}\n`;
}

function writeBlock(value: Yaml, pad: string, lines: string[]): void {
  if (!isCollection(value) || isEmpty(value)) {
    lines.push(pad + inline(value));
  } else if (Array.isArray(value)) {
    for (const item of value as readonly Yaml[]) {
      if (isCollection(item) && !isEmpty(item)) {
        const start = lines.length;
        writeBlock(item, `${pad}  `, lines);
        // The first line of the item shares the dash.
        lines[start] = `${pad}- ${lines[start]!.slice(pad.length + 2)}`;
      } else {
        lines.push(`${pad}- ${inline(item)}`);
      }
    }
  } else {
    for (const [key, item] of entries(value as YamlMap)) {
      if (isCollection(item) && !isEmpty(item)) {
        lines.push(`${pad}${scalar(key)}:`);
        writeBlock(item, Array.isArray(item) ? pad : `${pad}  `, lines);
      } else {
        lines.push(`${pad}${scalar(key)}: ${inline(item)}`);
      }
    }
  }
}

function inline(value: Yaml): string {
  if (!isCollection(value)) return scalar(value);
  return Array.isArray(value) ? '[]' : '{}';
}
