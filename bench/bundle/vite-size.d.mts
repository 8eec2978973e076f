/** The repository root. */
export declare const ROOT: string;
/** The minified JavaScript of a Vite production build of an app that imports `names` from `module`, with its size raw and gzipped (bytes). */
export declare function viteBundle(module: string, names: string[]): Promise<{ code: string; bytes: number; gzip: number }>;
