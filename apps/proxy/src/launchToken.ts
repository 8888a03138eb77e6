// The launch token and how long it lives: for the whole run by default, else until
// `--token-ttl` has passed since the start, or `--idle-timeout` has passed without the app using
// it. An expired token stays expired: the user restarts the proxy for a new one.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Milliseconds since the epoch; tests pass a clock they move by hand. */
export type Clock = () => number;

/** How long the token lives; undefined: no limit of that kind. */
export interface TokenLifetime {
  /** From the start of the proxy (`--token-ttl`). */
  ttlMs: number | undefined;
  /** Since the last API request, while no event stream is open (`--idle-timeout`). */
  idleMs: number | undefined;
}

/** A fresh random token per launch: 256 bits, URL-safe. */
export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison, so response timing reveals nothing about the token. */
export function tokenMatches(presented: string | string[] | undefined, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `90s`, `30m`, `8h`, `1d`, and sums of them (`1h30m`), as a flag's value and in messages. */
export function formatDuration(ms: number): string {
  const units: [string, number][] = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  let rest = Math.round(ms / 1000) * 1000;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out === '' ? '0s' : out;
}

/**
 * Reads a duration (`90s`, `30m`, `8h`, `2d`, `1h30m`); undefined when the text is not one.
 * A bare number is refused: `--token-ttl 8` could mean seconds or hours.
 */
export function parseDuration(text: string): number | undefined {
  const sizes: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (!/^(\d+(\.\d+)?[smhd])+$/.test(text)) return undefined;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) ms += Number(n) * sizes[unit!]!;
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** The token of one launch, with its lifetime. */
export class LaunchToken {
  readonly value: string;
  private readonly startedAt: number;
  private lastUsedAt: number;
  private openStreams = 0;
  private expiredBecause: string | undefined;

  constructor(
    private readonly lifetime: TokenLifetime = { ttlMs: undefined, idleMs: undefined },
    private readonly clock: Clock = Date.now,
    value: string = createToken(),
  ) {
    this.value = value;
    this.startedAt = clock();
    this.lastUsedAt = this.startedAt;
  }

  /** When the TTL ends it (ms since the epoch), or undefined without `--token-ttl`. */
  get expiresAt(): number | undefined {
    return this.lifetime.ttlMs === undefined ? undefined : this.startedAt + this.lifetime.ttlMs;
  }

  /** Why the token no longer opens the API, or undefined while it does. Once expired, always. */
  expired(): string | undefined {
    if (this.expiredBecause !== undefined) return this.expiredBecause;
    const now = this.clock();
    const { ttlMs, idleMs } = this.lifetime;
    if (ttlMs !== undefined && now - this.startedAt >= ttlMs) {
      this.expiredBecause = `the token expired: it was valid for ${formatDuration(ttlMs)} (--token-ttl); restart the proxy for a new one`;
    } else if (idleMs !== undefined && this.openStreams === 0 && now - this.lastUsedAt >= idleMs) {
      this.expiredBecause = `the token expired after ${formatDuration(idleMs)} without use (--idle-timeout); restart the proxy for a new one`;
    }
    return this.expiredBecause;
  }

  /**
   * Checks a presented token: undefined when it opens the API (and counts as a use), else the
   * reason to refuse with. Expiry is only revealed to a caller who holds the token.
   */
  check(presented: string | string[] | undefined, header: string): string | undefined {
    if (!tokenMatches(presented, this.value)) return `missing or wrong ${header} header`;
    const expired = this.expired();
    if (expired !== undefined) return expired;
    this.lastUsedAt = this.clock();
    return undefined;
  }

  /** An event stream opened: the app is in use while it stays open. */
  streamOpened(): void {
    this.openStreams += 1;
  }

  /** An event stream closed: the idle time counts from now. */
  streamClosed(): void {
    this.openStreams = Math.max(0, this.openStreams - 1);
    this.lastUsedAt = this.clock();
  }
}
