/** Test-only: a checkpoint thread that fails as it starts, as one whose connection cannot open would. */
throw new Error('the checkpoint thread fails on purpose');
