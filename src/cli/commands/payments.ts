import type { Command } from '../command.ts';

/** Filled in by the payments area. */
export const paymentCommands: Command[] = [];
