/* Preloaded (node --require) into a benchmarked process: writes its peak resident set size
 * (KiB, from getrusage) to the file named by WC_RSS_FILE when it exits. */
'use strict';
process.on('exit', () => {
  if (process.env.WC_RSS_FILE) {
    require('node:fs').writeFileSync(
      process.env.WC_RSS_FILE,
      String(process.resourceUsage().maxRSS),
    );
  }
});
