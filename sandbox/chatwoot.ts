// A Chatwoot-like conversation page, rendered with the markup of Chatwoot's dashboard
// (chatwoot/chatwoot app/javascript/dashboard/components-next/message/Message.vue, bubbles/Base.vue,
// MessageError.vue, MessageMeta.vue; components/widgets/conversation/MessagesView.vue, ReplyBox,
// WootWriter/ReplyBottomPanel.vue, InboxName.vue; read 2026-11-27). The conversation is a sandbox
// ticket: replies go through the same reply API, fake Graph Send API and mode as the Zendesk page.
import { esc } from './pages.js';
import { AGENT_NAME } from './tickets.js';
import type { Lang, Ticket } from './types.js';

export const CHATWOOT_ACCOUNT_ID = 1;

const UI: Record<Lang, Record<'conversations' | 'reply' | 'note' | 'placeholder' | 'send', string>> = {
  en: {
    conversations: 'Conversations',
    reply: 'Reply',
    note: 'Private Note',
    placeholder: 'Shift + enter for new line…',
    send: 'Send (⌘ + ↵)',
  },
  de: {
    conversations: 'Gespräche',
    reply: 'Antworten',
    note: 'Private Notiz',
    placeholder: 'Umschalt + Eingabe für neue Zeile …',
    send: 'Senden (⌘ + ↵)',
  },
};

/** The inbox's name as an agent would set it up; Chatwoot shows it beside the channel icon. */
export function inboxName(ticket: Ticket): string {
  if (ticket.channel === 'facebook') return `Facebook Messenger · ${ticket.pageName ?? ''}`;
  if (ticket.channel === 'instagram') return `Instagram · ${ticket.pageName ?? ''}`;
  return 'Email · Support';
}

/** Chatwoot's inbox type for the conversation's channel (dashboard/helper/inbox.js INBOX_TYPES). */
function channelType(ticket: Ticket): string {
  if (ticket.channel === 'facebook') return 'Channel::FacebookPage';
  if (ticket.channel === 'instagram') return 'Channel::Instagram';
  return 'Channel::Email';
}

export function chatwootConversationPath(ticketId: number): string {
  return `/app/accounts/${CHATWOOT_ACCOUNT_ID}/conversations/${ticketId}`;
}

export function chatwootPage(ticket: Ticket, lang: Lang, allTickets: Ticket[]): string {
  const t = UI[lang];
  const list = allTickets
    .map(
      (other) =>
        `<a class="cw-card${other.id === ticket.id ? ' cw-card--active' : ''}" href="${chatwootConversationPath(other.id)}">` +
        `<span class="cw-card__name">${esc(other.customer.name)}</span><span class="cw-card__inbox">${esc(inboxName(other))}</span></a>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(ticket.customer.name)} – Chatwoot</title>
<link rel="stylesheet" href="/public/chatwoot.css">
</head>
<body data-ticket-id="${ticket.id}" data-channel-type="${channelType(ticket)}" data-agent-name="${esc(AGENT_NAME)}">
<div id="app" class="app-wrapper">
  <aside class="cw-list" aria-label="${t.conversations}">
    <h2>${t.conversations}</h2>
    ${list}
  </aside>
  <section class="conversation-details-wrap">
    <div class="conversation-header">
      <span class="cw-avatar" aria-hidden="true">${esc(ticket.customer.name.charAt(0))}</span>
      <div>
        <h3 class="cw-contact-name">${esc(ticket.customer.name)}</h3>
        <div class="inbox--name inline-flex items-center text-xs"><span class="cw-inbox-icon" aria-hidden="true"></span>${esc(inboxName(ticket))}</div>
      </div>
    </div>
    <div class="view-box fill-height">
      <ul class="conversation-panel px-4 bg-n-background"></ul>
      <div class="conversation-footer">
        <div class="reply-box">
          <div class="reply-box__top">
            <div class="cw-modes" role="tablist"><span class="cw-mode cw-mode--active" role="tab" aria-selected="true">${t.reply}</span><span class="cw-mode" role="tab" aria-selected="false">${t.note}</span></div>
            <div class="editor-root">
              <div class="ProseMirror ProseMirror-woot-style" contenteditable="true" role="textbox" aria-multiline="true" data-placeholder="${esc(t.placeholder)}"></div>
            </div>
          </div>
          <div class="bottom-box">
            <div class="left-wrap"></div>
            <div class="right-wrap"><button type="button" class="button small">${esc(t.send)}</button></div>
          </div>
        </div>
      </div>
    </div>
  </section>
</div>
<script type="module" src="/public/chatwoot.js"></script>
</body>
</html>
`;
}
