// Types of github-webhooks.mjs.

/** GitHub's webhook payload schemas (@octokit/webhooks-schemas) as a wsgen protocol: messages {event, payload} tagged by `event`. */
export function webhookProtocol(): Record<string, unknown>;
/** Writes the protocol into `dir` (default: a new temporary folder) and returns the schema file's path. */
export function writeWebhookProtocol(dir?: string): string;
