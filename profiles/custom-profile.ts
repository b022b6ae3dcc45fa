import { z } from 'zod';
import type { HelpdeskProfile, SelectorCheck } from './profile';

// A helpdesk profile a support lead writes as JSON in the options page. Everything is checked
// before use, and every problem is reported with the path of the field it concerns.

const MAX_PROFILE_CHARS = 64 * 1024;
const Selector = z.string().trim().min(1).max(500);
const SelectorList = z.array(Selector).max(20);
const RequiredSelectors = SelectorList.min(1);
const LabelList = z.array(z.string().trim().min(1).max(200)).max(50);
const DEFAULT_CHANNEL_LABELS = { messenger: ['messenger', 'facebook'], instagram: ['instagram'], whatsapp: ['whatsapp'] } as const;
const defaultChannelLabels = () => ({
  messenger: [...DEFAULT_CHANNEL_LABELS.messenger],
  instagram: [...DEFAULT_CHANNEL_LABELS.instagram],
  whatsapp: [...DEFAULT_CHANNEL_LABELS.whatsapp],
});

export const CustomProfile = z
  .object({
    /** A regular expression whose first group is the ticket (conversation) id in the page's path. */
    ticketPath: z.string().min(1).max(500),
    selectors: z
      .object({
        log: RequiredSelectors,
        message: RequiredSelectors,
        outbound: RequiredSelectors,
        content: RequiredSelectors,
        sender: SelectorList.default([]),
        time: SelectorList.default([]),
        viaLabel: RequiredSelectors,
        composer: RequiredSelectors,
        sendButton: RequiredSelectors,
        failedMarker: SelectorList.default([]),
        deliveredMarker: SelectorList.default([]),
        errorDetail: SelectorList.default([]),
        statusText: SelectorList.default([]),
        internalNoteMode: SelectorList.default([]),
        publicReplyMode: SelectorList.default([]),
        workspace: SelectorList.default([]),
        toast: SelectorList.default([]),
      })
      .strict(),
    /** Attributes of a workspace element that hold its ticket id (a single-page helpdesk with several tickets mounted). */
    workspaceTicketAttributes: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[a-z][a-z0-9_.:-]{0,99}$/i, 'an attribute name such as data-ticket-id'),
      )
      .max(10)
      .default([]),
    labels: z
      .object({
        failed: LabelList.default([]),
        delivered: LabelList.default([]),
        pending: LabelList.default([]),
        // Without channel words every ticket would read as "other" and never be watched.
        channel: z
          .object({
            messenger: LabelList.default([...DEFAULT_CHANNEL_LABELS.messenger]),
            instagram: LabelList.default([...DEFAULT_CHANNEL_LABELS.instagram]),
            whatsapp: LabelList.default([...DEFAULT_CHANNEL_LABELS.whatsapp]),
          })
          .strict()
          .default(defaultChannelLabels),
      })
      .strict()
      .default(() => ({ failed: [], delivered: [], pending: [], channel: defaultChannelLabels() })),
  })
  .strict();
export type CustomProfile = z.infer<typeof CustomProfile>;

export const ProfileIssueKind = z.enum([
  'invalid_json',
  'unknown_key',
  'invalid_selector',
  'invalid_regex',
  'regex_no_group',
  'no_failure_cue',
  'invalid_value',
]);
export type ProfileIssueKind = z.infer<typeof ProfileIssueKind>;

export const ProfileIssue = z.object({
  /** Where the problem is, e.g. `selectors.failedMarker[1]`; empty for the whole profile. */
  path: z.string().max(200),
  kind: ProfileIssueKind,
  /** The offending value or the underlying error, for the person fixing it. */
  detail: z.string().max(1000),
  /** For unknown keys: the keys allowed at that place. */
  allowed: z.array(z.string().max(50)).max(50).optional(),
});
export type ProfileIssue = z.infer<typeof ProfileIssue>;

