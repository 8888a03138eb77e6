// The field-error toolkit behind validateNetworkPolicy: typed readers over the raw decoded
// document, Go-style rendering of invalid values (as the API server's field.Error prints them),
// and diagnostics located at the field or, for missing fields, at the nearest enclosing one.

import type { Diagnostic, Locator, PathSegment, Severity, SourceRange } from '../diagnostics.ts';
import { formatFieldPath } from '../diagnostics.ts';
import type { ValidationOptions } from './options.ts';

export type JsonObject = Record<string, unknown>;

/** Where diagnostics of one object go, and how to point at its fields. */
export interface Context {
  out: Diagnostic[];
  locate: Locator;
  file: string;
  object: string | undefined;
  /** The object's kind, put on each diagnostic. Default `NetworkPolicy`. */
  kind?: string;
  /** Which server to imitate; absent means a current one. */
  options?: ValidationOptions;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

// --- Raw JSON access -----------------------------------------------------------------------

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// JSON null decodes to Go's zero value, which for pointers, slices and maps means "absent".
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

export function optionalObject(ctx: Context, value: unknown, path: PathSegment[]): JsonObject | undefined {
  if (!present(value)) return undefined;
  if (isObject(value)) return value;
  typeError(ctx, path, value, 'object');
  return undefined;
}

export function optionalArray(ctx: Context, value: unknown, path: PathSegment[]): unknown[] | undefined {
  if (!present(value)) return undefined;
  if (Array.isArray(value)) return value;
  typeError(ctx, path, value, 'array');
  return undefined;
}

export function optionalString(ctx: Context, value: unknown, path: PathSegment[]): string | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'string') return value;
  typeError(ctx, path, value, 'string');
  return undefined;
}

export function optionalInt32(ctx: Context, value: unknown, path: PathSegment[]): number | undefined {
  if (!present(value)) return undefined;
  if (typeof value === 'number' && isInt32(value)) return value;
  typeError(ctx, path, value, 'integer');
  return undefined;
}

/** A string value of a `map[string]string`; null decodes to "" there. */
export function mapString(
  ctx: Context,
  value: unknown,
  mapPath: PathSegment[],
  key: string,
): string | undefined {
  if (!present(value)) return '';
  if (typeof value === 'string') return value;
  const field = `${formatFieldPath(mapPath)}[${key}]`;
  emit(
    ctx,
    'np-type',
    mapPath,
    `Invalid value: ${renderLoose(value)}: must be of type string`,
    [...mapPath, key],
    'error',
    field,
  );
  return undefined;
}

export function typeError(ctx: Context, path: PathSegment[], value: unknown, expected: string): void {
  emit(ctx, 'np-type', path, `Invalid value: ${renderLoose(value)}: must be of type ${expected}`);
}

// --- field.Error rendering -----------------------------------------------------------------

export function invalid(value: string | number, detail: string): string {
  return `Invalid value: ${goValue(value)}: ${detail}`;
}

export function required(detail: string): string {
  return detail === '' ? 'Required value' : `Required value: ${detail}`;
}

export function notSupported(value: string, supported: readonly string[]): string {
  return `Unsupported value: ${goQuote(value)}: supported values: ${supported.map(goQuote).join(', ')}`;
}

// Hostile input can make a value megabytes long (a 2 MB name): a message quotes its start and
// says how long it is rather than repeating it.
const MAX_QUOTED_LENGTH = 1024;

function goValue(value: string | number): string {
  if (typeof value !== 'string') return String(value);
  if (value.length <= MAX_QUOTED_LENGTH) return goQuote(value);
  return `${goQuote(value.slice(0, 64))}... (${value.length} characters)`;
}

// Values that fail JSON decoding have no Go rendering; show them the way field.Error would
// show them had they decoded, shortened so one bad subtree does not flood the message.
function renderLoose(value: unknown): string {
  if (typeof value === 'string') return goQuote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const json = goJSON(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Go's `strconv.Quote` (`%q`): printable runes kept, everything else escaped. */
export function goQuote(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (cp >= 0x80 && GO_PRINTABLE.test(ch)) out += ch;
    else if (cp in CONTROL_ESCAPES) out += CONTROL_ESCAPES[cp];
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const CONTROL_ESCAPES: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

/** Go's `json.Marshal`, which additionally escapes HTML-significant characters. */
export function goJSON(value: unknown): string | undefined {
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

// --- Diagnostics ---------------------------------------------------------------------------

export function emit(
  ctx: Context,
  code: string,
  path: PathSegment[],
  message: string,
  rangePath: PathSegment[] = path,
  severity: Severity = 'error',
  field: string = formatFieldPath(path),
): void {
  const diagnostic: Diagnostic = {
    code,
    severity,
    message,
    file: ctx.file,
    field,
    range: locateNearest(ctx.locate, rangePath),
    kind: ctx.kind ?? 'NetworkPolicy',
  };
  if (ctx.object !== undefined) diagnostic.object = ctx.object;
  ctx.out.push(diagnostic);
}

// A missing field (a required cidr, an absent name) has no range of its own: point at the
// closest enclosing node that exists instead.
function locateNearest(locate: Locator, path: readonly PathSegment[]): SourceRange | undefined {
  for (let n = path.length; n >= 0; n--) {
    const range = locate(path.slice(0, n));
    if (range !== undefined) return range;
  }
  return undefined;
}

export function objectId(metadata: unknown): string | undefined {
  if (!isObject(metadata)) return undefined;
  const { name, namespace } = metadata;
  if (typeof name !== 'string' || name === '') return undefined;
  return `${typeof namespace === 'string' && namespace !== '' ? namespace : 'default'}/${name}`;
}
