import { logError } from './debug-log';

// Starts the helpdesk tab's features, each on its own (after refined-github's source/feature-manager.tsx):
// one that throws, at once or later through its promise, is logged under its name and the rest still run.

/** One behaviour of the helpdesk tab (a watcher, the banner …), named for the log. */
export interface Feature {
  name: string;
  init: () => void | Promise<void>;
}

export type ErrorLog = (where: string, error: unknown) => Promise<void>;

/**
 * Starts every feature in order, without waiting for one that is async (a slow or failing feature must
 * not hold up the next). Resolves once each has settled and each failure is logged: the caller need not wait.
 */
export function startFeatures(features: readonly Feature[], log: ErrorLog = logError): Promise<void> {
  const settled = features.map((feature) => {
    try {
      return Promise.resolve(feature.init()).catch((error: unknown) => log(feature.name, error));
    } catch (error) {
      return log(feature.name, error);
    }
  });
  return Promise.all(settled).then(() => undefined);
}
