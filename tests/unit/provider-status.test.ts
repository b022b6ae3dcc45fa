import { describe, expect, it } from 'vitest';
import type { ProviderHealth } from '@/core/health/health-model';
import { providerWantsBanner } from '@/entrypoints/helpdesk.content/banner/ProviderStatus';
import { providerHealth } from '../fixtures/health';

const health = (level: ProviderHealth['level'], reasons: ProviderHealth['reasons'] = []) => providerHealth({ level, reasons });

describe('providerWantsBanner', () => {
  it('an unreadable status source alone does not put a banner on the ticket', () => {
    expect(providerWantsBanner({ health: health('unknown', ['official-unknown']), snoozed: false })).toBe(false);
  });
  it('trouble, or a recovery with replies waiting, does; a snooze does not', () => {
    expect(providerWantsBanner({ health: health('degraded', ['failing-here', 'official-unknown']), snoozed: false })).toBe(true);
    expect(providerWantsBanner({ health: health('outage', ['official-reports']), snoozed: false })).toBe(true);
    expect(providerWantsBanner({ health: health('operational', ['recovered']), snoozed: false })).toBe(true);
    expect(providerWantsBanner({ health: health('outage', ['official-reports']), snoozed: true })).toBe(false);
    expect(providerWantsBanner(null)).toBe(false);
  });
});
