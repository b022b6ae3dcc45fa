import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, loadSettings, pageIdFor, saveSettings, settingsItem } from '@/core/settings/settings';
import { customProfileForTab } from '@/entrypoints/background/page-setup';
import { chatwootProfile } from '@/profiles/chatwoot';
import { customProfileFrom, type ProfileIssue, parseCustomProfile } from '@/profiles/custom-profile';
import type { SelectorCheck } from '@/profiles/profile';
import { readChannel, readFailureText, readMessage, readOutboundStatus, readTicketId } from '@/profiles/read';
import { browserSelectorCheck, builtInProfileFor, toHelpdeskProfile } from '@/profiles/resolve';
import { countProfileSelectors } from '@/profiles/selector-counts';
import { zendeskProfile } from '@/profiles/zendesk';
import { agentMessage, contactMessage, conversationPage, legacyFailedMessage } from '../fixtures/chatwoot-html';

function fixture(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html; // Test fixture written here, not page data.
  return root;
}

function only(root: ParentNode, selector: string): Element {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`fixture has no ${selector}`);
  return found;
}

/** English text of an issue, to assert on (the options page words issues through i18n). */
function describeIssue(issue: ProfileIssue): string {
  const at = issue.path ? `${issue.path}: ` : '';
  switch (issue.kind) {
    case 'invalid_json':
      return `Not valid JSON: ${issue.detail}`;
    case 'unknown_key':
      return `${at}unknown key "${issue.detail}"${issue.allowed?.length ? ` (allowed: ${issue.allowed.join(', ')})` : ''}`;
    case 'invalid_selector':
      return `${at}not a valid CSS selector: ${issue.detail}`;
    case 'invalid_regex':
      return `${at}not a valid regular expression: ${issue.detail}`;
    case 'regex_no_group':
      return `${at}needs one capturing group (…) around the ticket id, e.g. "/tickets/(\\\\d+)"`;
    case 'no_failure_cue':
      return `${at}give at least one failure cue: a failedMarker selector, or statusText selectors`;
    case 'invalid_value':
      return `${at}${issue.detail}`;
  }
}

const ERROR_DETAIL = '(#2) Service temporarily unavailable';

