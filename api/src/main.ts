// Reads the configuration, opens the database, serves HTTP, and shuts down gracefully.
import { createApp, createLogger } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createServer } from './server.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config);
  const app = await createApp(config, logger);
  const server = createServer(app);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, graphiql: config.http.graphiql, llm: app.llm.name }, `API listening on http://localhost:${port}/graphql`);
    process.send?.({ type: 'listening', port });
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing replies in flight');
    server.close(); // stop accepting; open streams end below
    await app.close();
    server.closeAllConnections();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error('start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
