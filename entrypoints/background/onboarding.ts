import { browser } from 'wxt/browser';

/** The first-run page: what Send Guard watches, what stays local, and access the browser has not granted yet. */
export const ONBOARDING_PATH = '/onboarding.html';

/** Opens the first-run page once, when Send Guard is installed (not on updates or browser starts). */
export function startOnboarding(): void {
  browser.runtime.onInstalled.addListener(({ reason }) => {
    if (reason !== 'install') return;
    void browser.tabs
      .create({ url: browser.runtime.getURL(ONBOARDING_PATH as '/') })
      .catch((error: unknown) => console.warn('Send Guard: the first-run page did not open', error));
  });
}
