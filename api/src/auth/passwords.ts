// Password hashing with bcrypt (bcryptjs), off the event loop. One bcrypt at cost 12 is ~250 ms of
// pure JavaScript on a fast core (seconds on a slow one); on the main thread, 20 parallel logins
// stalled every other request for that long. Hashes run in a small pool of worker threads instead,
// at a lower OS scheduling priority where the platform allows it, so requests that need the event
// loop are served first and logins take whatever CPU is left.
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export function hashPassword(password: string, cost: number): Promise<string> {
  return pool.run({ op: 'hash', password, cost }) as Promise<string>;
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return pool.run({ op: 'compare', password, hash }) as Promise<boolean>;
}

// Compared against when the email is unknown, so a login takes as long either way.
let dummyHash: Promise<string> | undefined;
export function verifyAgainstDummy(password: string, cost: number): Promise<boolean> {
  dummyHash ??= hashPassword('not-a-real-password', cost);
  return dummyHash.then((hash) => verifyPassword(password, hash)).then(() => false);
}

type Task = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };

interface Pending {
  task: Task;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

// Plain JavaScript (no TypeScript loader needed in the worker); bcryptjs's CommonJS build is
// passed in by path, so the worker finds the same copy this module uses.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptPath);
try {
  // Linux: a thread's nice value is its own; lower it for this thread only.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, workerData.nice);
} catch {}
parentPort.on('message', (task) => {
  try {
    const result = task.op === 'hash' ? bcrypt.hashSync(task.password, task.cost) : bcrypt.compareSync(task.password, task.hash);
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
});
`;

/** Niceness of hashing threads: the event loop (nice 0) wins the CPU whenever it has work. */
const WORKER_NICE = 10;

class BcryptPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private readonly queue: Pending[] = [];
  private readonly bcryptPath = createRequire(import.meta.url).resolve('bcryptjs');

  constructor(private readonly size: number) {}

  run(task: Task): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.idle.length + this.busy.size < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref(); // keep the process alive while a hash is in flight
      worker.postMessage(job.task);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { bcryptPath: this.bcryptPath, nice: WORKER_NICE },
      // A worker inherits the parent's execArgv (e.g. a TypeScript loader) unless told otherwise.
      execArgv: [],
      name: 'bcrypt',
    });
    worker.on('message', (reply: { ok: true; result: string | boolean } | { ok: false; message: string }) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (job) {
        if (reply.ok) job.resolve(reply.result);
        else job.reject(new Error(reply.message));
      }
      this.dispatch();
    });
    const fail = (error: Error) => {
      const job = this.busy.get(worker);
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      job?.reject(error);
      this.dispatch(); // a replacement is spawned for queued work
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.busy.has(worker) || this.idle.includes(worker)) fail(new Error(`bcrypt worker exited with code ${code}`));
    });
    worker.unref();
    return worker;
  }
}

// Every core can hash; the lowered priority keeps them from starving the event loop.
const pool = new BcryptPool(Math.max(1, Math.min(4, availableParallelism())));
