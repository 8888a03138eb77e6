import { describe, expect, it } from 'vitest';
import type { Problem } from '../model/index.ts';
import { MarkerSeverity, problemsToMarkers } from './markers.ts';

function problem(overrides: Partial<Problem> = {}): Problem {
  return {
    code: 'np-invalid-port',
    severity: 'error',
    message: 'Invalid value: 70000: must be between 1 and 65535, inclusive',
    file: 'demo/policies.yaml',
    field: 'spec.ingress[0].ports[0].port',
    source: { file: 'demo/policies.yaml', line: 12, column: 15, endLine: 12, endColumn: 20 },
    fatal: true,
    ...overrides,
  };
}

describe('problemsToMarkers', () => {
  it('maps a problem to a marker on its exact range', () => {
    expect(problemsToMarkers([problem()], 'demo/policies.yaml')).toEqual([
      {
        severity: MarkerSeverity.Error,
        message:
          'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
        code: 'np-invalid-port',
        source: 'netpol-atlas',
        startLineNumber: 12,
        startColumn: 15,
        endLineNumber: 12,
        endColumn: 20,
      },
    ]);
  });

  it('keeps only the problems of the given file', () => {
    const problems = [problem(), problem({ file: 'other.yaml', code: 'x' }), problem({ code: 'y' })];
    expect(problemsToMarkers(problems, 'demo/policies.yaml').map((m) => m.code)).toEqual([
      'np-invalid-port',
      'y',
    ]);
    expect(problemsToMarkers(problems, 'other.yaml').map((m) => m.code)).toEqual(['x']);
    expect(problemsToMarkers(problems, 'missing.yaml')).toEqual([]);
  });

  it('maps every severity', () => {
    const markers = problemsToMarkers(
      [problem({ severity: 'error' }), problem({ severity: 'warning' }), problem({ severity: 'info' })],
      'demo/policies.yaml',
    );
    expect(markers.map((m) => m.severity)).toEqual([
      MarkerSeverity.Error,
      MarkerSeverity.Warning,
      MarkerSeverity.Info,
    ]);
    // The numbers Monaco's MarkerSeverity enum uses.
    expect(markers.map((m) => m.severity)).toEqual([8, 4, 2]);
  });

  it('omits the field prefix when the field is empty', () => {
    const [marker] = problemsToMarkers(
      [problem({ field: '', message: 'YAML syntax error' })],
      'demo/policies.yaml',
    );
    expect(marker?.message).toBe('YAML syntax error');
  });

  it('keeps multi-line ranges as given', () => {
    const source = { file: 'demo/policies.yaml', line: 3, column: 3, endLine: 9, endColumn: 1 };
    const [marker] = problemsToMarkers([problem({ source })], 'demo/policies.yaml');
    expect(marker).toMatchObject({ startLineNumber: 3, startColumn: 3, endLineNumber: 9, endColumn: 1 });
  });

  it('puts a problem without a location on the first line', () => {
    const [marker] = problemsToMarkers([problem({ source: undefined })], 'demo/policies.yaml');
    expect(marker).toMatchObject({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 });
  });

  it('repairs positions Monaco would drop', () => {
    const zero = { file: 'demo/policies.yaml', line: 0, column: 0, endLine: 0, endColumn: 0 };
    const backwards = { file: 'demo/policies.yaml', line: 5, column: 8, endLine: 5, endColumn: 2 };
    const markers = problemsToMarkers(
      [problem({ source: zero }), problem({ source: backwards })],
      'demo/policies.yaml',
    );
    expect(markers[0]).toMatchObject({ startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 });
    expect(markers[1]).toMatchObject({ startLineNumber: 5, startColumn: 8, endLineNumber: 5, endColumn: 8 });
  });
});
