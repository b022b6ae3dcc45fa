import { describe, expect, it } from 'vitest';
import { type FailureNote, PAIR_WINDOW_MS, pairFailure } from '@/core/failures/signal-pairing';

const T101 = 'https://acme.zendesk.com/101';
const T102 = 'https://acme.zendesk.com/102';

/** Replays sightings in order; returns which ones would reach the detector. */
function replay(sightings: (Omit<FailureNote, 'at'> & { at: number })[]): boolean[] {
  let notes: FailureNote[] = [];
  return sightings.map(({ at, ...sighting }) => {
    const step = pairFailure(notes, sighting, at);
    notes = step.notes;
    return step.count;
  });
}

describe('pairFailure', () => {
  it('counts one send seen by the network and then the page once', () => {
    expect(
      replay([
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 },
        { source: 'dom', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1400 },
      ]),
    ).toEqual([true, false]);
  });

  it('counts one send seen by the page and then the network once', () => {
    expect(
      replay([
        { source: 'dom', conversation: T101, code: 1200, errorClass: 'provider_transient', at: 1000 },
        { source: 'network', conversation: T101, code: 1200, errorClass: 'provider_transient', at: 2000 },
      ]),
    ).toEqual([true, false]);
  });

  it('counts two sends that fail alike on one ticket twice (one note pairs with one sighting)', () => {
    expect(
      replay([
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 },
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1500 },
        { source: 'dom', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1600 },
        { source: 'dom', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1700 },
      ]),
    ).toEqual([true, true, false, false]);
  });

  it('does not pair different tickets, codes, classes or sightings from the same source', () => {
    expect(
      replay([
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 },
        { source: 'dom', conversation: T102, code: 2, errorClass: 'provider_transient', at: 1100 },
        { source: 'dom', conversation: T101, code: 1200, errorClass: 'provider_transient', at: 1200 },
        { source: 'dom', conversation: T101, errorClass: 'unknown', at: 1300 },
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1400 },
      ]),
    ).toEqual([true, true, true, true, true]);
  });

  it('pairs on the class when one side could not read the code', () => {
    expect(
      replay([
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 },
        { source: 'dom', conversation: T101, errorClass: 'provider_transient', at: 2000 },
      ]),
    ).toEqual([true, false]);
  });

  it('forgets a note after the window: a later sighting is a new send', () => {
    expect(
      replay([
        { source: 'network', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 },
        { source: 'dom', conversation: T101, code: 2, errorClass: 'provider_transient', at: 1000 + PAIR_WINDOW_MS },
      ]),
    ).toEqual([true, true]);
  });

  it('keeps a bounded number of notes', () => {
    let notes: FailureNote[] = [];
    for (let i = 0; i < 1000; i++) {
      notes = pairFailure(notes, { source: 'network', conversation: `${T101}${i}`, code: 2, errorClass: 'provider_transient' }, 5000).notes;
    }
    expect(notes.length).toBeLessThanOrEqual(200);
  });
});

describe('pairFailure: arrival order', () => {
  it('pairs a sighting with a note stamped a little later (the later message was handled first)', () => {
    const first = pairFailure([], { source: 'network', conversation: 'c', code: 2, errorClass: 'provider_transient' }, 1_000_050);
    expect(first.count).toBe(true);
    const second = pairFailure(first.notes, { source: 'dom', conversation: 'c', code: 2, errorClass: 'provider_transient' }, 1_000_000);
    expect(second).toEqual({ count: false, notes: [] });
  });
});
