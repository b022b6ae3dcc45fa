import 'fake-indexeddb/auto';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

// Every test starts with empty fake extension storage, alarms and listeners.
beforeEach(() => {
  fakeBrowser.reset();
});
