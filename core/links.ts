import type { Channel } from './schemas';

export interface InboxTarget {
  channel: Channel;
  pageId?: string | undefined;
  userId?: string | undefined;
}

export interface InboxLink {
  url: string;
  /** false when only the page's inbox can be opened and the agent must find the customer. */
  conversation: boolean;
}

const BUSINESS_SUITE = 'https://business.facebook.com/latest/inbox';
// Meta ids are numeric strings; anything else is refused rather than put into a URL.
const META_ID = /^\d{1,25}$/;

/** Business Suite's thread type per channel, as its own thread links carry it. */
const THREAD_TYPE: Record<Exclude<Channel, 'whatsapp'>, string> = { messenger: 'FB_MESSAGE', instagram: 'IG_MESSAGE' };

/**
 * Meta Business Suite inbox URL for a conversation. Public automation code that opens Business Suite
 * threads builds `/latest/inbox/all?asset_id=<Page>&mailbox_id=<Page>&selected_item_id=<PSID>&thread_type=FB_MESSAGE`
 * (`IG_MESSAGE` for Instagram); without a customer id the channel's inbox opens (`all`, or Instagram's
 * `instagram_direct` folder, as such code also uses) and the agent finds the customer there. Returns null
 * when there is no usable Page id, and for WhatsApp: no public code opens a WhatsApp conversation this way
 * (one links a bare `/latest/inbox/whatsapp`, which only holds numbers on the WhatsApp Business app, not
 * the Cloud API numbers helpdesks use), so a WhatsApp reply is copied, never sent to a page that cannot
 * show it.
 */
export function buildInboxLink(target: InboxTarget): InboxLink | null {
  const { channel, pageId, userId } = target;
  if (channel === 'whatsapp') return null;
  if (!pageId || !META_ID.test(pageId)) return null;
  const conversation = Boolean(userId && META_ID.test(userId));
  const url = new URL(`${BUSINESS_SUITE}/${conversation || channel === 'messenger' ? 'all' : 'instagram_direct'}`);
  url.searchParams.set('asset_id', pageId);
  url.searchParams.set('mailbox_id', pageId);
  if (conversation && userId) {
    url.searchParams.set('selected_item_id', userId);
    url.searchParams.set('thread_type', THREAD_TYPE[channel]);
  }
  return { url: url.toString(), conversation };
}
