/**
 * Kubernetes label selectors as typed text (`kubectl get -l`): `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, with a comma meaning AND. One parser,
 * used by the graph's label filter; wrong input comes back as diagnostics, never as an exception
 * or a selector that silently matches nothing.
 */

export type SelectorOperator =
  | 'Exists'
  | 'DoesNotExist'
  | 'Equals'
  | 'NotEquals'
  | 'In'
  | 'NotIn'
  | 'Gt'
  | 'Lt';

/** One requirement of a selector; every requirement must hold. */
export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  /** One value for Equals/NotEquals/Gt/Lt, the set for In/NotIn, none for Exists/DoesNotExist. */
  values: string[];
}

/** Half-open character range `[start, end)` in the typed text. */
export interface TextRange {
  start: number;
  end: number;
}

export interface SelectorDiagnostic {
  code:
    | 'expected-key'
    | 'expected-operator'
    | 'expected-value'
    | 'invalid-key'
    | 'invalid-value'
    | 'empty-set';
  message: string;
  range: TextRange;
}

export interface ParsedSelector {
  /** Undefined when the text has errors: a half-understood query must not filter anything. */
  requirements: SelectorRequirement[] | undefined;
  diagnostics: SelectorDiagnostic[];
}

type TokenType = 'word' | ',' | '(' | ')' | '!' | '=' | '==' | '!=' | '>' | '<' | 'end';
interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}

const SYMBOLS: [string, TokenType][] = [
  ['==', '=='],
  ['!=', '!='],
  ['=', '='],
  ['!', '!'],
  [',', ','],
  ['(', '('],
  [')', ')'],
  ['>', '>'],
  ['<', '<'],
];
const WORD_END = /[\s,()!=<>]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find(([s]) => text.startsWith(s, i));
    if (symbol) {
      tokens.push({ type: symbol[1], text: symbol[0], start: i, end: i + symbol[0].length });
      i += symbol[0].length;
      continue;
    }
    const start = i;
    while (i < text.length && !WORD_END.test(text[i]!)) i++;
    tokens.push({ type: 'word', text: text.slice(start, i), start, end: i });
  }
  tokens.push({ type: 'end', text: '', start: text.length, end: text.length });
  return tokens;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is invalid (Kubernetes' qualified-name rules), or undefined. */
function keyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
      return `"${prefix}" is not a valid key prefix (a lower-case DNS subdomain, like example.com)`;
  }
  if (name.length === 0 || name.length > 63 || !NAME.test(name))
    return `"${key}" is not a valid label key: up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
  return undefined;
}

function valueProblem(value: string): string | undefined {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return undefined;
  return `"${value}" is not a valid label value: up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`;
}

class Parser {
  private at = 0;
  readonly diagnostics: SelectorDiagnostic[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    const token = this.tokens[this.at]!;
    if (token.type !== 'end') this.at++;
    return token;
  }

  private fail(code: SelectorDiagnostic['code'], message: string, token: Token): undefined {
    this.diagnostics.push({
      code,
      message,
      range: { start: token.start, end: Math.max(token.end, token.start) },
    });
    return undefined;
  }

  parse(): SelectorRequirement[] | undefined {
    const requirements: SelectorRequirement[] = [];
    for (;;) {
      const requirement = this.requirement();
      if (!requirement) return undefined;
      requirements.push(requirement);
      const token = this.next();
      if (token.type === 'end') return requirements;
      if (token.type !== ',')
        return this.fail(
          'expected-operator',
          `expected "," between requirements, found "${token.text}"`,
          token,
        );
    }
  }

  private key(): { key: string; token: Token } | undefined {
    const token = this.next();
    if (token.type !== 'word')
      return this.fail(
        'expected-key',
        token.type === 'end'
          ? 'expected a label key at the end'
          : `expected a label key, found "${token.text}"`,
        token,
      );
    const problem = keyProblem(token.text);
    if (problem) return this.fail('invalid-key', problem, token);
    return { key: token.text, token };
  }

  private value(): string | undefined {
    const token = this.peek();
    // `a=` (an empty value) is valid, as in kubectl.
    if (token.type === ',' || token.type === 'end') return '';
    this.next();
    if (token.type !== 'word')
      return this.fail('expected-value', `expected a value, found "${token.text}"`, token);
    const problem = valueProblem(token.text);
    if (problem) return this.fail('invalid-value', problem, token);
    return token.text;
  }

  private requirement(): SelectorRequirement | undefined {
    if (this.peek().type === '!') {
      this.next();
      const key = this.key();
      return key && { key: key.key, operator: 'DoesNotExist', values: [] };
    }
    const key = this.key();
    if (!key) return undefined;
    const op = this.peek();
    if (op.type === ',' || op.type === 'end') return { key: key.key, operator: 'Exists', values: [] };
    this.next();
    switch (op.type) {
      case '=':
      case '==':
      case '!=': {
        const value = this.value();
        if (value === undefined) return undefined;
        return { key: key.key, operator: op.type === '!=' ? 'NotEquals' : 'Equals', values: [value] };
      }
      case '>':
      case '<': {
        const token = this.next();
        if (token.type !== 'word' || !/^-?\d+$/.test(token.text))
          return this.fail(
            'expected-value',
            `"${op.text}" needs a whole number, found "${token.text}"`,
            token,
          );
        return { key: key.key, operator: op.type === '>' ? 'Gt' : 'Lt', values: [token.text] };
      }
      case 'word':
        if (op.text === 'in' || op.text === 'notin') {
          const values = this.set(op);
          return values && { key: key.key, operator: op.text === 'in' ? 'In' : 'NotIn', values };
        }
        break;
    }
    return this.fail(
      'expected-operator',
      `expected =, ==, !=, in, notin, >, < or "," after "${key.key}", found "${op.text}"`,
      op,
    );
  }

  private set(op: Token): string[] | undefined {
    const open = this.next();
    if (open.type !== '(')
      return this.fail(
        'expected-value',
        `"${op.text}" needs a list of values in parentheses, like (a,b)`,
        open,
      );
    const values: string[] = [];
    if (this.peek().type === ')') {
      this.next();
      return this.fail('empty-set', `"${op.text}" needs at least one value`, { ...open, end: open.end + 1 });
    }
    for (;;) {
      const value = this.peek().type === ')' ? '' : this.value();
      if (value === undefined) return undefined;
      values.push(value);
      const token = this.next();
      if (token.type === ')') return values;
      if (token.type !== ',')
        return this.fail(
          'expected-value',
          token.type === 'end' ? 'missing ")" at the end' : `expected "," or ")", found "${token.text}"`,
          token,
        );
    }
  }
}

/** Parses a typed selector; an empty (or blank) text is the empty selector, which matches everything. */
export function parseLabelSelector(text: string): ParsedSelector {
  if (text.trim() === '') return { requirements: [], diagnostics: [] };
  const parser = new Parser(tokenize(text));
  const requirements = parser.parse();
  return parser.diagnostics.length > 0
    ? { requirements: undefined, diagnostics: parser.diagnostics }
    : { requirements, diagnostics: [] };
}

function holds(requirement: SelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Equals':
    case 'In':
      return has && requirement.values.includes(value!);
    // As in Kubernetes: an object without the key is not equal to any value.
    case 'NotEquals':
    case 'NotIn':
      return !has || !requirement.values.includes(value!);
    case 'Gt':
    case 'Lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(requirement.values[0]);
      return requirement.operator === 'Gt' ? n > bound : n < bound;
    }
  }
}

/** True when the labels satisfy every requirement. */
export function selectorMatches(
  requirements: readonly SelectorRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every((r) => holds(r, labels));
}
