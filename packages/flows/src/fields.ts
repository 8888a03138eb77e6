import { type Protocol, parseProtocol } from '@netpol-atlas/evaluator';
import type { ConnectionTuple } from './connections.ts';

/** A problem found in one record, before the reader gives it its line number. */
export interface FieldProblem {
  code: 'missing-field' | 'invalid-field';
  field: string;
  message: string;
}

/** Either a value, a reason to skip the record (counted), or a problem to report. */
export type Parsed<T> =
  /** `connection`: what identifies the connection the record is one observation of, when known. */
  | { kind: 'record'; value: T; connection?: ConnectionTuple | undefined }
  | { kind: 'skip'; reason: 'reply' | 'l7' | 'protocol' | 'event' }
  | { kind: 'problem'; problem: FieldProblem };

/** A plain JSON object, or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A non-empty string, or undefined (`-`, Calico's "none", counts as empty). */
export function asName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value !== '-' ? value : undefined;
}

/** IANA protocol numbers of the protocols NetworkPolicy governs. */
const PROTOCOL_NUMBERS: Readonly<Record<string, Protocol>> = { '6': 'TCP', '17': 'UDP', '132': 'SCTP' };

/** `tcp`, `TCP`, `6` -> TCP; undefined for protocols NetworkPolicy does not govern (ICMP...). */
export function protocolOf(value: unknown): Protocol | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  return PROTOCOL_NUMBERS[text] ?? parseProtocol(text.toUpperCase());
}

/** A port number 1..65535 from a number or a decimal string; undefined otherwise. */
export function portOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

/** A positive count from a number or a decimal string; undefined otherwise. */
export function countOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The largest time a JavaScript Date holds, in ms either side of the epoch. */
const MAX_TIME_MS = 8.64e15;

/**
 * A time as milliseconds since the epoch: an RFC 3339 string, or a number of seconds (Calico's
 * `start_time`) or milliseconds (values past the year 33658 in seconds are taken as ms). A
 * protobuf Timestamp object (`{seconds, nanos}`) is read too. Undefined when unreadable.
 */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') {
    const ms = value > 1e12 ? value : value * 1000;
    return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
  }
  if (typeof value === 'string') {
    const utc = utcTime(value);
    if (utc !== undefined) return utc;
    if (/^\d+(\.\d+)?$/.test(value)) return timeOf(Number(value));
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const object = asObject(value);
  if (object && (typeof object.seconds === 'number' || typeof object.seconds === 'string')) {
    const seconds = Number(object.seconds);
    const nanos = Number(object.nanos ?? 0);
    return Number.isFinite(seconds) ? timeOf(seconds * 1000 + Math.floor(nanos / 1e6)) : undefined;
  }
  return undefined;
}

/**
 * Labels written as `key=value` strings (Hubble's list, Calico's `{labels: [...]}`, a
 * comma-separated string) or as an object.
 */
export function labelsOf(value: unknown): Record<string, string> | undefined {
  const wrapped = asObject(value);
  if (wrapped && Array.isArray(wrapped.labels)) return labelsOf(wrapped.labels);
  const entries: string[] = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[,|]/).map((s) => s.trim())
      : [];
  if (wrapped && !Array.isArray(wrapped.labels)) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(wrapped)) if (typeof v === 'string') labels[k] = v;
    return Object.keys(labels).length > 0 ? labels : undefined;
  }
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq > 0) labels[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return Object.keys(labels).length > 0 ? labels : undefined;
}

const ZERO = 48;

/** The digits of `text` from `start` to `end` as a number; -1 when one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common shape of flow times, `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (Hubble writes nanoseconds),
 * read without `Date.parse`, which a million records pay for. Anything else (offsets, other
 * separators, out-of-range fields) is undefined and goes to `Date.parse`; what is read here gives
 * the same milliseconds (the fraction truncated, as `Date.parse` does).
 */
function utcTime(text: string): number | undefined {
  const length = text.length;
  if (length < 20 || length > 30 || text.charCodeAt(length - 1) !== 90 /* Z */) return undefined;
  if (
    text.charCodeAt(4) !== 45 ||
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 ||
    text.charCodeAt(13) !== 58 ||
    text.charCodeAt(16) !== 58
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  const hour = digits(text, 11, 13);
  const minute = digits(text, 14, 16);
  const second = digits(text, 17, 19);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return undefined;
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined;
  let ms = 0;
  if (length > 20) {
    // `.` and 1-9 digits: the first three are the milliseconds.
    if (text.charCodeAt(19) !== 46 || length === 21) return undefined;
    const fraction = digits(text, 20, length - 1);
    if (fraction < 0) return undefined;
    const kept = Math.min(length - 21, 3);
    ms = digits(text, 20, 20 + kept) * 10 ** (3 - kept);
  }
  return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** Days from 1970-01-01 to a proleptic Gregorian date (month 1-12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
