// Chatwoot-like conversation (ES module): renders messages with the markup of Chatwoot's
// components-next/message (Message.vue, bubbles/Base.vue, MessageMeta.vue, MessageStatus.vue,
// MessageError.vue), keeps it live over the sandbox's SSE, and runs a ProseMirror-like composer.
// Untrusted text only ever goes through textContent / createElement, never innerHTML.
const LABELS = {
  // CHAT_LIST.FAILED_TO_SEND and friends, as Chatwoot's dashboard i18n words them.
  en: {
    failed: 'Failed to send',
    timeout: 'Request timed out',
    errorCode: 'Error code',
    subcode: 'subcode',
    sendFailed: 'Could not reach the server.',
  },
  de: {
    failed: 'Senden fehlgeschlagen',
    timeout: 'Zeitüberschreitung der Anfrage',
    errorCode: 'Fehlercode',
    subcode: 'Subcode',
    sendFailed: 'Server nicht erreichbar.',
  },
};

const lang = document.documentElement.lang === 'de' ? 'de' : 'en';
const L = LABELS[lang];
const ticketId = document.body.dataset.ticketId;
const agentName = document.body.dataset.agentName || '';
const api = `/api/sandbox/tickets/${ticketId}`;
const list = document.querySelector('ul.conversation-panel');
const composer = document.querySelector('.reply-box .ProseMirror-woot-style');
const sendButton = document.querySelector('.reply-box .right-wrap button');

let draft = '';
const versions = new Map();

function el(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
  for (const child of children || []) node.append(child);
  return node;
}

function errorDetail(error) {
  if (!error) return '';
  if (error.timedOut) return L.timeout;
  if (error.code === null || error.code === undefined) return error.message;
  const sub = error.subcode !== null && error.subcode !== undefined ? `, ${L.subcode} ${error.subcode}` : '';
  return `${L.errorCode} ${error.code}${sub}: ${error.message}`;
}

// messageTimestamp(createdAt, 'LLL d, h:mm a')
function readableTime(iso) {
  return new Date(iso).toLocaleString(lang === 'de' ? 'de-DE' : 'en-US', {
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  });
}

// Chatwoot's MessageFormatter turns the text into paragraphs; line breaks become <br>.
function formatted(text) {
  const span = el('span', { class: 'prose prose-bubble' });
  for (const paragraph of text.split(/\n{2,}/)) {
    const p = el('p');
    paragraph.split('\n').forEach((line, i) => {
      if (i > 0) p.append(el('br'));
      p.append(line);
    });
    span.append(p);
  }
  return span;
}

/** Status icon of MessageStatus.vue: clock while in progress, check-check once delivered. */
function statusIcon(status) {
  if (status === 'pending') return el('span', { class: 'i-lucide-clock-1 text-n-slate-10' });
  if (status === 'delivered') return el('span', { class: 'i-lucide-check-check text-n-slate-10 size-[14px]' });
  return null;
}

