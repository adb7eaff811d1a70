#!/usr/bin/env bun
/** Entry: parse the command line and hand over to cli/. */
import { run } from "./cli/index";

const code = await run(process.argv.slice(2));
process.exit(code);
