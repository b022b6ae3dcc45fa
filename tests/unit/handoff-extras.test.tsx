import { render } from 'preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PageIdPrompt } from '@/entrypoints/helpdesk.content/banner/HandoffExtras';
import { queuedRecord } from '../fixtures/replies';

describe('PageIdPrompt', () => {
  // The fake browser has no message catalogue: the key stands in for the text.
  beforeEach(() => {
    vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key: string) => key);
  });

  it('asks for the Page id of a Messenger or Instagram reply', () => {
    for (const channel of ['messenger', 'instagram'] as const) {
      const root = document.createElement('div');
      render(
        <PageIdPrompt reply={queuedRecord({ channel, pageId: undefined })} value="" onInput={() => undefined} onSave={() => undefined} />,
        root,
      );
      expect(root.querySelectorAll('form input').length, channel).toBe(1);
    }
  });

  it('never shows for a WhatsApp reply: a Page id cannot open a WhatsApp conversation', () => {
    const root = document.createElement('div');
    render(
      <PageIdPrompt
        reply={queuedRecord({ channel: 'whatsapp', pageId: undefined })}
        value=""
        onInput={() => undefined}
        onSave={() => undefined}
      />,
      root,
    );
    expect(root.innerHTML).toBe('');
  });
});
