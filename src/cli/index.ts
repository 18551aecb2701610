import { runCli } from './run.ts';

runCli(process.argv.slice(2)).then((code) => process.exit(code));
