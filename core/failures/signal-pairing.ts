import { z } from 'zod';
import { ErrorClass } from '../schemas';

/**
 * One failed send can be seen twice: as a failure marker in the page (DOM) and as a Graph error
 * in the page's traffic (network). Each sighting leaves a short-lived note; a sighting from the
 * other source that matches an open note is the same send and is not counted again.
 */
export const FailureSource = z.enum(['dom', 'network']);
export type FailureSource = z.infer<typeof FailureSource>;

export const FailureNote = z.object({
  source: FailureSource,
  conversation: z.string().max(500),
  code: z.number().int().optional(),
  errorClass: ErrorClass,
  at: z.number().int().nonnegative(),
});
export type FailureNote = z.infer<typeof FailureNote>;

export const PAIR_WINDOW_MS = 30_000;
const MAX_NOTES = 200;

function sameSend(note: FailureNote, sighting: Omit<FailureNote, 'at'>): boolean {
  // A side that could not read the code (e.g. a marker without detail text) still pairs on the class.
  const codesAgree = note.code === undefined || sighting.code === undefined || note.code === sighting.code;
  return (
    note.source !== sighting.source && note.conversation === sighting.conversation && note.errorClass === sighting.errorClass && codesAgree
  );
}

/** Decides whether a sighting is a new failure to count, and returns the notes to keep. */
export function pairFailure(
  notes: readonly FailureNote[],
  sighting: Omit<FailureNote, 'at'>,
  now: number,
  windowMs = PAIR_WINDOW_MS,
): { count: boolean; notes: FailureNote[] } {
  // Either order: sightings are stamped on arrival but handled one at a time, so the later
  // one may be handled first; a note "from the future" by a few ms is the same send.
  const open = notes.filter((note) => Math.abs(now - note.at) < windowMs);
  const match = open.findIndex((note) => sameSend(note, sighting));
  if (match >= 0) {
    // One note pairs with one sighting, so two sends that fail alike on one ticket still count twice.
    open.splice(match, 1);
    return { count: false, notes: open };
  }
  return { count: true, notes: [...open, { ...sighting, at: now }].slice(-MAX_NOTES) };
}
