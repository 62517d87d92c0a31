import { describe, expect, it } from 'vitest';
import { allPagesByNumber, allPagesByToken } from '../../src/cloud/index.js';

describe('allPagesByNumber', () => {
  it('walks PageNumber until TotalCount items are collected, with TotalCount as a string', async () => {
    const data = Array.from({ length: 7 }, (_, i) => `item-${i}`);
    const requested: Array<[number, number]> = [];
    const all = await allPagesByNumber(async (pageNumber, pageSize) => {
      requested.push([pageNumber, pageSize]);
      return { items: data.slice((pageNumber - 1) * pageSize, pageNumber * pageSize), totalCount: '7' };
    }, 3);
    expect(all).toEqual(data);
    expect(requested).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
  });

  it('makes exactly one call when everything fits on the first page (default size 50)', async () => {
    let calls = 0;
    const all = await allPagesByNumber(async (_n, size) => {
      calls++;
      expect(size).toBe(50);
      return { items: [1, 2], totalCount: 2 };
    });
    expect(all).toEqual([1, 2]);
    expect(calls).toBe(1);
  });

  it('stops on an empty page even if TotalCount over-promises', async () => {
    let calls = 0;
    const all = await allPagesByNumber(async (n) => {
      calls++;
      return { items: n === 1 ? ['a'] : [], totalCount: 10 };
    }, 1);
    expect(all).toEqual(['a']);
    expect(calls).toBe(2);
  });

  it('handles an empty result and an unparseable TotalCount', async () => {
    expect(await allPagesByNumber(async () => ({ items: [], totalCount: 0 }))).toEqual([]);
    expect(await allPagesByNumber(async () => ({ items: ['x'], totalCount: 'n/a' }))).toEqual(['x']);
  });
});

describe('allPagesByToken', () => {
  it('follows NextToken until it is absent, null or empty', async () => {
    const pages: Record<string, { items: number[]; nextToken?: string | null }> = {
      start: { items: [1, 2], nextToken: 't1' },
      t1: { items: [3], nextToken: 't2' },
      t2: { items: [4], nextToken: null },
    };
    const tokens: Array<string | undefined> = [];
    const all = await allPagesByToken(async (token) => {
      tokens.push(token);
      return pages[token ?? 'start']!;
    });
    expect(all).toEqual([1, 2, 3, 4]);
    expect(tokens).toEqual([undefined, 't1', 't2']);
    expect(await allPagesByToken(async () => ({ items: ['only'], nextToken: '' }))).toEqual(['only']);
    expect(await allPagesByToken(async () => ({ items: ['only'] }))).toEqual(['only']);
  });

  it('refuses to loop when a token comes back twice', async () => {
    let calls = 0;
    await expect(
      allPagesByToken(async (token) => {
        calls++;
        return { items: [calls], nextToken: token === 'a' ? 'b' : 'a' };
      }),
    ).rejects.toThrow('pagination token loop: NextToken "a" was returned twice');
    expect(calls).toBe(3);
  });
});
