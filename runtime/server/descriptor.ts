// The protocol descriptor as the server core reads it: the shared type in
// runtime/protocol/descriptor.ts, and the type-level helpers that derive message
// types from it. The core imports nothing from generated/: it is given a descriptor.
export type { Capability, CloseCodeInfo, EnumValue, ErrorCodeInfo, FieldRole, MessageInfo, MessageRole, ParseOutcome, ProtocolDescriptor, ValidationIssue } from '../protocol/descriptor.js';
export type { Direction, MessageType, MessageOf, InputOf, ClientType, ServerType, ServerMessageOf, ServerInputOf } from '../protocol/messages.js';
