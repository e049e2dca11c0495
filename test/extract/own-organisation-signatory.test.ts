import { describe, expect, it } from 'vitest';
import { namesTheOrganisation } from '../../src/extract/extract-statement.ts';

describe('namesTheOrganisation: the organisation under its statement is not a signatory', () => {
  it.each<[string, { name: string; short: string | null }]>([
    ['Pambansang Samahan ng Magsasaka', { name: 'PSM', short: null }],
    ['Harbour Workers Federation (HWF)', { name: 'Harbour Workers Federation', short: 'HWF' }],
    ['harbour workers federation', { name: 'Harbour Workers Federation', short: 'HWF' }],
    ['HWF', { name: 'Harbour Workers Federation', short: 'HWF' }],
  ])('%s is the organisation', (name, organisation) => {
    expect(namesTheOrganisation(name, organisation)).toBe(true);
  });

  it.each<[string, { name: string; short: string | null }]>([
    ['Central Committee', { name: 'Harbour Workers Federation', short: 'HWF' }],
    ['Helen Wu Fong', { name: 'Harbour Workers Federation', short: null }],
  ])('%s is not', (name, organisation) => {
    expect(namesTheOrganisation(name, organisation)).toBe(false);
  });
});
