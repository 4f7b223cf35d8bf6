/* Preloaded (node --expose-gc --require) into a benchmarked process: when it exits, writes
 * to the file named by WC_RSS_FILE its peak resident set size (KiB, from getrusage) and the
 * heap still in use after a full garbage collection (KiB): what the process retains. */
'use strict';
process.on('exit', () => {
  if (!process.env.WC_RSS_FILE) return;
  let live = -1;
  if (typeof global.gc === 'function') {
    global.gc();
    live = Math.round(process.memoryUsage().heapUsed / 1024);
  }
  require('node:fs').writeFileSync(
    process.env.WC_RSS_FILE,
    `${process.resourceUsage().maxRSS} ${live}`,
  );
});
