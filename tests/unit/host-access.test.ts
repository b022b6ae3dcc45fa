import { describe, expect, it } from 'vitest';
import { describeAccess, originPattern } from '@/core/settings/host-access';

describe('host access', () => {
  it('reduces a content-script match to the host pattern a permission names', () => {
    expect(originPattern('https://*.zendesk.com/agent/*')).toBe('https://*.zendesk.com/*');
    expect(originPattern('http://127.0.0.1/*')).toBe('http://127.0.0.1/*');
  });

  it('names the withheld hosts and whether the helpdesk is among them', () => {
    const wanted = ['https://*.zendesk.com/*', 'https://metastatus.com/*'];
    const matches = ['https://*.zendesk.com/agent/*'];
    expect(describeAccess(wanted, () => true, matches)).toEqual({ missing: [], helpdeskMissing: false });
    expect(describeAccess(wanted, (p) => p !== 'https://metastatus.com/*', matches)).toEqual({
      missing: ['https://metastatus.com/*'],
      helpdeskMissing: false,
    });
    expect(describeAccess(wanted, () => false, matches)).toEqual({ missing: wanted, helpdeskMissing: true });
  });
});
