import { describe, expect, it } from 'vitest';
import { classifySendError } from '@/core/failures/send-errors';
import { readFailureText, readMessage, readOutboundStatus } from '@/profiles/read';
import { zendeskProfile } from '@/profiles/zendesk';

// Outbound replies as the sandbox renders them (sandbox/public/app.js): the default markup
// mirrors Agent Workspace's omni-log vocabulary; the variants keep only one cue each.
function article(status: string, attrs = ''): Element {
  document.body.innerHTML = `
    <article data-test-id="omni-log-item-message" type="agent" data-message-id="m-101-a1" ${attrs}>
      <div class="log-item__head"><span data-test-id="omni-log-item-sender">Sam Rivera</span>
        <time datetime="2026-11-27T20:10:00.000Z">20:10</time></div>
      <div data-test-id="omni-log-message-content">Hi Anna, your parcel was not delivered yet: it failed to send from the depot.</div>
      ${status}
    </article>`;
  const element = document.querySelector('article');
  if (!element) throw new Error('fixture has no article');
  return element;
}

const DEFAULT_FAILED = `
  <div data-test-id="omni-log-message-status" data-status="failed">
    <span role="img" aria-label="Message failed to send" data-test-id="omni-log-message-failed-icon">!</span>
    <span data-test-id="omni-log-message-failed-label">Not delivered</span>
    <span class="msg-status__prefix">Error:</span>
    <span data-test-id="omni-log-message-error">Error code 2: (#2) Service temporarily unavailable</span></div>`;

const icon = (label: string, glyph = '!') =>
  `<div class="msg-status"><span role="img" aria-label="${label}" class="icon">${glyph}</span></div>`;
const text = (...parts: string[]) => `<div class="msg-status">${parts.map((p) => `<span>${p}</span>`).join(' ')}</div>`;

describe('readOutboundStatus: every marker variant, English and German', () => {
  it.each([
    ['default markup', () => article(DEFAULT_FAILED, 'data-delivery-status="failed"'), 'failed'],
    ['icon only, English', () => article(icon('Message failed to send')), 'failed'],
    ['icon only, German', () => article(icon('Nachricht konnte nicht gesendet werden')), 'failed'],
    ['icon only, delivered', () => article(icon('Delivered', '✓')), 'delivered'],
    ['icon only, German delivered', () => article(icon('Zugestellt', '✓')), 'delivered'],
    ['icon only, pending', () => article(icon('Sending…', '…')), 'pending'],
    ['text only, English', () => article(text('Not delivered', 'Error:', 'Error code 2: (#2) Service temporarily unavailable')), 'failed'],
    [
      'text only, German',
      () => article(text('Nicht zugestellt', 'Fehler:', 'Fehlercode 2: (#2) Dienst vorübergehend nicht verfügbar')),
      'failed',
    ],
    ['text only, delivered', () => article(text('Delivered')), 'delivered'],
    ['text only, German delivered', () => article(text('Zugestellt')), 'delivered'],
    ['text only, German pending', () => article(text('Wird gesendet …')), 'pending'],
  ])('%s', (_name, build, expected) => {
    expect(readOutboundStatus(build(), zendeskProfile)).toBe(expected);
  });

  it('never reads the reply itself as a status: a delivered reply that talks about failures stays delivered', () => {
    // The fixture's reply text says "not delivered" and "failed to send"; only the status counts.
    expect(readOutboundStatus(article(text('Delivered')), zendeskProfile)).toBe('delivered');
    expect(readOutboundStatus(article(''), zendeskProfile)).toBe('unknown');
  });

  it('keeps the message id and exact text whatever the marker', () => {
    const message = readMessage(article(icon('Message failed to send')), zendeskProfile);
    expect(message.messageId).toBe('m-101-a1');
    expect(message.text).toBe('Hi Anna, your parcel was not delivered yet: it failed to send from the depot.');
  });
});

describe('readFailureText: what the classifier gets from each variant', () => {
  it('default markup: label and detail, classified by code', () => {
    const uiText = readFailureText(article(DEFAULT_FAILED, 'data-delivery-status="failed"'), zendeskProfile);
    expect(uiText).toContain('Error code 2');
    expect(classifySendError({ uiText })).toMatchObject({ errorClass: 'provider_transient', code: 2 });
  });

  it('text only: the plain status text carries the code (English and German)', () => {
    const en = readFailureText(
      article(text('Not delivered', 'Error:', 'Error code 10, subcode 2018278: (#10) outside window')),
      zendeskProfile,
    );
    expect(en).toBe('Not delivered Error: Error code 10, subcode 2018278: (#10) outside window');
    expect(classifySendError({ uiText: en })).toMatchObject({ errorClass: 'policy_window', code: 10, subcode: 2018278 });
    const de = readFailureText(article(text('Nicht zugestellt', 'Fehler:', 'Fehlercode 551, Subcode 1545041: …')), zendeskProfile);
    expect(classifySendError({ uiText: de })).toMatchObject({ errorClass: 'recipient_unavailable', code: 551 });
  });

  it('icon only: the aria-label, never the reply text', () => {
    const uiText = readFailureText(article(icon('Nachricht konnte nicht gesendet werden')), zendeskProfile);
    expect(uiText).toBe('Nachricht konnte nicht gesendet werden');
    expect(uiText).not.toContain('depot');
  });
});

describe('attributesIn (what the content script observes)', () => {
  it('lists the attributes the profile reads, and class only when a selector uses one', async () => {
    const { attributesIn } = await import('@/entrypoints/helpdesk.content/page');
    expect(attributesIn(['[data-status="failed"]', 'time[datetime]', '[data-test-id^="omni"] [contenteditable="true"]']).sort()).toEqual(
      ['aria-label', 'contenteditable', 'data-status', 'data-test-id', 'datetime', 'role'].sort(),
    );
    expect(attributesIn(['.message-bubble.is-failed'])).toContain('class');
    expect(attributesIn(['[aria-label="a.b"]'])).not.toContain('class');
  });
});
