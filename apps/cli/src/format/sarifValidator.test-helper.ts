// A structural validator for SARIF 2.1.0 logs, written from the OASIS schema
// (sarif-schema-2.1.0.json) for the objects netpol-atlas writes: required properties, enums,
// minimums, and `additionalProperties: false` (unknown keys are errors there). The full schema is
// not available offline; this checks what consumers such as GitHub code scanning reject.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** Allowed keys per object type (schema `properties`, all with `additionalProperties: false`). */
const KEYS: Record<string, readonly string[]> = {
  sarifLog: ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties'],
  run: [
    'tool',
    'invocations',
    'conversion',
    'language',
    'versionControlProvenance',
    'originalUriBaseIds',
    'artifacts',
    'logicalLocations',
    'graphs',
    'results',
    'automationDetails',
    'runAggregates',
    'baselineGuid',
    'redactionTokens',
    'defaultEncoding',
    'defaultSourceLanguage',
    'newlineSequences',
    'columnKind',
    'externalPropertyFileReferences',
    'threadFlowLocations',
    'taxonomies',
    'addresses',
    'translations',
    'policies',
    'webRequests',
    'webResponses',
    'specialLocations',
    'properties',
  ],
  tool: ['driver', 'extensions', 'properties'],
  toolComponent: [
    'guid',
    'name',
    'organization',
    'product',
    'productSuite',
    'shortDescription',
    'fullDescription',
    'fullName',
    'version',
    'semanticVersion',
    'dottedQuadFileVersion',
    'releaseDateUtc',
    'downloadUri',
    'informationUri',
    'globalMessageStrings',
    'notifications',
    'rules',
    'taxa',
    'locations',
    'language',
    'contents',
    'isComprehensive',
    'localizedDataSemanticVersion',
    'minimumRequiredLocalizedDataSemanticVersion',
    'associatedComponent',
    'translationMetadata',
    'supportedTaxonomies',
    'properties',
  ],
  reportingDescriptor: [
    'id',
    'deprecatedIds',
    'guid',
    'deprecatedGuids',
    'name',
    'deprecatedNames',
    'shortDescription',
    'fullDescription',
    'messageStrings',
    'defaultConfiguration',
    'helpUri',
    'help',
    'relationships',
    'properties',
  ],
  reportingConfiguration: ['enabled', 'level', 'rank', 'parameters', 'properties'],
  multiformatMessageString: ['text', 'markdown', 'properties'],
  result: [
    'ruleId',
    'ruleIndex',
    'rule',
    'kind',
    'level',
    'message',
    'analysisTarget',
    'locations',
    'guid',
    'correlationGuid',
    'occurrenceCount',
    'partialFingerprints',
    'fingerprints',
    'stacks',
    'codeFlows',
    'graphs',
    'graphTraversals',
    'relatedLocations',
    'suppressions',
    'baselineState',
    'rank',
    'attachments',
    'hostedViewerUri',
    'workItemUris',
    'provenance',
    'fixes',
    'taxa',
    'webRequest',
    'webResponse',
    'properties',
  ],
  message: ['text', 'markdown', 'id', 'arguments', 'properties'],
  location: [
    'id',
    'physicalLocation',
    'logicalLocations',
    'message',
    'annotations',
    'relationships',
    'properties',
  ],
  physicalLocation: ['address', 'artifactLocation', 'region', 'contextRegion', 'properties'],
  artifactLocation: ['uri', 'uriBaseId', 'index', 'description', 'properties'],
  region: [
    'startLine',
    'startColumn',
    'endLine',
    'endColumn',
    'charOffset',
    'charLength',
    'byteOffset',
    'byteLength',
    'snippet',
    'message',
    'sourceLanguage',
    'properties',
  ],
};

const LEVELS = ['none', 'note', 'warning', 'error'];

