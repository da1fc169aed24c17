// Runs api/test/support's fake chat-completions server in its own process (see startFakeLlmProcess).
import { startFakeLlmServer } from '../../api/test/support/fake-llm-server.ts';

const fake = await startFakeLlmServer();
fake.script(JSON.parse(process.argv[2] ?? '{}'));
// Benchmarks send tens of thousands of requests: don't keep every recorded one.
setInterval(() => (fake.requests.length = 0), 1000).unref();
process.on('message', (message: { type: string; script: object }) => {
  if (message.type === 'script') {
    fake.script(message.script);
    process.send?.({ type: 'ok' });
  }
});
process.on('SIGTERM', () => void fake.close().finally(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
process.send?.({ url: fake.url });