/** The inside of Message.vue's root for one message (the root itself stays, like a keyed v-for). */
function renderInner(msg) {
  const outgoing = msg.author === 'agent';
  const failed = msg.status === 'failed';
  const variant = failed ? 'bg-n-ruby-4 text-n-ruby-12' : outgoing ? 'bg-n-solid-blue text-n-slate-12' : 'bg-n-slate-4 text-n-slate-12';
  const orientation = outgoing
    ? 'right-bubble rounded-xl ltr:rounded-br-sm rtl:rounded-bl-sm'
    : 'left-bubble rounded-xl ltr:rounded-bl-sm rtl:rounded-br-sm';
  const meta = el(
    'div',
    { class: `text-xs flex items-center gap-1.5 ${outgoing ? 'justify-end' : 'justify-start'} text-n-slate-11 mt-2` },
    [el('div', { class: 'inline' }, [el('time', { class: 'inline' }, [readableTime(msg.createdAt)])])],
  );
  // MessageMeta: no status indicator on failed messages, the error line says it.
  const icon = outgoing && !failed ? statusIcon(msg.status) : null;
  if (icon) meta.append(icon);
  const bubble = el('div', { class: `text-sm ${variant} ${orientation} max-w-lg px-4 py-3`, 'data-bubble-name': 'text' }, [
    el('div', { class: 'gap-3 flex flex-col' }, [formatted(msg.text)]),
    meta,
  ]);
  const grid = el(
    'div',
    {
      class: `${outgoing ? 'grid grid-cols-[1fr_24px]' : 'grid grid-cols-1fr'} gap-x-2${failed ? ' gap-y-2' : ''}`,
      style: `grid-template-areas: ${outgoing ? '"bubble avatar" "meta spacer"' : '"bubble" "meta"'}`,
    },
    [],
  );
  if (outgoing) {
    grid.append(
      el('div', { class: '[grid-area:avatar] flex items-end' }, [
        el('span', { class: 'cw-avatar cw-avatar--small', title: agentName }, [agentName.charAt(0)]),
      ]),
    );
  }
  grid.append(
    el('div', { class: `[grid-area:bubble] flex ${outgoing ? 'ltr:ml-8 rtl:mr-8 justify-end' : 'ltr:mr-8 rtl:ml-8'}` }, [bubble]),
  );
  if (failed) {
    // MessageError.vue: the label, an alert icon, and the provider's error in a hover card.
    grid.append(
      el(
        'div',
        { class: `text-xs text-n-ruby-11 flex items-center gap-1.5 [grid-area:meta] ${outgoing ? 'justify-end' : 'justify-start'}` },
        [
          el('span', {}, [L.failed]),
          el('div', { class: 'relative group' }, [
            el('div', { class: 'bg-n-alpha-2 rounded-md size-5 grid place-content-center cursor-pointer' }, [
              el('span', { class: 'i-lucide-alert-triangle text-n-ruby-11 size-[14px]' }),
            ]),
            el(
              'div',
              {
                class:
                  'absolute bg-n-alpha-3 px-4 py-3 border rounded-xl border-n-strong text-n-slate-12 bottom-6 w-52 right-0 text-xs opacity-0 invisible group-hover:opacity-100 group-hover:visible transition-all',
              },
              [errorDetail(msg.error)],
            ),
          ]),
        ],
      ),
    );
  }
  return grid;
}

function findItem(id) {
  for (const item of list.querySelectorAll('.message-bubble-container')) {
    if (item.getAttribute('data-message-id') === id) return item;
  }
  return null;
}

function upsert(msg) {
  if (!msg || typeof msg.id !== 'string' || msg.internal) return;
  const known = versions.get(msg.id);
  if (known !== undefined && known >= msg.version) return;
  versions.set(msg.id, msg.version);
  const outgoing = msg.author === 'agent';
  let item = findItem(msg.id);
  if (!item) {
    item = el('div', {
      // Chatwoot's ids are numbers; the sandbox's ("m-101-a3") are kept whole so they stay unique.
      id: `message${msg.id}`,
      class: `flex w-full message-bubble-container mb-2 ${outgoing ? 'justify-end' : 'justify-start'}`,
      'data-message-id': msg.id,
    });
    item.append(renderInner(msg));
    list.append(item);
    list.scrollTop = list.scrollHeight;
    return;
  }
  item.replaceChildren(renderInner(msg));
}

async function loadMessages() {
  const res = await fetch(`${api}/messages`, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const body = await res.json();
  for (const msg of body.messages) upsert(msg);
}

function connectEvents() {
  const events = new EventSource(`${api}/events`);
  events.addEventListener('open', () => void loadMessages());
  events.addEventListener('message', (event) => {
    try {
      upsert(JSON.parse(event.data));
    } catch {
      // Ignore malformed frames; the next reload fixes the view.
    }
  });
  events.addEventListener('reset', () => {
    versions.clear();
    list.replaceChildren();
    void loadMessages();
  });
}

async function send() {
  const text = draft;
  if (!text) return;
  composer.textContent = '';
  draft = '';
  try {
    const res = await fetch(`${api}/replies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ text }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    upsert((await res.json()).message);
  } catch {
    composer.textContent = text;
    draft = text;
    alert(L.sendFailed);
  }
}

composer.addEventListener('input', () => {
  // biome-ignore lint/performance/useDomNodeTextContent: innerText keeps the editor's line breaks, as ProseMirror's model does.
  draft = composer.innerText.trim();
});
composer.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void send();
  }
});
sendButton.addEventListener('click', () => void send());

void loadMessages();
connectEvents();
