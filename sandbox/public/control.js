// Control page (ES module): switches the fake Send API's mode and shows what it accepted. textContent only.
const $ = (selector) => document.querySelector(selector);
const errorBox = $('#control-error');

async function call(method, path, body) {
  errorBox.textContent = '';
  const res = await fetch(path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    errorBox.textContent = data.error || `HTTP ${res.status}`;
    return null;
  }
  return data;
}

function render(state) {
  if (!state) return;
  $('#current-mode').textContent = state.mode;
  for (const button of document.querySelectorAll('[data-mode]')) {
    button.classList.toggle('btn--primary', button.getAttribute('data-mode') === state.mode);
  }
  const ratio = $('#failure-ratio');
  if (document.activeElement !== ratio) ratio.value = String(state.failureRatio);
  const kind = $('#outage-kind');
  if (document.activeElement !== kind) kind.value = state.outageKind;
  const overrides = $('#overrides');
  if (document.activeElement !== overrides) overrides.value = JSON.stringify(state.overrides);
  for (const select of document.querySelectorAll('[data-status-source]')) {
    if (document.activeElement !== select) select.value = state.status[select.getAttribute('data-status-source')];
  }
  $('#sent-count').textContent = String(state.sent.length);
  $('#attempts').textContent = String(state.attempts);
  const rows = state.sent
    .slice()
    .reverse()
    .map((m) => {
      const tr = document.createElement('tr');
      for (const value of [new Date(m.at).toLocaleTimeString(), m.recipient_id, `${m.message_id.slice(0, 16)}…`, m.text]) {
        const td = document.createElement('td');
        td.textContent = value;
        tr.append(td);
      }
      return tr;
    });
  $('#sent-log').replaceChildren(...rows);
}

async function refresh() {
  render(await call('GET', '/__sandbox/state'));
}

for (const button of document.querySelectorAll('[data-mode]')) {
  button.addEventListener('click', async () => {
    render(await call('POST', '/__sandbox/mode', { mode: button.getAttribute('data-mode') }));
  });
}
$('#apply-options').addEventListener('click', async () => {
  render(await call('POST', '/__sandbox/mode', { failureRatio: Number($('#failure-ratio').value), outageKind: $('#outage-kind').value }));
});
$('#apply-overrides').addEventListener('click', async () => {
  let overrides;
  try {
    overrides = JSON.parse($('#overrides').value || '{}');
  } catch {
    errorBox.textContent = 'Overrides must be JSON, e.g. {"6723451234567890":"outage"}';
    return;
  }
  render(await call('POST', '/__sandbox/mode', { overrides }));
});
for (const select of document.querySelectorAll('[data-status-source]')) {
  select.addEventListener('change', async () => {
    render(await call('POST', '/__sandbox/status', { [select.getAttribute('data-status-source')]: select.value }));
  });
}
$('#reset').addEventListener('click', async () => {
  render(await call('POST', '/__sandbox/reset'));
});

void refresh();
setInterval(refresh, 2000);
