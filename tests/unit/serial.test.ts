import { describe, expect, it } from 'vitest';
import { createCoalescer, createSerialQueue } from '@/utils/serial';

/** A job whose runs the test finishes by hand, recording what each run saw when it started. */
function manualJob() {
  const starts: number[] = [];
  const finishers: (() => void)[] = [];
  let value = 0;
  const job = () =>
    new Promise<void>((resolve) => {
      starts.push(value);
      finishers.push(resolve);
    });
  return { job, starts, finishers, set: (v: number) => (value = v) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createCoalescer', () => {
  it('a burst of calls during a run costs one more run, which starts after the last call', async () => {
    const { job, starts, finishers, set } = manualJob();
    const update = createCoalescer(job);
    const first = update();
    await tick();
    for (let i = 1; i <= 50; i++) {
      set(i);
      void update();
    }
    expect(starts).toEqual([0]);
    finishers[0]?.();
    await tick();
    // The second run sees the state after the 50th call.
    expect(starts).toEqual([0, 50]);
    finishers[1]?.();
    await first;
    expect(starts).toHaveLength(2);
  });

  it('every call resolves only after a run that started after it', async () => {
    const { job, starts, finishers, set } = manualJob();
    const update = createCoalescer(job);
    void update();
    await tick();
    set(7);
    let laterDone = false;
    const later = update().then(() => {
      laterDone = true;
    });
    finishers[0]?.();
    await tick();
    expect(laterDone).toBe(false);
    expect(starts).toEqual([0, 7]);
    finishers[1]?.();
    await later;
    expect(laterDone).toBe(true);
  });

  it('a failing run does not stop later ones', async () => {
    let runs = 0;
    const failures: unknown[] = [];
    const update = createCoalescer(
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('worker restarting');
      },
      (error) => failures.push(error),
    );
    await update();
    await update();
    expect(runs).toBe(2);
    // The failure is handed on, never dropped.
    expect(failures).toEqual([new Error('worker restarting')]);
  });
});

describe('createSerialQueue', () => {
  it('runs jobs one after another, in call order, even when one fails', async () => {
    const serial = createSerialQueue();
    const order: string[] = [];
    const a = serial(async () => {
      await tick();
      order.push('a');
      throw new Error('a failed');
    });
    const b = serial(async () => {
      order.push('b');
      return 'b';
    });
    await expect(a).rejects.toThrow('a failed');
    await expect(b).resolves.toBe('b');
    expect(order).toEqual(['a', 'b']);
  });
});
