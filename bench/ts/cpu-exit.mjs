// Preloaded with `node --import` by the generator benchmark: at exit, writes the
// process's CPU time (user + system, all threads; getrusage RUSAGE_SELF) to
// stderr as one line `wsgen-bench-cpu <microseconds>`.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const c = process.cpuUsage();
  writeSync(2, `\nwsgen-bench-cpu ${c.user + c.system}\n`);
});
