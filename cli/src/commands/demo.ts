import type { Command } from 'commander';

// Placeholder until its issue lands; replaced by the real command.
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('not implemented yet')
    .action(() => {
      throw new Error('tooltrace demo is not implemented yet');
    });
}
