import type { HelpdeskProfile } from './profile';

// Sources (chatwoot/chatwoot, read 2026-11-27), abbreviated below:
//   M   = app/javascript/dashboard/components-next/message/Message.vue
//   B   = app/javascript/dashboard/components-next/message/bubbles/Base.vue
//   E   = app/javascript/dashboard/components-next/message/MessageError.vue
//   S   = app/javascript/dashboard/components-next/message/MessageStatus.vue (+ MessageMeta.vue)
//   F   = app/javascript/dashboard/components-next/message/bubbles/Text/FormattedContent.vue
//   L   = app/javascript/dashboard/components/widgets/conversation/Message.vue (legacy UI, still in older installs)
//   V   = app/javascript/dashboard/components/widgets/conversation/MessagesView.vue
//   R   = app/javascript/dashboard/components/widgets/WootWriter/ReplyBottomPanel.vue, WootWriter/Editor.vue
//   I   = app/javascript/dashboard/components/widgets/InboxName.vue, dashboard/helper/inbox.js
// Lists are newest UI first (components-next, 2024–2025), then the legacy UI (2021–2023).

/**
 * Chatwoot's agent dashboard. A failed outbound message is the ERROR variant of the bubble
 * (red background), followed by a "Failed to send" line with an alert icon and the provider's
 * error in a hover card; there is no data attribute for the status, so several cues are combined.
 */
export const chatwootProfile: HelpdeskProfile = {
  id: 'chatwoot',
  // Vue router path of a conversation: /app/accounts/<account>/conversations/<id>, also nested
  // under inbox/<n>/, label/<l>/, team/<n>/, custom_view/<n>/ and mentions/.
  ticketPath: /\/app\/accounts\/\d+\/(?:[^?#]*\/)?conversations\/(\d+)/,
  selectors: {
    log: [
      'ul.conversation-panel', // V: the scrolling message list
    ],
    message: [
      '.message-bubble-container[data-message-id]', // M: root div, id="message<id>" data-message-id
      'ul.conversation-panel > li.left, ul.conversation-panel > li.right', // L: <li :class="alignBubble">
    ],
    outbound: [
      '.message-bubble-container.justify-end[data-message-id]', // M: orientation RIGHT (agent or bot) → justify-end
      'ul.conversation-panel > li.right', // L: right = OUTGOING or TEMPLATE
    ],
    content: [
      '.prose-bubble', // F: <span v-dompurify-html class="prose prose-bubble">
      '.message-text__wrap', // L: bubble/Text.vue
    ],
    sender: [
      '.sender--available-name', // L: only tweets show a name; the new UI has avatars with tooltips only
    ],
    // S: <time class="inline"> has no datetime attribute, so the read time falls back to "now".
    time: ['time[datetime]'],
    viaLabel: [
      '.inbox--name', // I: header chip with the inbox's (agent-chosen) name beside its channel icon
    ],
    composer: [
      '.reply-box .ProseMirror-woot-style[contenteditable="true"]', // R: ProseMirror editor of the reply box
      '.reply-box [contenteditable="true"]',
    ],
    sendButton: [
      '.reply-box .right-wrap button', // R: <div class="right-wrap"><woot-button>{{ sendButtonText }}</woot-button>
      '.reply-box button[type="submit"]',
    ],
    failedMarker: [
      '[class~="bg-n-ruby-4"]', // B: MESSAGE_VARIANTS.ERROR → 'bg-n-ruby-4 text-n-ruby-12' (status === 'failed')
      '[class~="i-lucide-alert-triangle"]', // E: <Icon icon="i-lucide-alert-triangle"> beside "Failed to send"
      '.is-failed', // L: wrapClass / bubbleClass 'is-failed'
      '.message-failed--alert', // L: retry button block of a failed message
    ],
    deliveredMarker: [
      '[class~="i-lucide-check-check"]', // S: DELIVERED and READ
      '[class~="i-lucide-check"]', // S: SENT (the provider accepted it; Messenger rarely reports delivery)
    ],
    errorDetail: [
      '[class~="text-n-ruby-11"] [class~="group-hover:visible"]', // E: hover card holding contentAttributes.externalError
    ],
    statusText: [
      '[class~="text-n-ruby-11"] > span', // E: <span>{{ t('CHAT_LIST.FAILED_TO_SEND') }}</span>
      '[aria-label]',
      '[title]',
    ],
  },
  labels: {
    // CHAT_LIST.FAILED_TO_SEND, CHAT_LIST.SENT/DELIVERED/SENDING and CONVERSATION.SEND_FAILED in
    // dashboard/i18n/locale/{en,de}; German strings vary by release, so both common wordings are listed.
    failed: ['failed to send', 'send failed', "couldn't send", 'senden fehlgeschlagen', 'konnte nicht gesendet werden', 'nicht gesendet'],
    delivered: ['delivered successfully', 'sent successfully', 'erfolgreich gesendet', 'zugestellt'],
    pending: ['sending', 'wird gesendet'],
    // I: inbox names are free text; Channel::FacebookPage / Channel::Instagram are the inbox types.
    channel: {
      messenger: ['channel::facebookpage', 'messenger', 'facebook'],
      instagram: ['channel::instagram', 'instagram'],
      whatsapp: ['channel::whatsapp', 'whatsapp'],
    },
  },
};
