import { describe, expect, it } from '@jest/globals';
import { eachInOrder } from '../../../shared/store/concurrency.js';

/** A promise settled from outside, so a test decides the order in which work finishes. */
const deferred = <T>() => {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise<void>((done) => setImmediate(done));

describe('eachInOrder', () => {
  it('visits the results in the items’ order though later work finishes first', async () => {
    const work = new Map(['a', 'b', 'c', 'd'].map((k) => [k, deferred<string>()]));
    const visited: string[] = [];
    const done = eachInOrder(
      ['a', 'b', 'c', 'd'],
      2,
      (k) => work.get(k)!.promise,
      (r) => {
        visited.push(r);
      },
    );
    work.get('b')!.resolve('B');
    await settle();
    expect(visited).toEqual([]);
    work.get('a')!.resolve('A');
    await settle();
    expect(visited).toEqual(['A', 'B']);
    work.get('d')!.resolve('D');
    work.get('c')!.resolve('C');
    await done;
    expect(visited).toEqual(['A', 'B', 'C', 'D']);
  });

  it('keeps at most `limit` items in flight, starting the next as the first in order is visited', async () => {
    const work = new Map([1, 2, 3, 4, 5].map((k) => [k, deferred<number>()]));
    const started: number[] = [];
    const done = eachInOrder(
      [1, 2, 3, 4, 5],
      3,
      (k) => {
        started.push(k);
        return work.get(k)!.promise;
      },
      () => undefined,
    );
    expect(started).toEqual([1, 2, 3]);
    // A later item finishing holds its place: nothing new starts until the first is visited.
    work.get(3)!.resolve(3);
    await settle();
    expect(started).toEqual([1, 2, 3]);
    work.get(1)!.resolve(1);
    await settle();
    expect(started).toEqual([1, 2, 3, 4]);
    for (const k of [2, 4, 5]) work.get(k)!.resolve(k);
    await done;
    expect(started).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects with the first failure in order once the work in flight has settled, visiting nothing after it', async () => {
    const work = new Map(['a', 'b', 'c'].map((k) => [k, deferred<string>()]));
    const visited: string[] = [];
    let settledAfterFailure = false;
    const done = eachInOrder(
      ['a', 'b', 'c'],
      3,
      (k) => work.get(k)!.promise,
      (r) => {
        visited.push(r);
      },
    ).catch((error: unknown) => {
      settledAfterFailure = true;
      throw error;
    });
    work.get('a')!.resolve('A');
    work.get('b')!.reject(new Error('b failed'));
    await settle();
    // c is still running: the failure waits for it, nothing is left dangling.
    expect(settledAfterFailure).toBe(false);
    work.get('c')!.resolve('C');
    await expect(done).rejects.toThrow('b failed');
    expect(visited).toEqual(['A']);
  });

  it('visits nothing and settles for no items', async () => {
    const visited: number[] = [];
    await eachInOrder<number, number>(
      [],
      8,
      async (k) => k,
      (r) => void visited.push(r),
    );
    expect(visited).toEqual([]);
  });
});
