/**
 * @packageDocumentation
 * pagelab's frame table: one entry per physical frame with owner, state, dirty bit and pin
 * count; lock quotas that refuse or treat locks as hints; and a leak audit of pins.
 */
export { TypedFrameTable, createFrameTable } from './frame-table.js';
export { resolveQuota } from './quota.js';
