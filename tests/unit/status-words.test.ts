import { describe, expect, it } from 'vitest';
import { readOutboundStatus } from '@/profiles/read';
import { readStatusWords, statusVocabulary } from '@/profiles/status-words';
import { zendeskProfile } from '@/profiles/zendesk';

// Status words are read by whole words and phrases from a table in English and German, with
// negations winning over the bare "delivered", and never from inside the reply's own content.
// The outbound message markup is the sandbox's (sandbox/public/app.js), after Agent Workspace's
// omni-log data-test-ids; the status wordings are the sandbox's, the and common UI phrasings.

const vocabulary = statusVocabulary();

/** An outbound reply whose status is told only by plain text beside its content (sandbox `?marker=text`). */
function withStatusText(status: string, content = 'Hi Lena, the parcel left our warehouse today.'): Element {
  document.body.innerHTML = `
    <article data-test-id="omni-log-item-message" type="agent" data-message-id="m-1">
      <div><span data-test-id="omni-log-item-sender">Sam Rivera</span></div>
      <div data-test-id="omni-log-message-content">${content}</div>
      <div class="msg-status"><span>${status}</span></div>
    </article>`;
  return document.querySelector('article') as Element;
}

/** The same, told only by an icon's aria-label (sandbox `?marker=icon`). */
function withStatusIcon(label: string): Element {
  document.body.innerHTML = `
    <article data-test-id="omni-log-item-message" type="agent" data-message-id="m-1">
      <div data-test-id="omni-log-message-content">Hi Lena, the parcel left our warehouse today.</div>
      <div class="msg-status"><span role="img" aria-label="${label}">!</span></div>
    </article>`;
  return document.querySelector('article') as Element;
}

const PHRASINGS: [string, 'failed' | 'delivered' | 'pending' | null][] = [
  // English failures
  ['Not delivered', 'failed'],
  ['Undelivered', 'failed'],
  ['Undeliverable', 'failed'],
  ['Failed to send', 'failed'],
  ['Message failed to send', 'failed'],
  ['Sending failed', 'failed'],
  ['Send failed', 'failed'],
  ['Delivery failed', 'failed'],
  ['Failed', 'failed'],
  ['Message could not be delivered', 'failed'],
  ['Message couldn’t be delivered', 'failed'],
  ["Couldn't be sent", 'failed'],
  ['Could not be sent', 'failed'],
  ['Could not send message', 'failed'],
  ['Not sent', 'failed'],
  ["Wasn't delivered", 'failed'],
  ['Never delivered', 'failed'],
  ['Unable to deliver this message', 'failed'],
  ['Unable to send', 'failed'],
  ['Delivery failed — retry', 'failed'],
  ['Message cannot be delivered right now', 'failed'],
  // German failures
  ['Nicht zugestellt', 'failed'],
  ['Zustellung fehlgeschlagen', 'failed'],
  ['Senden fehlgeschlagen', 'failed'],
  ['Versand fehlgeschlagen', 'failed'],
  ['Nachricht konnte nicht gesendet werden', 'failed'],
  ['Nachricht konnte nicht zugestellt werden', 'failed'],
  ['Nicht gesendet', 'failed'],
  ['Unzustellbar', 'failed'],
  ['Fehlgeschlagen', 'failed'],
  // Delivered
  ['Delivered', 'delivered'],
  ['Delivered ✓', 'delivered'],
  ['Zugestellt', 'delivered'],
  ['Message delivered', 'delivered'],
  // Pending, including the negations that mean "not yet"
  ['Sending…', 'pending'],
  ['Sending', 'pending'],
  ['Pending', 'pending'],
  ['Wird gesendet …', 'pending'],
  ['Not yet delivered', 'pending'],
  ['Noch nicht zugestellt', 'pending'],
  // Says nothing about delivery ("Sent" is only accepted by the helpdesk)
  ['Sent', null],
  ['Gesendet', null],
  ['Error', null],
  ['', null],
  ['Read more', null],
];

describe('status words', () => {
  it('covers at least 30 phrasings', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(PHRASINGS)('"%s" reads as %s', (text, expected) => {
    expect(readStatusWords(text, vocabulary)).toBe(expected);
  });

  it.each(PHRASINGS.filter(([text]) => text !== ''))('"%s" beside a reply: the outbound status is %s', (text, expected) => {
    expect(readOutboundStatus(withStatusText(text), zendeskProfile)).toBe(expected ?? 'unknown');
  });

  it.each(PHRASINGS.filter(([text]) => text !== ''))('"%s" as an icon label: the outbound status is %s', (text, expected) => {
    expect(readOutboundStatus(withStatusIcon(text), zendeskProfile)).toBe(expected ?? 'unknown');
  });

  it('matches whole words only: "Undelivered" is no delivery, "Sending failed" no pending', () => {
    expect(readStatusWords('Undelivered', vocabulary)).not.toBe('delivered');
    expect(readStatusWords('Message could not be delivered', vocabulary)).not.toBe('delivered');
    expect(readStatusWords('Sending failed', vocabulary)).not.toBe('pending');
    // "redelivered" or "delivery" are other words than "delivered".
    expect(readStatusWords('Redelivered', vocabulary)).toBeNull();
  });

  it("adds a profile's own phrases to the table", () => {
    const own = statusVocabulary({ failed: ['Bounced'], delivered: ['Sent successfully'], pending: ['In the outbox'] });
    expect(readStatusWords('Bounced', own)).toBe('failed');
    expect(readStatusWords('Sent successfully', own)).toBe('delivered');
    expect(readStatusWords('Not sent successfully', own)).toBe('failed');
    expect(readStatusWords('In the outbox', own)).toBe('pending');
  });
});

describe('the reply itself is never a status', () => {
  it('a delivered reply that links to a "Not delivered FAQ" stays delivered', () => {
    const reply = withStatusText(
      'Delivered',
      'If it still does not arrive, see our <a href="https://help.example.com/not-delivered" aria-label="Not delivered FAQ">Not delivered FAQ</a>.',
    );
    expect(readOutboundStatus(reply, zendeskProfile)).toBe('delivered');
  });

  it('a reply with a failed-looking link and no status at all is unknown, not failed', () => {
    document.body.innerHTML = `
      <article data-test-id="omni-log-item-message" type="agent" data-message-id="m-2">
        <div data-test-id="omni-log-message-content">
          <a href="https://help.example.com/x" aria-label="Message failed to send">Why messages fail</a>
          <span data-test-id="status-failed-note">Sending failed? Read this.</span>
        </div>
      </article>`;
    expect(readOutboundStatus(document.querySelector('article') as Element, zendeskProfile)).toBe('unknown');
  });
});
