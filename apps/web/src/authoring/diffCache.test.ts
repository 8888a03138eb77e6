import { describe, expect, it } from 'vitest';
import type { ConnectivityDiffView } from '../workspace/index.ts';
import { diffCacheOf } from './diffCache.ts';

const diff = { changes: [] } as unknown as ConnectivityDiffView;
const query = { data: undefined, loading: false, error: undefined, stale: false };

describe('diffCacheOf', () => {
  it('says computing while asked, keeping the last diff to show meanwhile', () => {
    expect(diffCacheOf({ ...query, loading: true })).toEqual({
      status: 'computing',
      diff: undefined,
      error: undefined,
    });
    expect(diffCacheOf({ ...query, data: diff, loading: true, stale: true })).toMatchObject({
      status: 'computing',
      diff,
    });
  });

  it('says ready with the answer, failed with the reason, idle when nothing was asked', () => {
    expect(diffCacheOf({ ...query, data: diff })).toEqual({ status: 'ready', diff, error: undefined });
    expect(diffCacheOf({ ...query, error: 'Error: worker crashed' })).toEqual({
      status: 'failed',
      diff: undefined,
      error: 'Error: worker crashed',
    });
    expect(diffCacheOf(query).status).toBe('idle');
  });
});
