/** Shared plain types of the generator pipeline. */
export type { JsonObject, JsonValue } from './load.js';
export type { SchemaLocation } from './errors.js';