describe('chatwoot profile', () => {
  it('reads the conversation id from every dashboard route', () => {
    expect(readTicketId('/app/accounts/1/conversations/4711', chatwootProfile)).toBe('4711');
    expect(readTicketId('/app/accounts/12/inbox/3/conversations/88', chatwootProfile)).toBe('88');
    expect(readTicketId('/app/accounts/12/label/vip/conversations/89', chatwootProfile)).toBe('89');
    expect(readTicketId('/app/accounts/12/mentions/conversations/90', chatwootProfile)).toBe('90');
    expect(readTicketId('/app/accounts/12/dashboard', chatwootProfile)).toBeNull();
  });

  it('reads the channel from the inbox name beside the header', () => {
    expect(readChannel(fixture(conversationPage('Facebook Messenger · Acme', [])), chatwootProfile)).toBe('messenger');
    expect(readChannel(fixture(conversationPage('Instagram · acme.shop', [])), chatwootProfile)).toBe('instagram');
    expect(readChannel(fixture(conversationPage('Support mailbox', [])), chatwootProfile)).toBe('other');
  });

  it('tells the agent’s replies from the customer’s and reads their text', () => {
    const root = fixture(
      conversationPage('Facebook · Acme', [contactMessage(1, 'Where is my order?'), agentMessage(2, 'On its way!', 'delivered')]),
    );
    const [incoming, outgoing] = root.querySelectorAll(chatwootProfile.selectors.message.join(','));
    expect(readMessage(incoming as Element, chatwootProfile)).toMatchObject({
      outbound: false,
      messageId: '1',
      text: 'Where is my order?',
    });
    expect(readMessage(outgoing as Element, chatwootProfile)).toMatchObject({ outbound: true, messageId: '2', text: 'On its way!' });
  });

  it('spots a failed reply and reads the provider’s error', () => {
    const element = only(fixture(agentMessage(3, 'Sorry for the wait', 'failed', ERROR_DETAIL)), '.message-bubble-container');
    expect(readOutboundStatus(element, chatwootProfile)).toBe('failed');
    expect(readFailureText(element, chatwootProfile)).toBe(`Failed to send — ${ERROR_DETAIL}`);
  });

  it('still spots a failure when only one cue survives a redesign', () => {
    // Only the "Failed to send" label (classes renamed)…
    const labelOnly = fixture(
      `<div class="message-bubble-container justify-end" data-message-id="4"><span class="prose-bubble"><p>Hi</p></span>
        <div class="text-n-ruby-11"><span>Failed to send</span></div></div>`,
    );
    expect(readOutboundStatus(only(labelOnly, '.message-bubble-container'), chatwootProfile)).toBe('failed');
    // …or only the ERROR variant's red bubble (no externalError, so no MessageError line).
    const variantOnly = fixture(
      `<div class="message-bubble-container justify-end" data-message-id="5"><div class="text-sm bg-n-ruby-4 text-n-ruby-12 right-bubble"><span class="prose-bubble"><p>Hi</p></span></div></div>`,
    );
    expect(readOutboundStatus(only(variantOnly, '.message-bubble-container'), chatwootProfile)).toBe('failed');
    // The German label alone.
    const german = fixture(
      `<div class="message-bubble-container justify-end" data-message-id="6"><span class="prose-bubble"><p>Hallo</p></span><div class="text-n-ruby-11"><span>Senden fehlgeschlagen</span></div></div>`,
    );
    expect(readOutboundStatus(only(german, '.message-bubble-container'), chatwootProfile)).toBe('failed');
  });

  it('reads delivered and sent ticks as delivered, and an in-progress reply as neither', () => {
    const status = (s: 'progress' | 'sent' | 'delivered') =>
      readOutboundStatus(only(fixture(agentMessage(7, 'x', s)), '.message-bubble-container'), chatwootProfile);
    expect(status('delivered')).toBe('delivered');
    expect(status('sent')).toBe('delivered');
    expect(status('progress')).toBe('unknown');
  });

  it('reads the legacy dashboard’s failed bubble', () => {
    const element = only(fixture(legacyFailedMessage), 'li.right');
    expect(readMessage(element, chatwootProfile)).toMatchObject({ outbound: true, text: 'Legacy reply' });
    expect(readOutboundStatus(element, chatwootProfile)).toBe('failed');
  });

  it('finds the log, messages, composer and send button on a conversation', () => {
    const root = fixture(conversationPage('Facebook · Acme', [contactMessage(1, 'Hi'), agentMessage(2, 'Hello', 'delivered')]));
    const counts = new Map<string, number>();
    for (const row of countProfileSelectors(root, chatwootProfile)) counts.set(row.group, (counts.get(row.group) ?? 0) + row.count);
    expect(counts.get('log')).toBe(1);
    expect(counts.get('message')).toBe(2);
    expect(counts.get('outbound')).toBe(1);
    expect(counts.get('composer')).toBeGreaterThan(0);
    expect(counts.get('sendButton')).toBe(1);
  });
});

// happy-dom's parser here, Chromium's in the extension: both reject the selectors used below.
const checkSelector: SelectorCheck = browserSelectorCheck;

function goodProfileJson(patch: (profile: Record<string, unknown>) => void = () => undefined): string {
  const profile = customProfileFrom(zendeskProfile) as unknown as Record<string, unknown>;
  patch(profile);
  return JSON.stringify(profile);
}

function messagesOf(text: string): string[] {
  const result = parseCustomProfile(text, checkSelector);
  return result.ok ? [] : result.issues.map(describeIssue);
}

