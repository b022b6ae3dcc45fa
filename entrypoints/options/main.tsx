import '@/components/garden.css';
import './style.css';

// First words on screen before the settings code (Preact, zod, every section) has even loaded:
// the title and "Loading…" from the browser's own messages, then the page itself.
// The extension's own i18n API, not `wxt/browser`: importing that would pull the shared chunk
// (polyfill, Preact, zod) in before the first paint.
const i18n = (globalThis as unknown as { chrome: { i18n: { getMessage(key: string): string } } }).chrome.i18n;
const app = document.getElementById('app');
if (app) {
  const frame = document.createElement('main');
  frame.className = 'boot';
  const title = document.createElement('h1');
  title.textContent = i18n.getMessage('optionsTitle');
  const loading = document.createElement('p');
  loading.className = 'help';
  loading.textContent = i18n.getMessage('optionsLoading');
  frame.append(title, loading);
  app.append(frame);
  document.title = title.textContent || document.title;
  // `module.startOptions`, not a bare name: WXT's auto-imports would add a static import of a bare one.
  void import('@/components/OptionsApp').then((module) => module.startOptions(app));
}
