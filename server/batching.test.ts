import { describe, expect, it } from 'vitest';
import { createBatcher } from './batching';

describe('createBatcher', () => {
  it('writes a lone call at once and groups the calls that arrive during a write', async () => {
    const writes: number[][] = [];
    let release: () => void = () => {};
    const batched = createBatcher(async (items: number[]) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((n) => n * 10);
    });

    const first = batched(1);
    const rest = [batched(2), batched(3), batched(4)];
    expect(writes).toEqual([[1]]);
    release();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every caller of a failed write, and keeps working afterwards', async () => {
    let fail = true;
    const batched = createBatcher(async (items: string[]) => {
      if (fail) throw new Error('database down');
      return items;
    });
    await expect(batched('a')).rejects.toThrow('database down');
    fail = false;
    expect(await batched('b')).toBe('b');
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    let release: () => void = () => {};
    const batched = createBatcher(async (items: number[]) => {
      sizes.push(items.length);
      if (sizes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items;
    }, 3);
    const calls = Array.from({ length: 8 }, (_, i) => batched(i));
    release();
    expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });
});
