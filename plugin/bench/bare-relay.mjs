// The floor the tap is measured against: a relay that spawns the server and pipes stdio, recording
// nothing. Whatever it costs is the price of one more process between client and server.
import { spawn } from "node:child_process";

const child = spawn(process.argv[2], process.argv.slice(3), { stdio: ["pipe", "pipe", "inherit"] });
process.stdin.pipe(child.stdin);
child.stdout.pipe(process.stdout);
child.on("close", (code) => process.exit(code ?? 1));