describe('custom profile', () => {
  it('accepts a complete profile and reads pages with it', () => {
    const result = parseCustomProfile(goodProfileJson(), checkSelector);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    // The profile the tab reads pages with (the content script builds it from the worker's parsed profile).
    const helpdesk = toHelpdeskProfile(result.profile);
    expect(helpdesk.id).toBe('custom');
    expect(readTicketId('/agent/tickets/101', helpdesk)).toBe('101');
    expect(helpdesk.selectors.failedMarker).toEqual(zendeskProfile.selectors.failedMarker);
  });

  it('fills optional lists and lowercases labels so they match the page', () => {
    const minimal = {
      ticketPath: '/tickets/(\\d+)',
      selectors: {
        log: ['.log'],
        message: ['.msg'],
        outbound: ['.msg.out'],
        content: ['.body'],
        viaLabel: ['.via'],
        composer: ['[contenteditable]'],
        sendButton: ['button.send'],
        statusText: ['.status'],
      },
      labels: { failed: ['Not Delivered'] },
    };
    const result = parseCustomProfile(JSON.stringify(minimal), checkSelector);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const helpdesk = toHelpdeskProfile(result.profile);
    expect(helpdesk.labels.failed).toEqual(['not delivered']);
    expect(helpdesk.labels.channel.messenger).toContain('messenger');
    expect(helpdesk.selectors.failedMarker).toEqual([]);
  });

  it('says where JSON is broken', () => {
    const [message] = messagesOf('{"ticketPath": "/t/(\\\\d+)", "selectors": {');
    expect(message).toMatch(/^Not valid JSON: /);
  });

  it('names unknown keys and the keys allowed there', () => {
    const messages = messagesOf(
      goodProfileJson((p) => {
        (p.selectors as Record<string, unknown>).failedMarkers = ['.x'];
        p.colour = 'red';
      }),
    );
    expect(messages).toContain('unknown key "colour" (allowed: ticketPath, selectors, workspaceTicketAttributes, labels)');
    expect(messages.some((m) => m.startsWith('selectors: unknown key "failedMarkers" (allowed: log, message, outbound,'))).toBe(true);
  });

  it('points at the exact selector that is not valid CSS', () => {
    const messages = messagesOf(
      goodProfileJson((p) => {
        (p.selectors as Record<string, string[]>).failedMarker = ['[data-status="failed"]', '[data-status="failed"] >> .icon'];
      }),
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^selectors\.failedMarker\[1\]: not a valid CSS selector: \S/);
  });

  it('rejects a ticket path that is not a regular expression, or has no group for the id', () => {
    const withPath = (ticketPath: string) =>
      goodProfileJson((p) => {
        p.ticketPath = ticketPath;
      });
    expect(messagesOf(withPath('/tickets/(\\d+'))).toEqual([expect.stringMatching(/^ticketPath: not a valid regular expression: /)]);
    expect(messagesOf(withPath('/tickets/\\d+'))).toEqual([expect.stringMatching(/^ticketPath: needs one capturing group/)]);
  });

  it('lists every problem at once, structural and not', () => {
    const messages = messagesOf(
      goodProfileJson((p) => {
        p.ticketPath = '/tickets/(\\d+';
        const selectors = p.selectors as Record<string, unknown>;
        selectors.log = '.log';
        selectors.composer = ['div >> [contenteditable]'];
      }),
    );
    expect(messages).toHaveLength(3);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^selectors\.log: /),
        expect.stringMatching(/^ticketPath: not a valid regular expression: /),
        expect.stringMatching(/^selectors\.composer\[0\]: not a valid CSS selector: /),
      ]),
    );
  });

  it('names missing and mistyped fields', () => {
    const messages = messagesOf(
      goodProfileJson((p) => {
        const selectors = p.selectors as Record<string, unknown>;
        delete selectors.composer;
        selectors.log = '.log';
      }),
    );
    expect(messages).toContain('selectors.composer: missing (expected array)');
    expect(messages.some((m) => m.startsWith('selectors.log: '))).toBe(true);
  });

  it('refuses a profile that could never see a failure', () => {
    const messages = messagesOf(
      goodProfileJson((p) => {
        const selectors = p.selectors as Record<string, unknown>;
        selectors.failedMarker = [];
        selectors.statusText = [];
      }),
    );
    expect(messages).toEqual([expect.stringMatching(/^selectors\.failedMarker: give at least one failure cue/)]);
  });
});

