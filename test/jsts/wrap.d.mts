// Types of wrap.mjs.
import type { SuiteGroup } from './suite.mjs';

export const CASE_TYPE: string;
export const CASE_TAG: string;
export const VALUE_FIELD: string;
export const DIALECT: string;
/** The `$id` a group's schema gets when it has none. */
export function groupId(group: { file: string; index: number }): string;
/** The group's schema text as an embedded resource. */
export function embeddedText(group: SuiteGroup): string;
/** The wsgen input (root schema file text) for a group. */
export function wrapText(group: SuiteGroup): string;
/** The message text for one instance text. */
export function messageText(instanceText: string): string;
/** A remote document as a file of the schema folder. */
export function remoteFileText(url: string, remote: { text: string; json: unknown }): string;
