import { jvn } from './system.js';

jvn().synth();
