import { type ComponentChild, render } from 'preact';
import { loadSettings } from '@/core/settings/settings';
import { loadLanguageOverride, uiLanguage } from '@/utils/i18n';

/**
 * Draws an extension page at once in the browser's language (no storage read before the first
 * paint), then once more if the user chose another language in the settings.
 */
export function renderLocalized(app: Element, draw: () => ComponentChild, title?: () => string): void {
  const apply = () => {
    document.documentElement.lang = uiLanguage();
    if (title) document.title = title();
    render(<div key={uiLanguage()}>{draw()}</div>, app);
  };
  apply();
  void loadSettings()
    .then((settings) => loadLanguageOverride(settings.language))
    // Drawn again even in the same language: the messages may only now be readable (utils/i18n.ts).
    .then(apply)
    .catch((error: unknown) => console.warn('Send Guard: language choice not readable; the browser’s language stays', error));
}
