import type { Command } from 'commander';

// Placeholder until its issue lands; replaced by the real command.
export function registerProjectCommands(program: Command): void {
  program
    .command('project')
    .description('not implemented yet')
    .action(() => {
      throw new Error('tooltrace project is not implemented yet');
    });
}
