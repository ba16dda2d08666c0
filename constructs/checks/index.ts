import type { Check } from './check.js';
import { danglingEdges } from './dangling.js';
import { portClashes } from './ports.js';
import { runtimeRadar } from './radar.js';

export type { Check } from './check.js';

/** The checks every System runs before synthesis. */
export const defaultChecks: readonly Check[] = [danglingEdges, portClashes, runtimeRadar];
