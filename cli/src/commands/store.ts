import type { Command } from 'commander';

// Placeholder until its issue lands; replaced by the real command.
export function registerStoreCommands(program: Command): void {
  program
    .command('store')
    .description('not implemented yet')
    .action(() => {
      throw new Error('tooltrace store is not implemented yet');
    });
}
