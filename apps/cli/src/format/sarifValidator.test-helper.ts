// Validates SARIF logs with ajv against the SARIF 2.1.0 JSON schema kept as test data, plus the
// two consistency rules of the SARIF spec that a JSON schema cannot express (a result's ruleIndex
// names the same rule as its ruleId; a region does not end before it starts).
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const SCHEMA_PATH = new URL('../../test-data/sarif-schema-2.1.0.json', import.meta.url);

// Strict: a keyword ajv did not understand would be an error, not a check silently skipped.
// strictRequired is off because the schema's `anyOf: [{ required: [...] }]` idiom names
// properties declared beside the anyOf, which that rule cannot see.
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
const validateSchema = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Returns the violations found, as `$.json.path: message` lines (empty when the log is valid). */
export function validateSarif(log: unknown): string[] {
  if (!validateSchema(log)) {
    return (validateSchema.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` "${e.params.additionalProperty}"` : '';
      return `$${e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}: ${e.message}${extra}`;
    });
  }
  const errors: string[] = [];
  list((log as Json).runs).forEach((run, r) => {
    if (!isObject(run)) return;
    const driver = isObject(run.tool) && isObject(run.tool.driver) ? run.tool.driver : {};
    const rules = list(driver.rules);
    list(run.results).forEach((result, i) => {
      if (!isObject(result)) return;
      const p = `$.runs[${r}].results[${i}]`;
      if (typeof result.ruleIndex === 'number') {
        const rule = rules[result.ruleIndex];
        if (!isObject(rule) || rule.id !== result.ruleId)
          errors.push(`${p}.ruleIndex: must point at the rule named by ruleId`);
      }
      list(result.locations).forEach((location, j) => {
        const region =
          isObject(location) && isObject(location.physicalLocation)
            ? location.physicalLocation.region
            : undefined;
        if (!isObject(region)) return;
        const { startLine, startColumn, endLine, endColumn } = region as Record<string, number | undefined>;
        const at = `${p}.locations[${j}].physicalLocation.region`;
        if (startLine !== undefined && endLine !== undefined && endLine < startLine)
          errors.push(`${at}: endLine before startLine`);
        if (
          endLine === startLine &&
          startColumn !== undefined &&
          endColumn !== undefined &&
          endColumn < startColumn
        )
          errors.push(`${at}: endColumn before startColumn`);
      });
    });
  });
  return errors;
}
