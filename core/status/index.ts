import { parseMetaOrgs } from './meta-orgs';
import type { OfficialReading } from './reading';
import { parseStatuspageStatus, parseStatuspageSummary } from './statuspage';
import { parseZendeskActiveIncidents } from './zendesk';

export * from './reading';

/** The formats Send Guard can read. `meta-orgs` is unofficial (no documented API). */
export type StatusFormat = 'statuspage-summary' | 'statuspage-status' | 'zendesk-incidents' | 'meta-orgs';

export function isUnofficial(format: StatusFormat): boolean {
  return format === 'meta-orgs';
}

/** One entry point for every format; never throws, whatever the body. */
export function parseStatus(format: StatusFormat, text: unknown, now: number, pageUrl?: string): OfficialReading {
  switch (format) {
    case 'statuspage-summary':
      return parseStatuspageSummary(text, now);
    case 'statuspage-status':
      return parseStatuspageStatus(text, now);
    case 'zendesk-incidents':
      return parseZendeskActiveIncidents(text, now, pageUrl);
    case 'meta-orgs':
      return parseMetaOrgs(text, now, pageUrl);
  }
}
