import { cpus, freemem, loadavg, release, totalmem } from 'node:os';

/** The machine a bench result came from, with its load before and after: results are read as
 * ratios, and the load says how far the absolute figures can be trusted. */
export function machineInfo(loadAverageBefore: readonly number[]) {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMB: Math.round(totalmem() / 2 ** 20),
    freeMemoryMB: Math.round(freemem() / 2 ** 20),
    loadAverageBefore,
    loadAverageAfter: loadavg(),
    node: process.version,
    platform: `${process.platform} ${release()} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
