/** Runs async jobs one after another, so read-modify-write steps on shared state never interleave. */
export function createSerialQueue(): <T>(job: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(job: () => Promise<T>) => {
    const run = tail.then(job, job); // The job before, failed or not, has told its own caller.
    // The caller hears the failure through `run`; the tail only keeps the line moving.
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * Wraps a job that brings something up to date (a broadcast, a view refresh): calls during a run
 * do not start runs of their own but one more run after it, so a burst of N calls costs at most
 * two runs, and the last run always starts after the last call. Every call resolves when a run
 * that started after it has finished. A failed run goes to `onError`; the next call runs again.
 */
export function createCoalescer(
  job: () => Promise<void>,
  onError: (error: unknown) => void = (error) => console.warn('Send Guard: an update failed; the next one runs again', error),
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await job().catch(onError);
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
