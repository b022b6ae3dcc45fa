import { z } from 'zod';
import { FailureNote, type FailureSource, pairFailure } from '@/core/failures/signal-pairing';
import type { ErrorClass } from '@/core/schemas';
import { defineStoredValue } from '@/utils/stored-value';

// Session storage: the notes outlive a stopped worker but not the browser, and hold no customer text.
const storedNotes = defineStoredValue({ key: 'session:failureNotes', schema: z.array(FailureNote), fallback: [] });

/** True if this failure sighting should reach the detector; false if the other source already counted it. */
export async function countOnce(
  source: FailureSource,
  sighting: { conversation: string; code?: number | undefined; errorClass: ErrorClass },
  now: number,
): Promise<boolean> {
  let count = false;
  await storedNotes.update((notes) => {
    const paired = pairFailure(notes, { source, ...sighting }, now);
    count = paired.count;
    return paired.notes;
  });
  return count;
}
