// Name, label and port-name checks with the detail strings Kubernetes' apimachinery returns.
// Each check returns a list of details (empty = valid), one per failed rule, in the order the
// Go functions append them, so a caller can emit one field error per detail exactly like the
// API server does.

/** Max length of a DNS-1123 label (RFC 1123). */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Max length of a DNS-1123 subdomain (RFC 1123). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Max length of a label value and of a label key's name part. */
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Max length of an IANA_SVC_NAME (RFC 6335). */
export const PORT_NAME_MAX_LENGTH = 15;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;

const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const LABEL_KEY_RE = new RegExp(`^${LABEL_KEY_FMT}$`);
const LABEL_VALUE_RE = new RegExp(`^${LABEL_VALUE_FMT}$`);
const PORT_NAME_CHARSET_RE = /^[-a-z0-9]+$/;
const PORT_NAME_LETTER_RE = /[a-z]/;

const DNS1123_LABEL_ERR =
  'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or ' +
  "'-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
  'and must start and end with an alphanumeric character';
const LABEL_KEY_ERR =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', " +
  'and must start and end with an alphanumeric character';

/**
 * Byte length of the UTF-8 encoding, because Go's `len(string)` counts bytes and the limits
 * (63, 253, 15) are enforced on that, not on UTF-16 code units.
 */
export function utf8Length(value: string): number {
  let n = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * The explanation Go's `RegexError` builds. Its odd punctuation (`'a',  or 'b', regex ...`, with
 * two spaces) is reproduced on purpose so messages compare equal to the API server's.
 */
export function regexError(message: string, regex: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${regex}')`;
  let out = `${message} (e.g. `;
  examples.forEach((example, i) => {
    if (i > 0) out += ' or ';
    out += `'${example}', `;
  });
  return `${out}regex used for validation is '${regex}')`;
}

// `k8s.io/apimachinery/pkg/util/validation` (DNS names, port names) still says "characters";
// the newer `pkg/api/validate/content` package behind label keys/values says "bytes".
function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}
function contentMaxLenError(length: number): string {
  return `must be no more than ${length} bytes`;
}

/** Go's `InclusiveRangeError`: `must be between 1 and 65535, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/**
 * Checks a DNS-1123 label (namespace names): lower-case alphanumerics and '-', at most 63 bytes.
 * A valid subdomain that is not a label gets Go's short "must not contain dots" detail.
 */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** Checks a DNS-1123 subdomain (most object names): dot-separated labels, at most 253 bytes. */
export function isDNS1123Subdomain(value: string): string[] {
  return dns1123Subdomain(value, maxLenError);
}

function dns1123Subdomain(value: string, lenError: (n: number) => string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(lenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_ERR, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/**
 * Checks a qualified name (label key, annotation key, selector key): an optional DNS-1123
 * subdomain prefix and '/', then a name part of at most 63 bytes.
 */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const msg of dns1123Subdomain(prefix, contentMaxLenError)) errs.push(`prefix part ${msg}`);
  } else {
    return [
      `a valid label key ${regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (utf8Length(name) > LABEL_VALUE_MAX_LENGTH) {
    errs.push(`name part ${contentMaxLenError(LABEL_VALUE_MAX_LENGTH)}`);
  }
  if (!LABEL_KEY_RE.test(name)) {
    errs.push(`name part ${regexError(LABEL_KEY_ERR, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** Checks a label value: empty, or a qualified name's name part (at most 63 bytes). */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (utf8Length(value) > LABEL_VALUE_MAX_LENGTH) errs.push(contentMaxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError(LABEL_VALUE_ERR, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/**
 * Checks an IANA_SVC_NAME (a named port): at most 15 characters of `[-a-z0-9]`, at least one
 * letter, no leading/trailing or doubled hyphen. Every failed rule is reported, as Go does.
 */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (utf8Length(port) > PORT_NAME_MAX_LENGTH) errs.push(maxLenError(PORT_NAME_MAX_LENGTH));
  if (!PORT_NAME_CHARSET_RE.test(port)) {
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!PORT_NAME_LETTER_RE.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) {
    errs.push('must not begin or end with a hyphen');
  }
  return errs;
}

/** Checks a port number the way Go's `IsValidPortNum` does: 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/**
 * `NameIsDNSSubdomain`: validates an object name, or with `prefix` a `generateName`, whose
 * trailing dash is masked the way Go does it (the last two characters become `a`).
 */
export function nameIsDNSSubdomain(name: string, prefix: boolean): string[] {
  return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

/** `NameIsDNSLabel`: validates a namespace name (or a label-style `generateName` with `prefix`). */
export function nameIsDNSLabel(name: string, prefix: boolean): string[] {
  return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
}

// Go slices `name[:len(name)-2] + "a"`; it drops two characters, which only matters for the
// length check, and would panic on a lone "-", which we map to "a" instead.
function maskTrailingDash(name: string): string {
  if (!name.endsWith('-')) return name;
  return `${name.length >= 2 ? name.slice(0, -2) : ''}a`;
}
