import type { Command } from '../command.ts';

/** Store setup data the API only reads (warehouses, stock, payment accounts, ...). */
export const storeSetupCommands: Command[] = [];
