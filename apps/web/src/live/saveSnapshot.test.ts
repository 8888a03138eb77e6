import { describe, expect, it } from 'vitest';
import {
  bundleText,
  type DirectoryHandleLike,
  safeSegments,
  saveToFolder,
  snapshotName,
} from './saveSnapshot.ts';

/** An in-memory folder with the File System Access API's shape. */
function memoryFolder(files: Map<string, string>, prefix = ''): DirectoryHandleLike {
  return {
    async getDirectoryHandle(name) {
      return memoryFolder(files, `${prefix}${name}/`);
    },
    async getFileHandle(name) {
      return {
        async createWritable() {
          let text = '';
          return {
            async write(data: string) {
              text += data;
            },
            async close() {
              files.set(`${prefix}${name}`, text);
            },
          };
        },
      };
    },
  };
}

describe('saving a snapshot', () => {
  const bundle = [
    { path: 'kind/shop/deployments.yaml', text: 'kind: Deployment\n' },
    { path: 'kind/cluster/namespaces.yaml', text: 'kind: Namespace' },
  ];

  it('writes the files into the chosen folder, keeping their layout', async () => {
    const files = new Map<string, string>();
    expect(await saveToFolder(bundle, memoryFolder(files))).toBe(2);
    expect(Object.fromEntries(files)).toEqual({
      'kind/shop/deployments.yaml': 'kind: Deployment\n',
      'kind/cluster/namespaces.yaml': 'kind: Namespace',
    });
  });

  it('never writes outside the chosen folder', async () => {
    expect(() => safeSegments('../evil.yaml')).toThrow(/refusing/);
    expect(() => safeSegments('a/../../b')).toThrow(/refusing/);
    expect(() => safeSegments('')).toThrow(/refusing/);
    await expect(saveToFolder([{ path: 'x/../../y', text: '' }], memoryFolder(new Map()))).rejects.toThrow(
      /refusing/,
    );
  });

  it('makes one multi-document stream for the download, and a safe name', () => {
    expect(bundleText(bundle)).toBe(
      '# file: kind/shop/deployments.yaml\nkind: Deployment\n---\n# file: kind/cluster/namespaces.yaml\nkind: Namespace\n',
    );
    expect(snapshotName('arn:aws:eks:x/prod', new Date('2026-05-01T10:20:30.456Z'))).toBe(
      'netpol-atlas-arn_aws_eks_x_prod-2026-05-01T10-20-30Z.yaml',
    );
  });
});
