import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInboxLink } from '@/core/links';
import { CHANNELS } from '@/core/vocabulary';
import { HANDOFF_LABEL, type HandOffOutcome, handOffNotice } from '@/entrypoints/helpdesk.content/banner/wording';

// The link shape is the one public automation code uses to open Business Suite threads, e.g.
// `/latest/inbox/all/?asset_id=<PAGE>&mailbox_id=<PAGE>&selected_item_id=<PSID>&thread_type=FB_MESSAGE`
// and `…&thread_type=IG_MESSAGE` for Instagram (several independent projects; see core/links.ts).
const PAGE = '104857600123456';
const USER = '6120000000000042';
const inbox = (folder: string, query: string) => `https://business.facebook.com/latest/inbox/${folder}?${query}`;

describe('buildInboxLink', () => {
  it('opens the Messenger thread: asset and mailbox are the Page, FB_MESSAGE', () => {
    expect(buildInboxLink({ channel: 'messenger', pageId: PAGE, userId: USER })).toEqual({
      url: inbox('all', `asset_id=${PAGE}&mailbox_id=${PAGE}&selected_item_id=${USER}&thread_type=FB_MESSAGE`),
      conversation: true,
    });
  });

  it('opens the Instagram thread with IG_MESSAGE', () => {
    expect(buildInboxLink({ channel: 'instagram', pageId: PAGE, userId: USER })).toEqual({
      url: inbox('all', `asset_id=${PAGE}&mailbox_id=${PAGE}&selected_item_id=${USER}&thread_type=IG_MESSAGE`),
      conversation: true,
    });
  });

  it.each([
    ['no user id', undefined],
    ['an empty user id', ''],
    ['a non-numeric user id', 'jane.doe'],
    ['a user id carrying a second parameter', `${USER}&asset_id=1`],
  ])('falls back to the channel inbox (conversation: false) with %s', (_label, userId) => {
    expect(buildInboxLink({ channel: 'messenger', pageId: PAGE, userId })).toEqual({
      url: inbox('all', `asset_id=${PAGE}&mailbox_id=${PAGE}`),
      conversation: false,
    });
    expect(buildInboxLink({ channel: 'instagram', pageId: PAGE, userId })).toEqual({
      url: inbox('instagram_direct', `asset_id=${PAGE}&mailbox_id=${PAGE}`),
      conversation: false,
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['a page name', 'AcmeSupport'],
    ['numeric with an injected parameter', '1&x=2'],
    ['a javascript: URL', 'javascript:'],
    ['a javascript: URL with a payload', 'javascript:alert(1)'],
    ['numeric with a path', '123/../../evil'],
    ['numeric with a leading space', ' 123'],
    ['longer than any Meta id', '1'.repeat(26)],
  ])('refuses a page id that is %s', (_label, pageId) => {
    expect(buildInboxLink({ channel: 'messenger', pageId, userId: USER })).toBeNull();
    expect(buildInboxLink({ channel: 'instagram', pageId, userId: USER })).toBeNull();
  });

  it('never puts a hostile user id into the URL', () => {
    for (const userId of ['1&x=2', 'javascript:', '"><script>', '123#frag']) {
      const link = buildInboxLink({ channel: 'messenger', pageId: PAGE, userId });
      expect(link?.url).toBe(inbox('all', `asset_id=${PAGE}&mailbox_id=${PAGE}`));
      expect(link?.conversation).toBe(false);
    }
  });

  it('gives no link for WhatsApp, even with ids', () => {
    expect(buildInboxLink({ channel: 'whatsapp', pageId: PAGE, userId: USER })).toBeNull();
  });
});

const en = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>;

describe('handoff labels and notices', () => {
  it('every channel has its label, and WhatsApp says it copies rather than opens', () => {
    expect(CHANNELS.map((c) => en[HANDOFF_LABEL[c]]?.message)).toEqual([
      'Open in Messenger',
      'Open in Instagram inbox',
      'Copy reply (WhatsApp)',
    ]);
  });

  const whatsapp = { channel: 'whatsapp' as const, customerName: 'Dana Lee', userId: '4915112345678' };
  const copyOnly: HandOffOutcome = { ok: false, reason: 'copy-only' };

  it('WhatsApp: copied, with the customer and the number shown; never a Page id prompt', () => {
    expect(handOffNotice(copyOnly, whatsapp, true, 'page')).toEqual({ key: 'handoffWhatsappCopied', subs: ['Dana Lee (+4915112345678)'] });
    expect(handOffNotice(copyOnly, { channel: 'whatsapp', userId: '4915112345678' }, true, 'popup')).toEqual({
      key: 'handoffWhatsappCopied',
      subs: ['+4915112345678'],
    });
    expect(handOffNotice(copyOnly, { channel: 'whatsapp' }, true, 'page').key).toBe('handoffWhatsappCopiedNoName');
    expect(handOffNotice(copyOnly, whatsapp, false, 'page').key).toBe('handoffCopyFailed');
    // A Messenger-style id is not shown as a phone number.
    expect(handOffNotice(copyOnly, { channel: 'whatsapp', userId: '1'.repeat(20), customerName: 'Dana' }, true, 'page').subs).toEqual([
      'Dana',
    ]);
  });

  it('Messenger and Instagram: the Page id is asked for on the page only; the opened thread is to be checked', () => {
    const messenger = { channel: 'messenger' as const, customerName: 'Anna' };
    expect(handOffNotice({ ok: false, reason: 'no-page-id' }, messenger, true, 'page').key).toBe('handoffAskPageId');
    expect(handOffNotice({ ok: false, reason: 'no-page-id' }, messenger, true, 'popup').key).toBe('handoffNoPage');
    expect(handOffNotice({ ok: true, conversation: true }, messenger, true, 'page').key).toBe('handoffCopied');
    expect(en.handoffCopied?.message).toContain("Check that the conversation that opened is this customer's");
    expect(handOffNotice({ ok: true, conversation: false }, messenger, true, 'page')).toEqual({ key: 'handoffCopiedFind', subs: ['Anna'] });
    expect(handOffNotice({ ok: false, reason: 'not-allowed' }, messenger, true, 'page').key).toBe('retryClaimed');
  });
});
