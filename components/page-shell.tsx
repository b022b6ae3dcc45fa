import { type ComponentChild, render } from 'preact';
import { loadLanguageOverride, uiLanguage } from '@/utils/i18n';
import { loadSettings } from '@/utils/settings';

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
  const first = uiLanguage();
  void loadSettings()
    .then((settings) => loadLanguageOverride(settings.language))
    .then(() => {
      if (uiLanguage() !== first) apply();
    })
    .catch((error: unknown) => console.warn('Send Guard: language choice not readable; the browser’s language stays', error));
}
