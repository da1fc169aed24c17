// Reads the configuration, opens the database, serves HTTP, and shuts down gracefully.
import { createApp, createLogger } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createServer } from './server.ts';

// Time allowed past SHUTDOWN_GRACE_MS for stopping the remaining replies and closing pools.
const SHUTDOWN_OVERRUN_MS = 5000;

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
  if (config.env === 'production' && config.http.corsOrigins.includes('*')) {
    logger.warn('CORS_ORIGINS is *: pages on any site may call this API from a browser');
  }
  const app = await createApp(config, logger);
  const server = createServer(app);
  server.once('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    logger.fatal(`Port ${config.port} is in use by another program. Stop it, or choose another port with PORT=${config.port + 1}.`);
    process.exit(1);
  });
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
    // If closing hangs (an unreachable database), the orchestrator's kill would come anyway: leave first.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.chat.shutdownGraceMs + SHUTDOWN_OVERRUN_MS).unref();
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