/** Returns the violations found (empty when the log is valid for what it contains). */
export function validateSarif(log: unknown): string[] {
  const errors: string[] = [];
  const fail = (path: string, text: string) => errors.push(`${path}: ${text}`);
  const object = (value: unknown, path: string, type: string): value is Json => {
    if (!isObject(value)) {
      fail(path, `must be an object (${type})`);
      return false;
    }
    for (const key of Object.keys(value)) {
      if (!KEYS[type]!.includes(key))
        fail(path, `unknown property "${key}" (${type} has additionalProperties: false)`);
    }
    if ('properties' in value) {
      const bag = value.properties;
      if (!isObject(bag)) fail(`${path}.properties`, 'must be an object (propertyBag)');
      else if ('tags' in bag) {
        const tags = bag.tags;
        if (
          !Array.isArray(tags) ||
          tags.some((t) => typeof t !== 'string') ||
          new Set(tags).size !== tags.length
        )
          fail(`${path}.properties.tags`, 'must be an array of unique strings');
      }
    }
    return true;
  };
  const messageString = (value: unknown, path: string) => {
    if (object(value, path, 'multiformatMessageString') && typeof value.text !== 'string')
      fail(path, 'text is required');
  };

  if (!object(log, '$', 'sarifLog')) return errors;
  if (log.version !== '2.1.0') fail('$.version', 'must be "2.1.0"');
  if (log.$schema !== undefined && (typeof log.$schema !== 'string' || !/^https?:\/\//.test(log.$schema)))
    fail('$.$schema', 'must be a URI');
  if (!Array.isArray(log.runs)) {
    fail('$.runs', 'is required and must be an array');
    return errors;
  }
  log.runs.forEach((run, r) => {
    const rp = `$.runs[${r}]`;
    if (!object(run, rp, 'run')) return;
    if (
      run.columnKind !== undefined &&
      !['utf16CodeUnits', 'unicodeCodePoints'].includes(run.columnKind as string)
    )
      fail(`${rp}.columnKind`, 'must be utf16CodeUnits or unicodeCodePoints');
    let rules: unknown[] = [];
    if (
      object(run.tool, `${rp}.tool`, 'tool') &&
      object(run.tool.driver, `${rp}.tool.driver`, 'toolComponent')
    ) {
      const driver = run.tool.driver;
      if (typeof driver.name !== 'string' || driver.name === '')
        fail(`${rp}.tool.driver.name`, 'is required');
      if (driver.rules !== undefined) {
        if (!Array.isArray(driver.rules)) fail(`${rp}.tool.driver.rules`, 'must be an array');
        else rules = driver.rules;
      }
      const ids = new Set<string>();
      rules.forEach((rule, i) => {
        const p = `${rp}.tool.driver.rules[${i}]`;
        if (!object(rule, p, 'reportingDescriptor')) return;
        if (typeof rule.id !== 'string' || rule.id === '') fail(`${p}.id`, 'is required');
        else if (ids.has(rule.id)) fail(`${p}.id`, `duplicate rule id ${rule.id}`);
        else ids.add(rule.id);
        for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
          if (rule[key] !== undefined) messageString(rule[key], `${p}.${key}`);
        }
        if (rule.defaultConfiguration !== undefined) {
          const config = rule.defaultConfiguration;
          if (
            object(config, `${p}.defaultConfiguration`, 'reportingConfiguration') &&
            config.level !== undefined
          ) {
            if (!LEVELS.includes(config.level as string))
              fail(`${p}.defaultConfiguration.level`, 'bad level');
          }
        }
      });
    }
    if (run.results === undefined) return;
    if (!Array.isArray(run.results)) {
      fail(`${rp}.results`, 'must be an array');
      return;
    }
    run.results.forEach((result, i) => {
      const p = `${rp}.results[${i}]`;
      if (!object(result, p, 'result')) return;
      if (object(result.message, `${p}.message`, 'message')) {
        if (typeof result.message.text !== 'string' && typeof result.message.id !== 'string')
          fail(`${p}.message`, 'needs text or id');
      }
      if (result.level !== undefined && !LEVELS.includes(result.level as string))
        fail(`${p}.level`, 'bad level');
      if (result.ruleIndex !== undefined) {
        if (!isInt(result.ruleIndex, -1)) fail(`${p}.ruleIndex`, 'must be an integer >= -1');
        const rule = rules[result.ruleIndex as number];
        if (!isObject(rule) || rule.id !== result.ruleId)
          fail(`${p}.ruleIndex`, 'must point at the rule named by ruleId');
      }
      if (result.partialFingerprints !== undefined) {
        const fp = result.partialFingerprints;
        if (!isObject(fp) || Object.values(fp).some((v) => typeof v !== 'string'))
          fail(`${p}.partialFingerprints`, 'must map names to strings');
      }
      if (result.locations === undefined) return;
      if (!Array.isArray(result.locations)) {
        fail(`${p}.locations`, 'must be an array');
        return;
      }
      result.locations.forEach((location, j) => {
        const lp = `${p}.locations[${j}]`;
        if (!object(location, lp, 'location')) return;
        const physical = location.physicalLocation;
        if (physical === undefined) return;
        if (!object(physical, `${lp}.physicalLocation`, 'physicalLocation')) return;
        if (
          object(physical.artifactLocation, `${lp}.physicalLocation.artifactLocation`, 'artifactLocation')
        ) {
          const uri = physical.artifactLocation.uri;
          if (typeof uri !== 'string' || /[\s\\]/.test(uri) || !URL.canParse(uri, 'file:///base/'))
            fail(
              `${lp}.physicalLocation.artifactLocation.uri`,
              `must be a URI reference, not ${JSON.stringify(uri)}`,
            );
        }
        const region = physical.region;
        if (region === undefined) return;
        const rg = `${lp}.physicalLocation.region`;
        if (!object(region, rg, 'region')) return;
        for (const key of ['startLine', 'startColumn', 'endLine', 'endColumn']) {
          if (region[key] !== undefined && !isInt(region[key], 1))
            fail(`${rg}.${key}`, 'must be an integer >= 1');
        }
        if (region.startLine === undefined) fail(rg, 'startLine is required for a text region');
        const { startLine, startColumn, endLine, endColumn } = region as Record<string, number>;
        if (endLine !== undefined && endLine < startLine!) fail(rg, 'endLine before startLine');
        if (
          endLine === startLine &&
          endColumn !== undefined &&
          startColumn !== undefined &&
          endColumn < startColumn
        )
          fail(rg, 'endColumn before startColumn');
      });
    });
  });
  return errors;
}
