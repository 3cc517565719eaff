// Chained after `vite build` in `npm run build`: prints the JS and CSS the account page
// loads and warns past the budget. Always exits 0 unless there is no build to measure.
import { resolve } from 'node:path';
import { JS_BUDGET_BYTES, kb, measureBundle } from './bundle-size';

try {
  const size = measureBundle(resolve(import.meta.dirname, '../dist/client'));
  for (const file of size.files) {
    console.log(
      `  ${file.path.padEnd(40)} ${kb(file.bytes).padStart(10)}  brotli ${kb(file.wireBytes)}`,
    );
  }
  console.log(
    `Account page: ${kb(size.jsWireBytes)} JS + ${kb(size.cssWireBytes)} CSS over the wire, brotli (JS budget ${kb(JS_BUDGET_BYTES)}).`,
  );
  if (!size.withinBudget) {
    console.log(
      `WARNING: client JavaScript is ${kb(size.jsWireBytes)} over the wire, over the ${kb(JS_BUDGET_BYTES)} budget.`,
    );
  }
} catch (error) {
  console.error(`report-bundle-size: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
