import { writeFileSync } from 'node:fs';
import { functionPolicies, policiesJson, synthesizeForPolicies } from './function-policies.js';
import { POLICIES_FILE } from './policy-file.js';

/** `npm run policies`: synthesizes the stack and writes each function's policies for the local IAM check. */
writeFileSync(POLICIES_FILE, policiesJson(functionPolicies(synthesizeForPolicies())));
console.log(`wrote ${POLICIES_FILE}`);
