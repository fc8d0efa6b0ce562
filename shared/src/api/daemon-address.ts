/** Where the daemon listens unless told otherwise: loopback only, a fixed port the plugin and the tap both know. */
export const DEFAULT_DAEMON_PORT = 51717;
export const DEFAULT_DAEMON_URL = `http://127.0.0.1:${DEFAULT_DAEMON_PORT}`;
