// CLI: `tsx sandbox/main.ts [--port N]` starts the sandbox until Ctrl-C.
import { startSandbox } from './server.js';
import { TICKET_IDS } from './tickets.js';

function parsePort(argv: readonly string[]): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith('--port='))?.slice(7) ?? process.env.SANDBOX_PORT ?? '4870');
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port ${JSON.stringify(raw)}. Usage: tsx sandbox/main.ts [--port N]`);
    process.exit(2);
  }
  return port;
}

const sandbox = await startSandbox({ port: parsePort(process.argv.slice(2)) });
console.log(`Send Guard sandbox listening on ${sandbox.url}`);
for (const id of TICKET_IDS) console.log(`  ticket ${id}: ${sandbox.url}/agent/tickets/${id}`);
console.log(`  German UI: ${sandbox.url}/agent/tickets/101?lang=de`);
console.log(`  control:   ${sandbox.url}/__sandbox/control`);
console.log('Ctrl-C to stop.');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void sandbox.close().then(() => process.exit(0));
  });
}
