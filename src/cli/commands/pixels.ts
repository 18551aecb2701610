import type { Command } from '../command.ts';

/** Filled in by its area. */
export const pixelCommands: Command[] = [];
