#!/usr/bin/env node
// The `tokenvault` command: see runCli.ts.
import { runCli } from './runCli.js';

process.exitCode = await runCli(process.argv.slice(2));
