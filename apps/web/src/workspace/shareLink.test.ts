import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeShareFragment,
  encodeShareFragment,
  fromBase64Url,
  MAX_SHARE_BYTES,
  type SharedWorkspace,
  toBase64Url,
} from './shareLink.ts';

function demo(): SharedWorkspace['files'] {
  const dir = new URL('../../../../public/demo/', import.meta.url);
  return readdirSync(dir)
    .sort()
    .map((name) => ({ path: `demo/${name}`, text: readFileSync(new URL(name, dir), 'utf8') }));
}

describe('share links', () => {
  it('round-trips the demo with an edited file and a baseline', () => {
    const baseline = demo();
    const files = baseline.map((f) =>
      f.path.endsWith('policies.yaml') ? { ...f, text: `${f.text}# edited ✓\n` } : f,
    );
    const encoded = encodeShareFragment({ files, baseline });
    expect(encoded.ok).toBe(true);
    if (!encoded.ok) return;
    expect(encoded.fragment).toMatch(/^share=[A-Za-z0-9_-]+$/);
    expect(encoded.size).toBeLessThanOrEqual(MAX_SHARE_BYTES);
    expect(decodeShareFragment(`#${encoded.fragment}`)).toEqual({ ok: true, workspace: { files, baseline } });
  });

  it('writes an unchanged baseline file as its path only (the link stays small)', () => {
    const files = demo();
    const same = encodeShareFragment({ files, baseline: files });
    const alone = encodeShareFragment({ files, baseline: [] });
    expect(same.ok && alone.ok).toBe(true);
    expect(same.size - alone.size).toBeLessThan(100);
  });

  it('refuses a workspace too big for a link, saying how big it is', () => {
    // Random text barely compresses: ~12 KB of it cannot fit in 8 KB.
    let seed = 1;
    const random = Array.from({ length: 12_000 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return String.fromCharCode(33 + (seed % 90));
    }).join('');
    const result = encodeShareFragment({ files: [{ path: 'big.yaml', text: random }], baseline: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.size).toBeGreaterThan(MAX_SHARE_BYTES);
    expect(result.message).toMatch(
      /too big for a link: \d+\.\d KB compressed, and a link carries at most 8\.0 KB/,
    );
  });

  it.each([
    { name: 'not base64url', hash: '#share=!!!' },
    { name: 'not deflate data', hash: `#share=${toBase64Url(new TextEncoder().encode('hello'))}` },
    { name: 'cut short', hash: '#share=eJyrVkrOzy' },
    { name: 'empty', hash: '#share=' },
  ])('reports a damaged link ($name)', ({ hash }) => {
    const result = decodeShareFragment(hash);
    expect(result?.ok).toBe(false);
    expect(result && !result.ok && result.message).toMatch(/damaged or incomplete/);
  });

  it('ignores a hash that carries no share', () => {
    expect(decodeShareFragment('')).toBeUndefined();
    expect(decodeShareFragment('#section-2')).toBeUndefined();
  });

  it('base64url round-trips every byte value', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });
});
