import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';

/** The URL fragment parameter that carries a shared workspace: `#share=<data>`. */
export const SHARE_PARAM = 'share';
/**
 * The most a link may carry (encoded). Chat tools and browsers cut or refuse longer URLs; a
 * workspace bigger than this belongs in git, which the export gives.
 */
export const MAX_SHARE_BYTES = 8 * 1024;

/** A file as shared: only what the workspace needs to be rebuilt. */
export interface SharedFile {
  path: string;
  text: string;
}

/** What a share link carries: the documents and the baseline they are compared with. */
export interface SharedWorkspace {
  files: SharedFile[];
  baseline: SharedFile[];
}

export type EncodeResult =
  | { ok: true; fragment: string; size: number }
  | { ok: false; size: number; message: string };

export type DecodeResult = { ok: true; workspace: SharedWorkspace } | { ok: false; message: string };

const VERSION = 1;

/** Bytes to base64url (RFC 4648 §5, no padding): safe in a fragment without escaping. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** base64url to bytes; undefined when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * Encodes a workspace for a link's fragment (which never reaches a server): JSON, deflated,
 * base64url. A baseline file identical to the current one is written as its path alone. Refuses,
 * with the size, a workspace that would not fit in {@link MAX_SHARE_BYTES}.
 */
export function encodeShareFragment(workspace: SharedWorkspace, limit = MAX_SHARE_BYTES): EncodeResult {
  const current = new Map(workspace.files.map((f) => [f.path, f.text]));
  const payload = {
    v: VERSION,
    f: workspace.files.map((f) => [f.path, f.text]),
    b: workspace.baseline.map((f) => (current.get(f.path) === f.text ? f.path : [f.path, f.text])),
  };
  const data = toBase64Url(deflateSync(strToU8(JSON.stringify(payload)), { level: 9 }));
  const fragment = `${SHARE_PARAM}=${data}`;
  if (fragment.length > limit) {
    return {
      ok: false,
      size: fragment.length,
      message:
        `This workspace is too big for a link: ${kib(fragment.length)} compressed, and a link carries at most ${kib(limit)}. ` +
        'Export the policies as a zip instead, or share a smaller set of files.',
    };
  }
  return { ok: true, fragment, size: fragment.length };
}

function isFile(value: unknown): value is [string, string] {
  return (
    Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string'
  );
}

/**
 * Reads a shared workspace from a location hash (`#share=…`). Undefined when the hash carries no
 * share; a failure, with a message a person understands, when it is damaged.
 */
export function decodeShareFragment(hash: string): DecodeResult | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const data = params.get(SHARE_PARAM);
  if (data === null) return undefined;
  const damaged: DecodeResult = {
    ok: false,
    message:
      'This share link is damaged or incomplete (was it cut when copied?), so the workspace in it could not be opened.',
  };
  const bytes = fromBase64Url(data);
  if (!bytes || bytes.length === 0) return damaged;
  let payload: unknown;
  try {
    payload = JSON.parse(strFromU8(inflateSync(bytes)));
  } catch {
    return damaged;
  }
  if (typeof payload !== 'object' || payload === null) return damaged;
  const { v, f, b } = payload as { v?: unknown; f?: unknown; b?: unknown };
  if (v !== VERSION) {
    return {
      ok: false,
      message: 'This share link was made by a different version of netpol-atlas and cannot be opened here.',
    };
  }
  if (!Array.isArray(f) || !f.every(isFile) || !Array.isArray(b)) return damaged;
  const files = f.map(([path, text]) => ({ path, text }));
  const byPath = new Map(files.map((file) => [file.path, file.text]));
  const baseline: SharedFile[] = [];
  for (const entry of b) {
    if (isFile(entry)) baseline.push({ path: entry[0], text: entry[1] });
    else if (typeof entry === 'string' && byPath.has(entry))
      baseline.push({ path: entry, text: byPath.get(entry)! });
    else return damaged;
  }
  return { ok: true, workspace: { files, baseline } };
}
