import type { Channel } from './channels';

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

/**
 * Meta Business Suite inbox URL for a conversation (`asset_id` = Page, `selected_item_id` =
 * PSID / IGSID). Messenger uses the "all" inbox, Instagram its own folder. Returns null
 * when there is no usable page id, since the inbox cannot be chosen without it.
 */
export function buildInboxLink(target: InboxTarget): InboxLink | null {
  const { channel, pageId, userId } = target;
  // WhatsApp conversations are not addressable by page and user id in the Business Suite inbox.
  if (channel === 'whatsapp') return null;
  if (!pageId || !META_ID.test(pageId)) return null;
  const folder = channel === 'instagram' ? 'instagram_direct' : 'all';
  const url = new URL(`${BUSINESS_SUITE}/${folder}`);
  url.searchParams.set('asset_id', pageId);
  const conversation = Boolean(userId && META_ID.test(userId));
  if (conversation && userId) url.searchParams.set('selected_item_id', userId);
  return { url: url.toString(), conversation };
}
