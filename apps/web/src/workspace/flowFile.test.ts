import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isFlowFile, looksLikeFlows } from './flowFile.ts';

const FLOWS = fileURLToPath(new URL('../../../../public/flows/', import.meta.url));

describe('looksLikeFlows', () => {
  it.each([
    ['a Hubble capture', readFileSync(`${FLOWS}demo.hubble.jsonl`, 'utf8')],
    ['Calico flow logs', readFileSync(`${FLOWS}onlineboutique.calico.jsonl`, 'utf8')],
    [
      'a bare Hubble flow',
      '{"verdict":"DROPPED","l4":{"TCP":{"destination_port":80}},"source":{},"destination":{}}',
    ],
    ['a Calico API flow', '{"Key":{"source_namespace":"a","dest_namespace":"b","dest_port":80}}'],
    ['a CSV with its header', 'src,dst,protocol,port,count,last_seen\na/b,c/d,TCP,80,1,2025-01-01T00:00:00Z'],
    ['a CSV without a header', 'a/b,c/d,TCP,80,1,2025-01-01T00:00:00Z'],
    ['a JSON array of flows', '[\n{"flow":{"l4":{},"source":{}}},\n'],
  ])('takes %s', (_, text) => {
    expect(looksLikeFlows(text)).toBe(true);
  });

  it.each([
    ['a YAML manifest', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n'],
    [
      'a JSON manifest on one line',
      '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a","source":{}}}',
    ],
    ['a pretty-printed JSON manifest', '{\n  "apiVersion": "v1",\n  "kind": "List"\n}'],
    ['a JSON line of something else', '{"level":"info","msg":"started"}'],
    ['a CSV of something else', 'name,age\nann,3'],
    ['nothing', ''],
  ])('leaves %s', (_, text) => {
    expect(looksLikeFlows(text)).toBe(false);
  });
});

describe('isFlowFile', () => {
  it('reads only the start of a big file, and judges complete lines only', async () => {
    const line = '{"flow":{"l4":{"TCP":{"destination_port":80}},"source":{"namespace":"a"}}}\n';
    const big = new File([line.repeat(20_000)], 'capture.json');
    expect(big.size).toBeGreaterThan(64 * 1024);
    expect(await isFlowFile(big)).toBe(true);
  });

  it('never reads YAML names, whatever they hold', async () => {
    expect(await isFlowFile(new File(['src,dst,protocol,port\na,b,TCP,80'], 'flows.yaml'))).toBe(false);
    expect(await isFlowFile(new File(['src,dst,protocol,port\na,b,TCP,80'], 'flows.csv'))).toBe(true);
  });
});
