import { describe, expect, it } from 'vitest';
import { isOfficeLine, officeName, officeSignatory } from '../../src/extract/office-signatory.ts';

describe('officeSignatory: a body or office signing without a person', () => {
  it.each<[string, string[], string[], string]>([
    ['an English executive board with its organisation', ['Executive Board of the Harbour Workers Federation'], ['Harbour Workers Federation'], 'Executive Board'],
    ['a lead-in "From the"', ['From the National Secretariat'], [], 'National Secretariat'],
    ['a French bureau national', ['Le Bureau national'], [], 'Le Bureau national'],
    ['a German Vorstand after the short name and a slash', ['VKW/Metall Bundesvorstand'], ['Metall'], 'Bundesvorstand'],
    ['a Portuguese direção with its union in capitals', ['DIREÇÃO NACIONAL DO SINDICATO DOS PORTUÁRIOS - SINPORT'], [], 'DIREÇÃO NACIONAL'],
    ['a Russian presidium, kept as written', ['Президиум правления профсоюза'], [], 'Президиум правления профсоюза'],
    ['an Arabic office', ['المكتب التنفيذي'], [], 'المكتب التنفيذي'],
    ['a Japanese committee', ['執行委員会'], [], '執行委員会'],
  ])('reads %s', (_case, lines, organisations, expected) => {
    expect(officeSignatory(lines, organisations)).toEqual([{ name: expected, role: null }]);
  });

  it('takes no sentence that merely mentions a committee', () => {
    expect(isOfficeLine('The Central Committee calls on every member to join the strike on Monday: no work, no pay cuts.')).toBe(false);
    expect(officeSignatory(['Press contact: +44 000 000', 'Executive Board'], [])).toEqual([{ name: 'Executive Board', role: null }]);
  });

  it('stops at the email signature separator', () => {
    expect(officeSignatory(['-- ', 'Executive Board'], [])).toEqual([]);
  });

  it('does not take the organisation\'s own name under the statement for a signatory', () => {
    expect(officeSignatory(['Central Committee'], ['Central Committee'])).toEqual([]);
  });

  it('keeps the office when the organisation is written before it', () => {
    expect(officeName('Harbour Workers Federation: General Council', ['Harbour Workers Federation'])).toBe('General Council');
  });
});
