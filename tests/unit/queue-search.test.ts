import { describe, expect, it } from 'vitest';
import { matchesSearch, prepareSearch } from '@/components/QueueList';
import { queuedRecord } from '../fixtures/replies';

// The popup's search over the kept replies: text, customer, ticket and channel, any case.
const make = () =>
  Array.from({ length: 1200 }, (_, i) =>
    queuedRecord({ id: `r${i}`, text: `Bench reply ${i}: Your Refund`, ticketId: String(4000 + (i % 30)), customerName: `Kunde ${i % 7}` }),
  );
const found = (replies: ReturnType<typeof make>, query: string) => replies.filter((r) => matchesSearch(r, query)).map((r) => r.id);

describe('popup search', () => {
  it('finds the same replies whether or not their words were prepared while idle', async () => {
    const prepared = make();
    prepareSearch(prepared, new AbortController().signal);
    // Prepared in slices of 250: five slices for 1,200 replies.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const plain = make();
    for (const query of ['reply 1199:', 'KUNDE 3', '4029', 'messenger', 'your refund', '  ', 'no such words']) {
      expect(found(prepared, query), query).toEqual(found(plain, query));
    }
    expect(found(prepared, 'reply 1199:')).toEqual(['r1199']);
    expect(found(prepared, 'kunde 3')).toHaveLength(171);
    expect(found(prepared, '4029')).toHaveLength(40);
    expect(found(prepared, '  ')).toHaveLength(1200);
    expect(found(prepared, 'no such words')).toEqual([]);
  });
});
