import { browser } from 'wxt/browser';
import { z } from 'zod';
import type { ErrorClass } from '@/utils/schemas';
import { createSerialQueue } from '@/utils/serial';
import { FailureNote, type FailureSource, pairFailure } from '@/utils/signal-pairing';

// Session storage: the notes outlive a stopped worker but not the browser, and hold no customer text.
const NOTES_KEY = 'failureNotes';
const Notes = z.array(FailureNote);
const serial = createSerialQueue();

/** True if this failure sighting should reach the detector; false if the other source already counted it. */
export function countOnce(
  source: FailureSource,
  sighting: { conversation: string; code?: number | undefined; errorClass: ErrorClass },
  now: number,
): Promise<boolean> {
  return serial(async () => {
    const parsed = Notes.safeParse((await browser.storage.session.get(NOTES_KEY))[NOTES_KEY] ?? []);
    const { count, notes } = pairFailure(parsed.success ? parsed.data : [], { source, ...sighting }, now);
    await browser.storage.session.set({ [NOTES_KEY]: notes });
    return count;
  });
}
