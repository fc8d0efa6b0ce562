const source = "#!/usr/bin/env node\n// the tap, as the build embeds it\n";
export default source;
