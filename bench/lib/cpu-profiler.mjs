// Preloaded with NODE_OPTIONS="--import …/cpu-profiler.mjs" (where --cpu-prof is not allowed):
// profiles the process and writes a .cpuprofile into $BENCH_CPU_PROFILE_DIR. By default from start
// to exit; with BENCH_CPU_PROFILE_ON_SIGNAL=1 the first SIGUSR2 starts it and the next one (or the
// exit) writes it, so a profile can cover just the measured window.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  let running = false;
  let count = 0;
  const start = () => {
    session.post('Profiler.start');
    running = true;
  };
  const stop = () => {
    if (!running) return;
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `cpu-${process.pid}-${count++}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  if (process.env.BENCH_CPU_PROFILE_ON_SIGNAL === '1') {
    process.on('SIGUSR2', () => (running ? stop() : start()));
  } else {
    start();
  }
  process.on('exit', stop);
}
