import { afterEach, describe, expect, it, vi } from 'vitest';
import { downloadFile } from './download.ts';

/** A stand-in for the few DOM pieces a download touches, recording what happened to them. */
function fakeBrowser() {
  const events: string[] = [];
  const blobs = new Map<string, Blob>();
  const link = {
    href: '',
    download: '',
    style: { display: '' },
    click: () => events.push(`click ${link.download} ${link.href}`),
    remove: () => events.push('remove'),
  };
  vi.stubGlobal('document', {
    createElement: (tag: string) => (tag === 'a' ? link : undefined),
    body: { append: () => events.push('append') },
  });
  vi.stubGlobal('URL', {
    createObjectURL: (blob: Blob) => {
      blobs.set(`blob:${blobs.size}`, blob);
      return `blob:${blobs.size - 1}`;
    },
    revokeObjectURL: (url: string) => events.push(`revoke ${url}`),
  });
  return { events, blobs };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('downloadFile', () => {
  it('clicks a hidden link to a blob of the data, and revokes the URL only after the download started', async () => {
    vi.useFakeTimers();
    const { events, blobs } = fakeBrowser();
    downloadFile('report.md', '# Review\n', 'text/markdown');
    expect(events).toEqual(['append', 'click report.md blob:0', 'remove']);
    const blob = blobs.get('blob:0')!;
    expect(blob.type).toBe('text/markdown');
    expect(await blob.text()).toBe('# Review\n');
    vi.runAllTimers();
    expect(events.at(-1)).toBe('revoke blob:0');
  });

  it('takes bytes and ready-made blobs as they are', async () => {
    vi.useFakeTimers();
    const { blobs } = fakeBrowser();
    downloadFile('a.zip', new Uint8Array([80, 75]), 'application/zip');
    const png = new Blob(['png'], { type: 'image/png' });
    downloadFile('graph.png', png, 'image/png');
    expect([...new Uint8Array(await blobs.get('blob:0')!.arrayBuffer())]).toEqual([80, 75]);
    expect(blobs.get('blob:1')).toBe(png);
  });
});
