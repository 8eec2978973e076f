// Runtime helpers of the standalone validators, one module per concern, re-exported here (the
// validators import them from this module; a bundle keeps only the functions it calls):
// wire-formats.js (date-time, uuid), json-values.js (multipleOf, code-point length, JSON equality),
// composition.js (a type narrowing a shared base, the ajv error shape), field-checks.js (a base's
// field table). Nothing here is compiled at runtime.

export { isDateTime, isUuid } from './wire-formats.js';
export { decimalMultiple, equal, ucs2length } from './json-values.js';
export { ajvError, composed, composedAll, verdictFirst } from './composition.js';
export {
  fieldErrors,
  fieldTable,
  isEnumField,
  isJsonObject,
  isNumberField,
  isStringField,
} from './field-checks.js';
