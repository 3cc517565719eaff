/**
 * Group commit for small writes: the first call runs at once; calls that arrive while a write is
 * in flight wait and go together in the next one. Alone, a call costs what it did unbatched; under
 * load, fifty requests cost one statement instead of fifty. Each caller's promise settles with
 * its own result, only after the write that carried it has finished.
 */
export function createBatcher<In, Out>(
  write: (items: In[]) => Promise<Out[]>,
  maxBatch = 500,
): (item: In) => Promise<Out> {
  type Waiter = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void };
  let queue: Waiter[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await write(batch.map((waiter) => waiter.item));
        for (const [i, waiter] of batch.entries()) waiter.resolve(results[i] as Out);
      } catch (error) {
        for (const waiter of batch) waiter.reject(error);
      }
    }
    writing = false;
  }

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!writing) void drain();
    });
}
