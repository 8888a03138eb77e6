// ObjectMeta validation as the API server applies it to every object (name, namespace, labels,
// annotations), with its field paths and wording.

import type { PathSegment } from '../diagnostics.ts';
import {
  type Context,
  emit,
  invalid,
  isObject,
  mapString,
  optionalObject,
  optionalString,
  present,
  required,
  typeError,
} from './fieldErrors.ts';
import {
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  utf8Length,
} from './names.ts';

const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** How an object's name is checked: a DNS-1123 subdomain for most kinds, a label for Namespaces. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * metadata.name, metadata.namespace, labels and annotations, as ValidateObjectMeta checks them.
 * `nameValidator` is the kind's name rule (default: DNS-1123 subdomain).
 */
export function validateObjectMeta(
  ctx: Context,
  value: unknown,
  nameValidator: NameValidator = nameIsDNSSubdomain,
): void {
  const path: PathSegment[] = ['metadata'];
  if (value !== undefined && value !== null && !isObject(value)) {
    typeError(ctx, path, value, 'object');
    return;
  }
  const meta = value ?? {};
  const generateName = optionalString(ctx, meta.generateName, [...path, 'generateName']) ?? '';
  if (generateName !== '') {
    for (const msg of nameValidator(generateName, true)) {
      emit(ctx, 'meta-invalid-generate-name', [...path, 'generateName'], invalid(generateName, msg));
    }
  }
  // kubectl create turns generateName into a name before validation runs.
  const name = optionalString(ctx, meta.name, [...path, 'name']) ?? '';
  if (name === '') {
    // A non-string name was already reported as a type error.
    if (generateName === '' && (typeof meta.name === 'string' || !present(meta.name))) {
      emit(ctx, 'meta-name-required', [...path, 'name'], required('name or generateName is required'));
    }
  } else {
    for (const msg of nameValidator(name, false)) {
      emit(ctx, 'meta-invalid-name', [...path, 'name'], invalid(name, msg));
    }
  }
  // An absent namespace is filled in from the kubeconfig context, so only a written one is checked.
  const namespace = optionalString(ctx, meta.namespace, [...path, 'namespace']) ?? '';
  if (namespace !== '') {
    for (const msg of nameIsDNSLabel(namespace, false)) {
      emit(ctx, 'meta-invalid-namespace', [...path, 'namespace'], invalid(namespace, msg));
    }
  }
  validateLabels(ctx, meta.labels, [...path, 'labels'], 'meta-invalid-label-key', 'meta-invalid-label-value');
  validateAnnotations(ctx, meta.annotations, [...path, 'annotations']);
}

/** Label keys and values (also used for matchLabels). */
export function validateLabels(
  ctx: Context,
  value: unknown,
  path: PathSegment[],
  keyCode: string,
  valueCode: string,
): void {
  const labels = optionalObject(ctx, value, path);
  if (labels === undefined) return;
  // Go reports every label error on the map's own path; the range still points at the entry.
  for (const [key, raw] of Object.entries(labels)) {
    const entry = [...path, key];
    for (const msg of isQualifiedName(key)) emit(ctx, keyCode, path, invalid(key, msg), entry);
    const labelValue = mapString(ctx, raw, path, key);
    if (labelValue === undefined) continue;
    for (const msg of isValidLabelValue(labelValue))
      emit(ctx, valueCode, path, invalid(labelValue, msg), entry);
  }
}

/** Annotation keys (qualified names, any case) and their total size (256 KiB at most). */
export function validateAnnotations(ctx: Context, value: unknown, path: PathSegment[]): void {
  const annotations = optionalObject(ctx, value, path);
  if (annotations === undefined) return;
  let totalSize = 0;
  for (const [key, raw] of Object.entries(annotations)) {
    // Annotation keys are qualified names except that case does not matter.
    for (const msg of isQualifiedName(key.toLowerCase())) {
      emit(ctx, 'meta-invalid-annotation-key', path, invalid(key, msg), [...path, key]);
    }
    const annotationValue = mapString(ctx, raw, path, key) ?? '';
    totalSize += utf8Length(key) + utf8Length(annotationValue);
  }
  if (totalSize > TOTAL_ANNOTATION_SIZE_LIMIT) {
    emit(
      ctx,
      'meta-annotations-too-long',
      path,
      `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes`,
    );
  }
}

// --- Spec ----------------------------------------------------------------------------------
