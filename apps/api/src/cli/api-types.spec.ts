import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { API_TYPES_FILE, generateApiTypes } from './api-types.js';

describe('the web app’s generated API types', () => {
  it('match the OpenAPI document the API describes (run npm run api-types after changing a DTO or route)', async () => {
    const generated = await generateApiTypes();
    expect(generated).toContain('"/api/v1/cases/{id}"');
    expect(readFileSync(API_TYPES_FILE, 'utf8')).toBe(generated);
  });
});
