import { describe, expect, it } from 'vitest';
import { buildInboxLink } from '@/utils/links';

const PAGE = '104857600123456';
const USER = '6120000000000042';

describe('buildInboxLink', () => {
  it('opens the Messenger conversation in the Business Suite "all" inbox', () => {
    expect(buildInboxLink({ channel: 'messenger', pageId: PAGE, userId: USER })).toEqual({
      url: `https://business.facebook.com/latest/inbox/all?asset_id=${PAGE}&selected_item_id=${USER}`,
      conversation: true,
    });
  });

  it('opens an Instagram conversation in the instagram_direct folder', () => {
    expect(buildInboxLink({ channel: 'instagram', pageId: PAGE, userId: USER })).toEqual({
      url: `https://business.facebook.com/latest/inbox/instagram_direct?asset_id=${PAGE}&selected_item_id=${USER}`,
      conversation: true,
    });
  });

  it.each([
    ['no user id', undefined],
    ['an empty user id', ''],
    ['a non-numeric user id', 'jane.doe'],
    ['a user id carrying a second parameter', `${USER}&asset_id=1`],
  ])('falls back to the page inbox (conversation: false) with %s', (_label, userId) => {
    expect(buildInboxLink({ channel: 'messenger', pageId: PAGE, userId })).toEqual({
      url: `https://business.facebook.com/latest/inbox/all?asset_id=${PAGE}`,
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
      expect(link?.url).toBe(`https://business.facebook.com/latest/inbox/all?asset_id=${PAGE}`);
      expect(link?.conversation).toBe(false);
    }
  });

  it('gives no link for WhatsApp, even with ids', () => {
    expect(buildInboxLink({ channel: 'whatsapp', pageId: PAGE, userId: USER })).toBeNull();
  });
});
