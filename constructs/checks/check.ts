import type { SystemModel } from '../model.js';
import type { Problem } from '../problems.js';

/** A check reads the model and returns what is wrong with it; it never changes the model. */
export type Check = (model: SystemModel) => Problem[];
