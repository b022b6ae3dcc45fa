import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { startSandbox } from '../../sandbox/server';
import { type LaunchedExtension, launchWithExtension } from '../../scripts/launch';
import { stubBusinessSuite } from './harness';

// The production build (what the stores ship) on a helpdesk address, as on a real account: the
// sandbox is served over HTTPS (a test-only certificate, tests/fixtures/tls) and Chromium maps
// acme.zendesk.com to it. The production build's banner is in a closed shadow root, so it is read
// and clicked here through the DevTools protocol (which sees closed roots) with real mouse clicks.

const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const PRODUCTION_DIR = path.join(ROOT, process.env.SEND_GUARD_OUT_DIR ?? '.output', 'chrome-mv3');
export const HELPDESK = 'https://acme.zendesk.com';
const TLS = path.join(ROOT, 'tests/fixtures/tls');

export interface Production extends LaunchedExtension {
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  close(): Promise<void>;
}

/** An HTTPS front for the sandbox: every request (event streams too) passed through as it is. */
function startTlsFront(target: URL): Promise<https.Server> {
  const server = https.createServer(
    { key: readFileSync(path.join(TLS, 'acme.zendesk.com.key')), cert: readFileSync(path.join(TLS, 'acme.zendesk.com.crt')) },
    (req, res) => {
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      req.pipe(upstream);
    },
  );
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startProduction(): Promise<Production> {
  if (!existsSync(path.join(PRODUCTION_DIR, 'manifest.json'))) {
    throw new Error(`No production build in ${PRODUCTION_DIR}: run \`npm run build\` first (npm run test:e2e does).`);
  }
  const sandbox = await startSandbox({ port: 0 });
  const front = await startTlsFront(new URL(sandbox.url));
  const port = (front.address() as AddressInfo).port;
  const launched = await launchWithExtension({
    headless: true,
    extensionDir: PRODUCTION_DIR,
    args: [`--host-resolver-rules=MAP acme.zendesk.com 127.0.0.1:${port}`, '--ignore-certificate-errors'],
  });
  await stubBusinessSuite(launched.context);
  return {
    ...launched,
    sandbox,
    async close() {
      await launched.context.close();
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await sandbox.close();
    },
  };
}

interface DomNode {
  nodeId: number;
  backendNodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: DomNode[];
  shadowRoots?: DomNode[];
}

function textOf(node: DomNode): string {
  if (node.nodeType === 3) return node.nodeValue;
  return [...(node.children ?? []), ...(node.shadowRoots ?? [])].map(textOf).join('');
}

function walk(node: DomNode, visit: (node: DomNode) => void): void {
  visit(node);
  for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child, visit);
}

/**
 * The agent's view of the banner in a closed shadow root: its text, and its buttons pressed with
 * the mouse (trusted clicks, as a person makes). Only banners the agent can see (with a box) count.
 */
export class ClosedBanner {
  private constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
  ) {}

  static async of(page: Page): Promise<ClosedBanner> {
    return new ClosedBanner(page, await page.context().newCDPSession(page));
  }

  private async hosts(): Promise<DomNode[]> {
    const { root } = (await this.cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as { root: DomNode };
    const found: DomNode[] = [];
    walk(root, (node) => {
      if (node.nodeName === 'SEND-GUARD-BANNER') found.push(node);
    });
    const shown: DomNode[] = [];
    for (const host of found) {
      const box = await this.cdp.send('DOM.getBoxModel', { backendNodeId: host.backendNodeId }).catch(() => null);
      if (box) shown.push(host);
    }
    return shown;
  }

  /** What the banner the agent sees says ('' when none is shown). */
  async text(): Promise<string> {
    return (await this.hosts()).map(textOf).join('\n');
  }

  /** Presses a button of the visible banner by its exact label, with the mouse; false when there is none. */
  async press(label: string, within?: string): Promise<boolean> {
    for (const host of await this.hosts()) {
      let scope: DomNode = host;
      if (within) {
        walk(host, (node) => {
          if (node.nodeName === 'LI' && textOf(node).includes(within)) scope = node;
        });
        if (scope === host) continue;
      }
      let button: DomNode | null = null;
      walk(scope, (node) => {
        if (!button && node.nodeName === 'BUTTON' && textOf(node).trim() === label) button = node;
      });
      const target = button as DomNode | null;
      if (!target) continue;
      await this.cdp.send('DOM.scrollIntoViewIfNeeded', { backendNodeId: target.backendNodeId });
      const { model } = (await this.cdp.send('DOM.getBoxModel', { backendNodeId: target.backendNodeId })) as {
        model: { content: number[] };
      };
      const [x1, y1, x2, , , y3] = model.content as [number, number, number, number, number, number];
      await this.page.mouse.click((x1 + x2) / 2, (y1 + y3) / 2);
      return true;
    }
    return false;
  }
}
