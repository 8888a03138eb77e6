import { describe, expect, it } from 'vitest';
import {
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
  regexError,
  utf8Length,
} from './names.ts';

const LABEL_REGEX_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end " +
  "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_REGEX_ERR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is " +
  "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const NAME_PART_REGEX_ERR =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
  "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
  "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_REGEX_ERR =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
  "and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for " +
  "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('regexError', () => {
  it('keeps Go punctuation, double spaces included', () => {
    expect(regexError('m', 're')).toBe("m (regex used for validation is 're')");
    expect(regexError('m', 're', 'a', 'b')).toBe("m (e.g. 'a',  or 'b', regex used for validation is 're')");
  });
});

describe('utf8Length', () => {
  it.each([
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
  ])('%s is %i bytes', (value, bytes) => {
    expect(utf8Length(value)).toBe(bytes);
  });
});

describe('isDNS1123Label', () => {
  it.each<[string, string[]]>([
    ['my-name', []],
    ['123-abc', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 characters']],
    ['my.name', ['must not contain dots']],
    ['My-Name', [LABEL_REGEX_ERR]],
    ['-name', [LABEL_REGEX_ERR]],
    ['name-', [LABEL_REGEX_ERR]],
    ['', [LABEL_REGEX_ERR]],
    ['a'.repeat(64) + '_', ['must be no more than 63 characters', LABEL_REGEX_ERR]],
  ])('%j', (value, errs) => {
    expect(isDNS1123Label(value)).toEqual(errs);
  });
});

describe('isDNS1123Subdomain', () => {
  it.each<[string, string[]]>([
    ['example.com', []],
    ['a-b.c-d.e', []],
    ['a'.repeat(253), []],
    ['a'.repeat(254), ['must be no more than 253 characters']],
    ['Example.com', [SUBDOMAIN_REGEX_ERR]],
    ['example..com', [SUBDOMAIN_REGEX_ERR]],
    ['example.com.', [SUBDOMAIN_REGEX_ERR]],
    ['under_score', [SUBDOMAIN_REGEX_ERR]],
  ])('%j', (value, errs) => {
    expect(isDNS1123Subdomain(value)).toEqual(errs);
  });
});

describe('nameIsDNSSubdomain with a generateName prefix', () => {
  it('accepts a trailing dash only as a prefix', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_REGEX_ERR]);
  });
});

describe('isQualifiedName', () => {
  it.each<[string, string[]]>([
    ['app', []],
    ['App.Kubernetes_io-1', []],
    ['example.com/app', []],
    ['a'.repeat(63), []],
    ['app@b', [NAME_PART_REGEX_ERR]],
    ['a'.repeat(64), ['name part must be no more than 63 bytes']],
    ['', ['name part must be non-empty', NAME_PART_REGEX_ERR]],
    ['example.com/', ['name part must be non-empty', NAME_PART_REGEX_ERR]],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [`prefix part ${SUBDOMAIN_REGEX_ERR}`]],
    [`${'a'.repeat(254)}/app`, ['prefix part must be no more than 253 bytes']],
    [
      'a/b/c',
      [
        "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
          "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is " +
          "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. " +
          "'example.com/MyName')",
      ],
    ],
  ])('%j', (value, errs) => {
    expect(isQualifiedName(value)).toEqual(errs);
  });
});

describe('isValidLabelValue', () => {
  it.each<[string, string[]]>([
    ['', []],
    ['my_value', []],
    ['12345', []],
    ['a'.repeat(63), []],
    ['a'.repeat(64), ['must be no more than 63 bytes']],
    ['$backendservice', [LABEL_VALUE_REGEX_ERR]],
    ['value-', [LABEL_VALUE_REGEX_ERR]],
    ['a b', [LABEL_VALUE_REGEX_ERR]],
    ['é', [LABEL_VALUE_REGEX_ERR]],
  ])('%j', (value, errs) => {
    expect(isValidLabelValue(value)).toEqual(errs);
  });
});

describe('isValidPortName', () => {
  it.each<[string, string[]]>([
    ['http', []],
    ['web-8080', []],
    ['a'.repeat(15), []],
    ['a'.repeat(16), ['must be no more than 15 characters']],
    ['web--1', ['must not contain consecutive hyphens']],
    ['-web', ['must not begin or end with a hyphen']],
    ['web-', ['must not begin or end with a hyphen']],
    ['8080', ['must contain at least one letter (a-z)']],
    ['web_1', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']],
    [
      'HTTP',
      [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
      ],
    ],
    [
      '',
      [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
      ],
    ],
  ])('%j', (value, errs) => {
    expect(isValidPortName(value)).toEqual(errs);
  });
});

describe('isValidPortNum', () => {
  it.each<[number, string[]]>([
    [1, []],
    [65535, []],
    [0, ['must be between 1 and 65535, inclusive']],
    [65536, ['must be between 1 and 65535, inclusive']],
    [-1, ['must be between 1 and 65535, inclusive']],
  ])('%i', (value, errs) => {
    expect(isValidPortNum(value)).toEqual(errs);
  });
});
