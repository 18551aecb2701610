import type { Command } from '../command.ts';

/** `nexus customers import FILE`: the streamed CSV import. */
export const customerCommands: Command[] = [];
