// Entry point: load and validate the config, start, and shut down gracefully on SIGTERM/SIGINT
// inside the termination grace period. Start with `node --import ./dist/telemetry.js` (npm start)
// so tracing is set up before anything else is loaded.
import { ConfigError, loadConfig } from './config.ts';
import { createService, TERMINATION_GRACE_SECONDS, type Service } from './service.ts';
import { shutdownTelemetry } from './telemetry.ts';

let service: Service;
try {
  service = createService(loadConfig(), { logger: { level: process.env['LOG_LEVEL'] ?? 'info' } });
} catch (error) {
  // One line a human reads in `kubectl logs`: which file, which field.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(78); // EX_CONFIG
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  service.app.log.info({ signal }, 'shutting down');
  // A hard stop before the kubelet's SIGKILL, leaving a second to flush telemetry.
  const hardStop = setTimeout(() => {
    service.app.log.error('shutdown did not finish in time; exiting');
    process.exit(1);
  }, (TERMINATION_GRACE_SECONDS - 1) * 1000);
  hardStop.unref();
  try {
    await service.shutdown();
    process.exitCode = 0;
  } catch (error) {
    service.app.log.error({ err: error }, 'shutdown failed');
    process.exitCode = 1;
  }
  // Spans that cannot be delivered (collector gone) are lost, but the shutdown was clean.
  await shutdownTelemetry().catch((error: unknown) => service.app.log.warn({ err: error }, 'telemetry flush failed'));
}

process.once('SIGTERM', (signal) => void stop(signal));
process.once('SIGINT', (signal) => void stop(signal));

try {
  await service.start();
} catch (error) {
  service.app.log.fatal({ err: error }, 'start failed');
  await service.shutdown().catch(() => {});
  await shutdownTelemetry().catch(() => {});
  process.exit(1);
}
