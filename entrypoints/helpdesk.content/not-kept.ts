import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { HelpdeskPage, NotKeptReply } from './page';

// A failed reply the worker could not keep (neither the queue nor its fallback took it): never
// silent. The banner shows its text with "NOT kept — copy your text", and storing is tried again.

/** A worker stopped mid-answer is started again by the next message: two quick tries before the agent is told. */
const QUICK_RETRIES_MS = [300, 1000];
const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 5 * 60_000;

/** Tries again at once (twice), then tells the banner and keeps trying (15 s, doubling up to 5 min). */
export function reportNotKept(page: HelpdeskPage, ctx: ContentScriptContext, reply: NotKeptReply, tryAgain: () => void, attempt = 0): void {
  const quick = QUICK_RETRIES_MS[attempt];
  if (quick !== undefined) {
    ctx.setTimeout(tryAgain, quick);
    return;
  }
  page.showNotKept(reply);
  ctx.setTimeout(tryAgain, Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - QUICK_RETRIES_MS.length)));
}
