// Which API server the validators imitate. Defaults describe a current, default-configured
// server reached through kubectl: strict CIDR parsing, and unknown fields left to the caller.

/** A Kubernetes minor release, e.g. `{ major: 1, minor: 35 }`. */
export interface KubeVersion {
  major: number;
  minor: number;
}

/**
 * What happens to fields an object's schema does not define, as kubectl's
 * `--validate=strict|warn|ignore` (server-side field validation) decides it: `Strict` refuses
 * the object, `Warn` accepts it and warns, `Ignore` drops them silently.
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** The values {@link FieldValidation} takes, for command lines and forms. */
export const FIELD_VALIDATIONS: readonly FieldValidation[] = ['Strict', 'Warn', 'Ignore'];

/** How to validate: which server version to imitate and what to do with unknown fields. */
export interface ValidationOptions {
  /** The API server to imitate. Default: the current release (strict CIDR validation). */
  kubeVersion?: KubeVersion;
  /**
   * Unknown fields. Default `Ignore`: analysis reads what a lenient server keeps, and the lint
   * explains what dropping them means; `netpol validate` asks for `Strict` as kubectl does.
   */
  fieldValidation?: FieldValidation;
}

/** The first release where StrictIPCIDRValidation is on by default (beta; GA in 1.38). */
export const STRICT_CIDR_SINCE: KubeVersion = { major: 1, minor: 36 };

/**
 * Reads `1.35`, `v1.35` or `1.35.2` (the patch level is ignored).
 *
 * @returns the version, or `undefined` when `text` is not one
 */
export function parseKubeVersion(text: string): KubeVersion | undefined {
  const match = /^v?(\d{1,3})\.(\d{1,3})(?:\.\d{1,5})?$/.exec(text.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]) };
}

/** Whether a server of `version` (default: current) refuses host bits, mapped IPv6 and leading zeros. */
export function strictCIDRValidation(version: KubeVersion | undefined): boolean {
  if (version === undefined) return true;
  if (version.major !== STRICT_CIDR_SINCE.major) return version.major > STRICT_CIDR_SINCE.major;
  return version.minor >= STRICT_CIDR_SINCE.minor;
}
