/** The recording tap, built by esbuild.config.mjs and embedded in main.js as text. */
declare module "vault-tuner:tap" {
  const source: string;
  export default source;
}
