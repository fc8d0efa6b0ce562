// The plugin's browser tests drive Debian's chromium through playwright-core (which downloads no
// browser). This makes sure one is there: CHROMIUM_PATH or `chromium` on the PATH, else, on a Debian
// machine where we are root, `apt-get install chromium`. Prints the path it found.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

function onPath(name) {
  for (const folder of (process.env.PATH ?? "").split(":"))
    if (folder && existsSync(`${folder}/${name}`)) return `${folder}/${name}`;
  return undefined;
}

function found() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return onPath("chromium") ?? onPath("chromium-browser");
}

let path = found();
if (!path) {
  if (process.getuid?.() !== 0 || !onPath("apt-get")) {
    console.error(
      "The plugin's browser tests need Chromium: install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
  console.error("installing Debian's chromium for the plugin's browser tests (about a minute)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "ignore", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
  path = found();
}
if (!path) {
  console.error("chromium was installed but is not on the PATH; set CHROMIUM_PATH");
  process.exit(1);
}
console.log(`chromium: ${path}`);
