// Worker thread body of the PDF pool (pdf-pool.ts): reads one PDF per message with extractPdf and answers
// with its text. Runs in its own V8 heap, so a PDF that exhausts memory or never yields kills only this
// worker, and pdfjs's parsing uses a second core while the main thread crawls.
import { parentPort } from 'node:worker_threads';
import { extractPdf, type PdfExtractOptions } from './pdf.js';

interface Task {
  id: number;
  bytes: Uint8Array;
  opts: PdfExtractOptions;
  /** Load pdfjs and run its parser once, ahead of the first real document. */
  warm?: boolean;
}

/** A one-page PDF with a line of text, built here so warming up needs no file. */
function tinyPdf(): Uint8Array {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length 44 >>\nstream\nBT /F1 12 Tf 10 50 Td (ita-check warm-up) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) body += `${String(off).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

// The imports above loaded: the pool can count on this worker (a broken install never says this).
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (task: Task) => {
  if (task.warm) {
    void extractPdf(tinyPdf()).finally(() => parentPort?.postMessage({ id: task.id, warm: true }));
    return;
  }
  extractPdf(task.bytes, task.opts).then(
    (doc) => parentPort?.postMessage({ id: task.id, doc }),
    // extractPdf does not throw; this keeps the pool's promise settled if it ever does.
    (err: unknown) =>
      parentPort?.postMessage({
        id: task.id,
        doc: { kind: 'pdf', parts: [], error: { code: 'corrupt', message: String(err) } },
      }),
  );
});
