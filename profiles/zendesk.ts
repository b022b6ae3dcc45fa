import type { HelpdeskProfile } from './profile';

/**
 * Zendesk Agent Workspace. The `omni-*` data-test-ids were seen in Agent Workspace's
 * conversation log (2024–2026); how a failed outbound message is marked is not public, so
 * failure is read from several independent cues, never from one class name.
 */
export const zendeskProfile: HelpdeskProfile = {
  id: 'zendesk',
  ticketPath: /\/agent\/tickets\/(\d+)/,
  selectors: {
    log: ['[data-test-id="omni-log-container"]'],
    message: ['[data-test-id="omni-log-item-message"]'],
    outbound: ['[data-test-id="omni-log-item-message"][type="agent"]'],
    content: ['[data-test-id="omni-log-message-content"]'],
    sender: ['[data-test-id="omni-log-item-sender"]'],
    time: ['time[datetime]'],
    viaLabel: ['[data-test-id="omni-header-via-label"]'],
    composer: ['[data-test-id^="omnicomposer-"][contenteditable="true"]', '[data-test-id^="omnicomposer-"] [contenteditable="true"]'],
    sendButton: ['[data-test-id="omnichannel-send-button"]', 'button[data-test-id="submit_button"]'],
    failedMarker: [
      '[data-delivery-status="failed"]',
      '[data-status="failed"]',
      '[data-test-id*="failed"]',
      '[data-test-id*="error"][role="img"]',
    ],
    deliveredMarker: ['[data-delivery-status="delivered"]', '[data-status="delivered"]'],
    errorDetail: ['[data-test-id="omni-log-message-error"]', '[data-test-id*="error"]', '[role="alert"]'],
    // Agent Workspace's composer has Public reply / Internal note tabs; these ids are the sandbox's,
    // the real ones are not public (2026-11): a custom profile can supply them.
    internalNoteMode: ['[data-test-id="omnicomposer-mode-internal"]', '[data-test-id="omnichannel-channel-switcher-internal-note"]'],
    publicReplyMode: ['[data-test-id="omnicomposer-mode-public"]'],
    statusText: ['[role="img"][aria-label]', '[aria-label]', '[data-test-id*="status"]', '[data-test-id*="failed"]'],
    // One open ticket's header, log and composer; every open ticket stays mounted, the inactive ones
    // hidden. Seen in a public Agent Workspace userscript (holatuwol/liferay-zendesk-userscript,
    // src/main.ts, 2025-08: `div[data-side-conversations-anchor-id="<ticket id>"]`).
    workspace: ['[data-side-conversations-anchor-id]'],
    // Zendesk help: a failed social message shows "an error in the upper-right portion of the agent
    // interface". Garden's Notification is `role="alert"` (zendeskgarden/react-components, notifications).
    toast: ['[data-garden-id="notifications.notification"]', '[role="alert"]'],
  },
  workspaceTicketAttributes: ['data-side-conversations-anchor-id'],
  labels: {
    // The shared English and German status words (status-words.ts) cover Agent Workspace's; these add none.
    failed: [],
    delivered: [],
    pending: [],
    channel: {
      messenger: ['facebook messenger', 'messenger', 'facebook'],
      instagram: ['instagram'],
      whatsapp: ['whatsapp'],
    },
  },
  ticketApiPath: (ticketId) => `/api/v2/tickets/${encodeURIComponent(ticketId)}.json`,
  defaultTicketPath: (ticketId) => `/agent/tickets/${encodeURIComponent(ticketId)}`,
};
