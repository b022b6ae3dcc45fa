import { describe, expect, it } from 'vitest';
import { HUMAN_AGENT_WINDOW_MS, messagingWindow, STANDARD_WINDOW_MS } from '@/core/failures/messaging-window';
import { readLastCustomerMessageAt } from '@/profiles/read';
import { zendeskProfile } from '@/profiles/zendesk';

const T = Date.UTC(2023, 10, 16, 20, 10);
const H = 3600_000;

describe('messagingWindow', () => {
  it('is open for 24 hours after the customer wrote', () => {
    expect(messagingWindow('messenger', T, T + 23 * H)).toEqual({ kind: 'open', closesAt: T + STANDARD_WINDOW_MS });
  });

  it('leaves a human agent 7 days on Messenger and Instagram', () => {
    for (const channel of ['messenger', 'instagram'] as const) {
      expect(messagingWindow(channel, T, T + 3 * 24 * H)).toEqual({
        kind: 'human_agent',
        closedAt: T + STANDARD_WINDOW_MS,
        humanAgentUntil: T + HUMAN_AGENT_WINDOW_MS,
      });
    }
  });

  it('is closed after 7 days, and after 24 hours on WhatsApp', () => {
    expect(messagingWindow('messenger', T, T + HUMAN_AGENT_WINDOW_MS)).toEqual({ kind: 'closed', closedAt: T + STANDARD_WINDOW_MS });
    expect(messagingWindow('whatsapp', T, T + 25 * H)).toEqual({ kind: 'closed', closedAt: T + STANDARD_WINDOW_MS });
  });

  it('says nothing when the last message time is unknown', () => {
    expect(messagingWindow('messenger', null, T)).toBeNull();
    expect(messagingWindow('messenger', Number.NaN, T)).toBeNull();
  });
});

describe('readLastCustomerMessageAt', () => {
  it('takes the newest end-user message and ignores the agent’s', () => {
    // Mirrors the sandbox's Agent Workspace log (omni-log-* data-test-ids).
    document.body.innerHTML = `
      <div data-test-id="omni-log-container">
        <article data-test-id="omni-log-item-message" type="end-user"><time datetime="2023-11-16T18:00:00Z"></time></article>
        <article data-test-id="omni-log-item-message" type="end-user"><time datetime="2023-11-16T19:30:00Z"></time></article>
        <article data-test-id="omni-log-item-message" type="agent"><time datetime="2023-11-16T20:05:00Z"></time></article>
      </div>`;
    expect(readLastCustomerMessageAt(document, zendeskProfile)).toBe(Date.UTC(2023, 10, 16, 19, 30));
  });

  it('is null when no customer message has a time', () => {
    document.body.innerHTML =
      '<div data-test-id="omni-log-container"><article data-test-id="omni-log-item-message" type="end-user"></article></div>';
    expect(readLastCustomerMessageAt(document, zendeskProfile)).toBeNull();
  });
});