export type CustomProfileResult = { ok: true; profile: CustomProfile } | { ok: false; issues: ProfileIssue[] };

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** The keys a support lead may use at `path` (for "unknown key" messages). */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.ZodType = CustomProfile;
  for (const part of path) {
    const inner = unwrap(schema);
    if (!(inner instanceof z.ZodObject)) return [];
    const next = (inner.shape as Record<string, z.ZodType>)[String(part)];
    if (!next) return [];
    schema = next;
  }
  const inner = unwrap(schema);
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault ? (schema.def.innerType as z.ZodType) : schema;
}

function ticketPathIssues(source: string): ProfileIssue[] {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    return [{ path: 'ticketPath', kind: 'invalid_regex', detail: error instanceof Error ? error.message : String(error) }];
  }
  // One capturing group is where the id is read from (readTicketId takes group 1).
  const groups = new RegExp(`${regex.source}|`).exec('')?.length ?? 1;
  return groups < 2 ? [{ path: 'ticketPath', kind: 'regex_no_group', detail: source }] : [];
}

function contentIssues(json: unknown, checkSelector: SelectorCheck): ProfileIssue[] {
  if (typeof json !== 'object' || json === null) return [];
  const { ticketPath, selectors } = json as { ticketPath?: unknown; selectors?: unknown };
  const issues = typeof ticketPath === 'string' && ticketPath ? ticketPathIssues(ticketPath) : [];
  if (typeof selectors !== 'object' || selectors === null) return issues;
  for (const [group, list] of Object.entries(selectors)) {
    if (!Array.isArray(list)) continue;
    list.forEach((selector: unknown, index) => {
      if (typeof selector !== 'string' || !selector.trim()) return;
      const problem = checkSelector(selector);
      if (problem !== null) issues.push({ path: `selectors.${group}[${index}]`, kind: 'invalid_selector', detail: problem });
    });
  }
  return issues;
}

/** Parses the JSON text of a custom profile; every problem found is listed, not just the first. */
export function parseCustomProfile(text: string, checkSelector: SelectorCheck): CustomProfileResult {
  if (text.length > MAX_PROFILE_CHARS) {
    return { ok: false, issues: [{ path: '', kind: 'invalid_value', detail: `longer than ${MAX_PROFILE_CHARS} characters` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, issues: [{ path: '', kind: 'invalid_json', detail: error instanceof Error ? error.message : String(error) }] };
  }
  const parsed = CustomProfile.safeParse(json);
  const issues: ProfileIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({ path: formatPath(issue.path), kind: 'unknown_key', detail: key, allowed: allowedKeysAt(issue.path) });
        }
      } else if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
        issues.push({ path: formatPath(issue.path), kind: 'invalid_value', detail: `missing (expected ${issue.expected})` });
      } else {
        issues.push({ path: formatPath(issue.path), kind: 'invalid_value', detail: issue.message });
      }
    }
  }
  // Regex and selectors are checked on the raw JSON too, so one round of fixes covers everything.
  issues.push(...contentIssues(json, checkSelector));
  if (!parsed.success) return { ok: false, issues };
  const profile = parsed.data;
  // Status texts are read with the shared English and German words (status-words.ts) plus the profile's own.
  const hasFailureCue = profile.selectors.failedMarker.length > 0 || profile.selectors.statusText.length > 0;
  if (!hasFailureCue) issues.push({ path: 'selectors.failedMarker', kind: 'no_failure_cue', detail: '' });
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, profile };
}

/** A built-in profile as custom-profile JSON: the starting point a support lead edits. */
export function customProfileFrom(profile: HelpdeskProfile): CustomProfile {
  return {
    ticketPath: profile.ticketPath.source,
    selectors: { internalNoteMode: [], publicReplyMode: [], workspace: [], toast: [], ...structuredClone(profile.selectors) },
    workspaceTicketAttributes: [...(profile.workspaceTicketAttributes ?? [])],
    labels: structuredClone(profile.labels),
  };
}
