import type { Command } from '../command.ts';

/** `nexus mail list`: the sandbox outbox. */
export const mailCommands: Command[] = [];
