/**
 * Workspaces export their build (`dist/`) by default and their TypeScript sources under this
 * condition. Tests, the type check and the web build resolve the sources, so nothing in the
 * repository needs a prior build or can run a stale one.
 */
export const SOURCE_CONDITION = '@tooltrace/source';

/** `node` arguments that run a TypeScript file of this repository from sources. */
export const SOURCE_NODE_ARGS = [`--conditions=${SOURCE_CONDITION}`, '--import', 'tsx'];

/**
 * Vite/vitest `resolve` settings for both the browser-like and the Node (SSR) environment,
 * on top of Vite's defaults (passed in, so this file does not load Vite for plain Node users).
 */
export function sourceResolution(vite: {
  defaultClientConditions: readonly string[];
  defaultServerConditions: readonly string[];
}) {
  return {
    resolve: { conditions: [SOURCE_CONDITION, ...vite.defaultClientConditions] },
    // Without `module`, as vitest's own default: packages such as @opentelemetry/api point `module`
    // at bundler-only ESM (extension-less imports) that Node cannot load.
    ssr: {
      resolve: { conditions: [SOURCE_CONDITION, ...vite.defaultServerConditions.filter((c) => c !== 'module')] },
    },
  };
}
