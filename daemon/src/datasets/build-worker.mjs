// Entry of the thread a daemon-side dataset build runs in. The builder is TypeScript; a worker starts
// without the loader the main thread registered, so register it here before loading the real entry.
import { register } from "tsx/esm/api";

register();
await import("./build-worker-main.ts");
