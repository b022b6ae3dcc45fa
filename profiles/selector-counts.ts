import type { SelectorCount } from '../core/protocol';
import type { HelpdeskProfile } from './profile';

/** How many elements each selector of a profile matches under `root`, in the profile's order. */
export function countProfileSelectors(root: ParentNode, profile: HelpdeskProfile): SelectorCount[] {
  const rows: SelectorCount[] = [];
  for (const [group, selectors] of Object.entries(profile.selectors)) {
    for (const selector of selectors) {
      try {
        rows.push({ group, selector, count: root.querySelectorAll(selector).length });
      } catch (error) {
        rows.push({ group, selector, count: 0, error: (error instanceof Error ? error.message : String(error)).slice(0, 500) });
      }
    }
  }
  return rows;
}
