import type { BundleFile } from '@netpol-atlas/authoring';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';

/** The name of a downloaded bundle. */
export const BUNDLE_FILE_NAME = 'netpol-policies.zip';

/**
 * Zips an export bundle as it is laid out for git (`<namespace>/<policy>.yaml` and
 * `kustomization.yaml` at the root), so unzipping it into a repository folder is the whole job.
 */
export function zipBundle(files: readonly BundleFile[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const file of files) entries[file.path] = strToU8(file.text);
  return zipSync(entries, { level: 6 });
}

/**
 * The files of a zip as text, by path.
 *
 * @internal For checking an export: the unit tests and the e2e download test read it back.
 */
export function unzipTexts(zip: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, bytes] of Object.entries(unzipSync(zip))) out[path] = strFromU8(bytes);
  return out;
}
