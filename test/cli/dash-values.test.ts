import { describe, expect, it } from 'vitest';
import { type Command, parseCommandArgs, UsageError } from '../../src/cli/command.ts';

const command: Command = {
  name: ['payments', 'simulate'],
  summary: 'test',
  options: {
    order: { type: 'string', description: 'order' },
    paid: { type: 'boolean', description: 'paid' },
  },
  run: async () => {},
};

/** One secret_slug in 64 begins with a dash; the CLI must still take it as --order's value. */
describe('option values that begin with a dash', () => {
  it('are taken as the value of a string option', () => {
    const slug = '-Xy_0123456789abcdefghijklmnopqrstuvwxy';
    expect(parseCommandArgs(command, ['--order', slug, '--paid']).values).toEqual({
      order: slug,
      paid: true,
    });
    expect(parseCommandArgs(command, ['--order', '--zz', '--paid']).values.order).toBe('--zz');
  });

  it('still end at an option the command knows, which then needs a value', () => {
    expect(() => parseCommandArgs(command, ['--order', '--paid'])).toThrow(UsageError);
    expect(() => parseCommandArgs(command, ['--order', '-h'])).toThrow('--order needs a value');
  });
});
