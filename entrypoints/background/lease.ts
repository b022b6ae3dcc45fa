import { browser } from 'wxt/browser';

/**
 * Sandbox builds only (`--mode sandbox`, used by the demo and the e2e tests): a test may shorten
 * the `sending` lease by writing `{'sandbox:leaseMs': N}` to storage.local, so "the lease lapsed"
 * can be tested in seconds instead of DEFAULT_LEASE_MS. Production builds drop this branch at
 * build time (the mode is a constant) and always use the default. Documented in sandbox/README.md.
 */
export async function leaseOverrideMs(): Promise<number | undefined> {
  if (import.meta.env.MODE !== 'sandbox') return undefined;
  const value = (await browser.storage.local.get('sandbox:leaseMs'))['sandbox:leaseMs'];
  return typeof value === 'number' && Number.isInteger(value) && value >= 1000 && value <= 600_000 ? value : undefined;
}
