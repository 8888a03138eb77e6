// What a plain (unquoted) YAML scalar means under the YAML 1.1 schema Kubernetes reads with, for
// the fast readers. The common shapes (names, small integers) are read here directly; anything
// else is handed to the `yaml` library once and remembered, so the meaning is always the
// library's, exactly as the full parser would give it.
import { isScalar, parseDocument } from 'yaml';

/** Returned when the fast readers must not read a scalar themselves (the full parser will). */
export const UNREADABLE: unique symbol = Symbol('unreadable');

/** Words YAML 1.1 reads as something other than a string (`e5` is a float too: see {@link isWordStart}). */
const WORDS = new Map<string, boolean | null>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (w) => [w, false] as const,
  ),
  ...['null', 'Null', 'NULL'].map((w) => [w, null] as const),
]);

/** First characters of {@link WORDS}: most names are told apart from them by one look. */
const WORD_STARTS = new Set([...WORDS.keys()].map((word) => word.charCodeAt(0)));

/** Decimal integers whose every digit `Number` keeps (YAML 1.1 reads `0`-prefixed ones as octal). */
const SMALL_DECIMAL = /^-?[1-9][0-9]{0,14}$/;

/** Meanings the library gave, by source text; bounded so that unique names cannot grow it forever. */
const remembered = new Map<string, unknown>();
const REMEMBER_AT_MOST = 20_000;

/**
 * A letter other than `e`/`E` starts a string unless the scalar is one of {@link WORDS}: every
 * other YAML 1.1 type (numbers, floats, timestamps, `.inf`) starts with a digit, a sign or a dot,
 * except exponent floats, which may omit their mantissa (`e5`).
 */
function isWordStart(code: number): boolean {
  return ((code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)) && code !== 0x65 && code !== 0x45;
}

/**
 * The value of the plain scalar `source` (one line, trimmed, non-empty), or {@link UNREADABLE}
 * when it is not a primitive (a timestamp reads as a Date) or the library does not read it as
 * one plain scalar.
 */
export function readPlain(source: string): unknown {
  const first = source.charCodeAt(0);
  if (isWordStart(first)) {
    if (source.length > 5 || !WORD_STARTS.has(first)) return source;
    const word = WORDS.get(source);
    return word === undefined ? source : word;
  }
  if (source === '0') return 0;
  if (SMALL_DECIMAL.test(source)) return Number(source);
  if (remembered.has(source)) return remembered.get(source);
  const value = readWithLibrary(source);
  if (remembered.size >= REMEMBER_AT_MOST) remembered.clear();
  remembered.set(source, value);
  return value;
}

function readWithLibrary(source: string): unknown {
  const doc = parseDocument(source, { version: '1.1', logLevel: 'silent' });
  const node = doc.contents;
  if (doc.errors.length > 0 || doc.warnings.length > 0 || !isScalar(node) || node.type !== 'PLAIN')
    return UNREADABLE;
  if (node.source !== source || node.range?.[0] !== 0 || node.range[1] !== source.length) return UNREADABLE;
  const value = doc.toJS();
  const type = typeof value;
  return value === null || type === 'string' || type === 'number' || type === 'boolean' ? value : UNREADABLE;
}

/** Escapes a double-quoted YAML scalar shares with JSON: such a scalar reads as JSON reads it. */
const JSON_ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/g;

/**
 * The value of the one-line double-quoted scalar `quoted` (quotes included), or
 * {@link UNREADABLE} when it uses an escape JSON does not have (`\x`, `\e`, `\U`, ...).
 */
export function readDoubleQuoted(quoted: string): unknown {
  if (quoted.indexOf('\\') < 0) return quoted.slice(1, -1);
  // Every backslash must start a JSON escape: count them against the escapes found.
  const escapes = quoted.match(JSON_ESCAPE)?.length ?? 0;
  let backslashes = 0;
  for (let i = quoted.indexOf('\\'); i >= 0; i = quoted.indexOf('\\', i + 1)) {
    backslashes++;
    if (quoted[i + 1] === '\\') i++;
  }
  if (escapes !== backslashes) return UNREADABLE;
  try {
    return JSON.parse(quoted) as unknown;
  } catch {
    return UNREADABLE;
  }
}

/**
 * Characters the fast readers leave to the full parser wherever they are: tabs (YAML forbids them
 * in indentation and reads them unlike spaces elsewhere), carriage returns, other control
 * characters, byte-order marks and the line breaks YAML 1.1 knows beyond `\n`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is its purpose.
const UNSUPPORTED_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/** Whether `text` holds a character the fast readers leave to the full parser. */
export function hasUnsupportedCharacter(text: string): boolean {
  return UNSUPPORTED_CHARACTER.test(text);
}
