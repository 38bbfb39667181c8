// Process entry: runs the CLI and sets the exit code.
import { closeSharedPdfPool } from '../extract/pdf-pool.js';
import { main } from './main.js';

main(process.argv).then(async (code) => {
  process.exitCode = code;
  // A PDF still being read ahead for evidence the judge did not need must not hold the exit.
  await closeSharedPdfPool();
});
