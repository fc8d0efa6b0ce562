/**
 * The tap's exit when, relaying the plugin's socket (`--listen`), the plugin's socket stopped answering:
 * Obsidian closed or Nexus restarted. The CLI that started the relay tells the user so.
 */
export const TAP_EXIT_PLUGIN_GONE = 3;
