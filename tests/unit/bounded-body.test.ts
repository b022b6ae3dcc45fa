// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { readBodyCapped } from '@/utils/bounded-body';

/** A body streamed in chunks with no content-length, as a chunked HTTP answer arrives. */
function streamed(chunks: string[], headers: Record<string, string> = {}): Response {
  const encoder = new TextEncoder();
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled++];
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  return new Response(body, { headers });
}

describe('readBodyCapped', () => {
  it('reads a body under the cap whole, in any chunks', async () => {
    expect(await readBodyCapped(streamed(['{"a":', '1}']), 100)).toBe('{"a":1}');
  });

  it('gives up a streamed body without content-length as soon as it passes the cap', async () => {
    let served = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        served += 1;
        controller.enqueue(new Uint8Array(1000));
      },
    });
    expect(await readBodyCapped(new Response(endless), 10_000)).toBeNull();
    expect(served).toBeLessThan(20);
  });

  it('refuses at once a body whose content-length is over the cap', async () => {
    expect(await readBodyCapped(streamed(['x'], { 'content-length': '5000000' }), 1000)).toBeNull();
  });

  it('counts bytes, not characters', async () => {
    expect(await readBodyCapped(streamed(['ääää']), 6)).toBeNull();
    expect(await readBodyCapped(streamed(['äää']), 6)).toBe('äää');
  });
});