// The content script's choice (entrypoints/helpdesk.content/index.tsx): a built-in profile by the
// setting and the path, or the custom profile the worker parsed (entrypoints/background/page-setup.ts).
describe('choose profile', () => {
  it('auto: Zendesk anywhere in Agent Workspace, Chatwoot anywhere in the dashboard, nothing elsewhere', () => {
    expect(builtInProfileFor('auto', '/agent/tickets/101')).toBe(zendeskProfile);
    // A list view first; the ticket opens by history navigation later.
    expect(builtInProfileFor('auto', '/agent/dashboard')).toBe(zendeskProfile);
    expect(builtInProfileFor('auto', '/app/accounts/1/conversations/7')).toBe(chatwootProfile);
    expect(builtInProfileFor('auto', '/app/accounts/1/inbox/3')).toBe(chatwootProfile);
    expect(builtInProfileFor('auto', '/')).toBeNull();
    expect(builtInProfileFor('auto', '/agents/tickets/1')).toBeNull();
  });

  it('an explicit choice wins over the path', () => {
    expect(builtInProfileFor('zendesk', '/app/accounts/1/conversations/7')).toBe(zendeskProfile);
    expect(builtInProfileFor('chatwoot', '/agent/tickets/1')).toBe(chatwootProfile);
  });

  it('custom: used when valid, refused with its problems when not', () => {
    const good = parseCustomProfile(goodProfileJson(), checkSelector);
    expect(good.ok && toHelpdeskProfile(good.profile).id).toBe('custom');
    const bad = parseCustomProfile('{', checkSelector);
    expect(bad).toMatchObject({ ok: false, issues: [{ kind: 'invalid_json' }] });
  });
});

describe('settings', () => {
  it('falls back to automatic profile choice and safe defaults when nothing is stored', async () => {
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS).toMatchObject({ profile: 'auto', autoRetry: false, pageMappings: [] });
    expect(DEFAULT_SETTINGS.retention).toEqual({ doneMs: 24 * 3600_000, maxAgeMs: 7 * 24 * 3600_000, tombstoneMs: 90 * 24 * 3600_000 });
  });

  it('keeps what was saved, with its version', async () => {
    await saveSettings({ ...DEFAULT_SETTINGS, profile: 'custom', customProfile: '{"x":1}' });
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, profile: 'custom', customProfile: '{"x":1}' });
    expect(await settingsItem.getMeta()).toMatchObject({ v: 3 });
  });

  it('migrates a version 1 value (profile only), keeping the choice and adding the new defaults', async () => {
    await fakeBrowser.storage.local.set({ settings: { profile: 'custom', customProfile: '{"y":2}' }, settings$: { v: 1 } });
    // Migrations run when the extension starts; here the item was defined before the v1 value existed.
    await settingsItem.migrate();
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, profile: 'custom', customProfile: '{"y":2}' });
    expect(await settingsItem.getMeta()).toMatchObject({ v: 3 });
  });

  it('reads a value stored without version metadata as version 1 and migrates it', async () => {
    await fakeBrowser.storage.local.set({ settings: { profile: 'chatwoot' } });
    await settingsItem.migrate();
    expect(await loadSettings()).toEqual({ ...DEFAULT_SETTINGS, profile: 'chatwoot' });
  });

  it('uses the defaults instead of a damaged value', async () => {
    await fakeBrowser.storage.local.set({ settings: { profile: 'freshdesk' }, settings$: { v: 2 } });
    expect(await loadSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('finds a Page id from the mapping when the ticket has none', () => {
    const settings = {
      ...DEFAULT_SETTINGS,
      pageMappings: [{ helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger' as const, pageId: '104857600123456' }],
    };
    expect(pageIdFor(settings, { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger' })).toBe('104857600123456');
    expect(pageIdFor(settings, { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'instagram' })).toBeUndefined();
    expect(pageIdFor(settings, { helpdeskOrigin: 'https://acme.zendesk.com', channel: 'messenger', pageId: '1' })).toBe('1');
  });
});

// After "settings": that describe reads the version WXT writes when the settings item is first used in this file.
describe('the custom profile the worker gives a helpdesk tab', () => {
  it('is the checked profile, or says why there is none', async () => {
    await saveSettings({ ...DEFAULT_SETTINGS, profile: 'custom', customProfile: goodProfileJson() });
    const answer = await customProfileForTab();
    expect(answer.ok && toHelpdeskProfile(answer.profile).id).toBe('custom');
    await saveSettings({ ...DEFAULT_SETTINGS, profile: 'custom' });
    expect(await customProfileForTab()).toEqual({ ok: false, reason: 'no-custom-profile' });
    await saveSettings({ ...DEFAULT_SETTINGS, profile: 'custom', customProfile: '{' });
    expect(await customProfileForTab()).toEqual({ ok: false, reason: 'invalid-custom-profile' });
  });
});
