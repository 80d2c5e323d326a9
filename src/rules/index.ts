// STUB (being written): the rule catalog, in catalog order.
import type { Rule } from './types.js';

export const rules: Rule[] = [];
