import {
  catalogueOf,
  referenceDecider,
  ReferenceErrors,
  type ReferenceDefined,
} from './reference-data.js';
import { specificationFor } from '../testing/specification.js';
import { at } from '../testing/builders.js';

const spec = specificationFor(referenceDecider);
const define = (kind: 'street' | 'department' | 'category', code: string, name: string) =>
  ({ type: 'DefineReference', data: { kind, code, name }, now: at(0) }) as const;
const retire = (kind: 'street' | 'department' | 'category', code: string) =>
  ({ type: 'RetireReference', data: { kind, code }, now: at(1) }) as const;
const rename = (kind: 'street' | 'department' | 'category', code: string, name: string) =>
  ({ type: 'RenameReference', data: { kind, code, name }, now: at(2) }) as const;
const defined: ReferenceDefined = {
  type: 'ReferenceDefined',
  data: { kind: 'department', code: 'tax', name: '税务局', at: at(0).toISOString() },
};

describe('reference data', () => {
  it('defines a department', () =>
    spec
      .given([])
      .when(define('department', 'tax', ' 税务局 '))
      .then([defined]));
  it('refuses a code defined before, even if retired', () => {
    spec
      .given([defined])
      .when(define('department', 'tax', '税务'))
      .thenThrows(ReferenceErrors.alreadyDefined, '税务局');
  });
  it('allows the same code in another kind', () =>
    spec
      .given([defined])
      .when(define('category', 'tax', '税收优惠'))
      .then([
        {
          type: 'ReferenceDefined',
          data: { kind: 'category', code: 'tax', name: '税收优惠', at: at(0).toISOString() },
        },
      ]));
  it('refuses a malformed code or a blank name', () => {
    spec
      .given([])
      .when(define('street', 'Ban Tian', '坂田'))
      .thenThrows(ReferenceErrors.invalidCode);
    spec
      .given([])
      .when(define('street', 'bantian', ' '))
      .thenThrows(ReferenceErrors.invalidName);
  });
  it('retires an entry once, and refuses an unknown one', () => {
    spec
      .given([defined])
      .when(retire('department', 'tax'))
      .then([
        {
          type: 'ReferenceRetired',
          data: { kind: 'department', code: 'tax', at: at(1).toISOString() },
        },
      ]);
    spec
      .given([
        defined,
        {
          type: 'ReferenceRetired',
          data: { kind: 'department', code: 'tax', at: at(1).toISOString() },
        },
      ])
      .when(retire('department', 'tax'))
      .thenThrows(ReferenceErrors.alreadyRetired);
    spec.given([]).when(retire('department', 'tax')).thenThrows(ReferenceErrors.notFound);
  });
  it('renames an entry, keeping its code; refuses an unknown one, a blank or the same name', () => {
    spec
      .given([defined])
      .when(rename('department', 'tax', ' 国家税务总局深圳市龙岗区税务局 '))
      .then([
        {
          type: 'ReferenceRenamed',
          data: {
            kind: 'department',
            code: 'tax',
            name: '国家税务总局深圳市龙岗区税务局',
            from: '税务局',
            at: at(2).toISOString(),
          },
        },
      ]);
    spec
      .given([])
      .when(rename('department', 'tax', '税务'))
      .thenThrows(ReferenceErrors.notFound);
    spec
      .given([defined])
      .when(rename('department', 'tax', ' '))
      .thenThrows(ReferenceErrors.invalidName);
    spec
      .given([defined])
      .when(rename('department', 'tax', '税务局'))
      .thenThrows(ReferenceErrors.sameName, '税务局');
    const state = [
      defined,
      {
        type: 'ReferenceRenamed',
        data: { kind: 'department', code: 'tax', name: '区税务局', from: '税务局', at: '' },
      },
    ].reduce((s, e) => referenceDecider.evolve(s, e as never), referenceDecider.initialState());
    expect(state.department.get('tax')).toEqual({ code: 'tax', name: '区税务局', active: true });
  });
  it('offers only active entries in the catalogue', () => {
    const state = [
      defined,
      {
        type: 'ReferenceDefined',
        data: { kind: 'department', code: 'customs', name: '海关', at: '' },
      },
      { type: 'ReferenceRetired', data: { kind: 'department', code: 'tax', at: '' } },
    ].reduce((s, e) => referenceDecider.evolve(s, e as never), referenceDecider.initialState());
    expect([...catalogueOf(state).departments]).toEqual(['customs']);
  });
});
