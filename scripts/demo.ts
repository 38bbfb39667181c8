// npm run demo: generates the built-in demo agency site, serves it on 127.0.0.1, scans it the way
// `ita-check scan` does, writes the reports into ./ita-check-demo/ and stops the server. No internet.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { closeDocumentBrowser } from '../fixtures/lib/documents.js';
import { startServer } from '../fixtures/lib/server.js';
import { demoSite } from '../fixtures/sites/demo.js';
import { renderHtml } from '../src/report/html.js';
import { renderTerminal } from '../src/report/terminal.js';
import { scan } from '../src/scan.js';

async function run(): Promise<number> {
  const outDir = resolve(process.argv[2] ?? 'ita-check-demo');
  mkdirSync(outDir, { recursive: true });
  process.stderr.write(`building the demo site "${demoSite.name}" …\n`);
  const files = await demoSite.build();
  await closeDocumentBrowser();
  const server = await startServer(files);
  try {
    process.stderr.write(`serving it at ${server.url}; scanning …\n`);
    const started = Date.now();
    const report = await scan(`${server.url}/`, {});
    const jsonPath = join(outDir, 'report.json');
    writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    const htmlPath = join(outDir, 'report.html');
    writeFileSync(htmlPath, renderHtml(report));
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    process.stdout.write(`${renderTerminal(report, { color })}\n\n`);
    process.stdout.write(
      `scan took ${((Date.now() - started) / 1000).toFixed(1)} s; server answered ${server.stats.requests} requests\n`,
    );
    process.stdout.write(`JSON report: ${jsonPath}\nHTML report: ${htmlPath} (open it in a browser)\n`);
    return 0;
  } finally {
    await server.close();
  }
}

run().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
