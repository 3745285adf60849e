import type { Command } from 'commander';

// Placeholder until its issue lands; replaced by the real command.
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('not implemented yet')
    .action(() => {
      throw new Error('tooltrace start is not implemented yet');
    });
}
