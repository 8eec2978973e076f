/** A function that fills the defaults of a valid value: the value itself when nothing is absent, else a copy. */
export type Fill = (x: any) => unknown;
/** One declared property of an object: its key, its default's factory, the filler of a present value. */
export type FieldFill = readonly [string, (() => unknown) | undefined, Fill | undefined];
/** Fills the absent properties with defaults and the present values that hold defaults (copy on write). */
export declare function fillObject(value: Record<string, unknown>, fields: readonly FieldFill[]): Record<string, unknown>;
/** The filler of an array whose items hold defaults. */
export declare function arrayOf(fillItem: Fill): (a: unknown[]) => unknown[];
/** The filler of a record whose values hold defaults. */
export declare function recordOf(fillValue: Fill): (r: Record<string, unknown>) => Record<string, unknown>;
/** The filler of a nullable place: null stays null. */
export declare function nullOr(fill: Fill): Fill;
/** The filler of a tagged union: the branch its tag selects. */
export declare function byTag(property: string, fills: ReadonlyMap<string, Fill>): Fill;
/** The filler of a union of disjoint JSON types: its object branch, its array branch. */
export declare function byJsonType(fillObjectBranch: Fill | undefined, fillArrayBranch: Fill | undefined): Fill;
