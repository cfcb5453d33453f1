export * from './shared/decider.js';
export * from './shared/errors.js';
export * from './reference/reference-data.js';
export * from './enterprise/credit-code.js';
export * from './enterprise/enterprise.js';
export * from './case/case.js';
export * from './visit/visit.js';
export * from './campaign/campaign.js';
