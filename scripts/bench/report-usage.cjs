// Preloaded by bench-synth.ts: reports the synth process's own peak memory when it exits.
process.on('exit', () => {
  process.stderr.write(`\nMRAA_USAGE ${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS })}\n`);
});
