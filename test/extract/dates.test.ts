import { describe, expect, it } from 'vitest';
import { findDate, isDateLine, isoDateOf, matchLeadingDate, persianToGregorian, storableDate } from '../../src/extract/dates.ts';

const REF = new Date('2022-03-03T10:00:00Z');

describe('findDate', () => {
  it.each([
    ['February 27, 2022', '2022-02-27'],
    ['2 March 2022', '2022-03-02'],
    ['27/02/2022', '2022-02-27'],
    ['27.02.2022', '2022-02-27'],
    ['2022-03-02', '2022-03-02'],
    ['March 1', '2022-03-01'],
    ['1st March', '2022-03-01'],
    ['Feb. 25', '2022-02-25'],
    ['le 1er mars 2022', '2022-03-01'],
    ['27 février 2022', '2022-02-27'],
    ['27 de febrero de 2022', '2022-02-27'],
    ['1 de março de 2022', '2022-03-01'],
    ['27. Februar 2022', '2022-02-27'],
    ['Pebrero 25, 2022', '2022-02-25'],
    ['Marso 2', '2022-03-02'],
    ['27 Februari 2022', '2022-02-27'],
    ['2 Mac 2022', '2022-03-02'],
    ['2022年3月2日', '2022-03-02'],
    ['27 февраля 2022', '2022-02-27'],
  ])('reads %s', (text, iso) => {
    expect(findDate(text, REF)?.iso).toBe(iso);
  });

  it('takes the year before when a year-less date would lie after the email', () => {
    expect(findDate('December 30', new Date('2022-01-04T00:00:00Z'))?.iso).toBe('2021-12-30');
  });

  it('reads an ambiguous numeric date day first, unless only month first fits the email date', () => {
    expect(findDate('03/02/2022', REF)?.iso).toBe('2022-02-03');
    expect(findDate('03/02/2022', new Date('2022-03-03T00:00:00Z'))?.yearWritten).toBe(true);
    expect(findDate('12/30/2021', REF)?.iso).toBe('2021-12-30');
  });

  it.each(['no date here', '31/02/2022', 'room 12/40', 'March 2032'])('finds nothing plausible in %s', (text) => {
    expect(findDate(text, REF)).toBeUndefined();
  });
});

describe('matchLeadingDate', () => {
  it.each([
    ['March 1 - The Socialist Alliance condemns', '2022-03-01', 'The Socialist Alliance condemns', true],
    ['February 27, 2022 – The party', '2022-02-27', 'The party', true],
    ['New Delhi, March 2, 2022: We', '2022-03-02', 'We', true],
    ['Paris, le 2 mars 2022', '2022-03-02', '', false],
    ['Thursday, 24 February 2022', '2022-02-24', '', false],
    ['February 25 Stop the bombings!', '2022-02-25', 'Stop the bombings!', false],
    ['Buenos Aires, 1 de marzo de 2022 – El Frente', '2022-03-01', 'El Frente', true],
  ])('reads the dateline of %s', (line, iso, rest, separated) => {
    expect(matchLeadingDate(line, REF)).toMatchObject({ iso, rest, separated });
  });

  it('ignores a date in the middle of a sentence', () => {
    expect(matchLeadingDate('To supporters of the narrative, the February 24 offensive', REF)).toBeUndefined();
  });

  it('tells a date line from a line that only starts with a date', () => {
    expect(isDateLine('Kuala Lumpur, 27 February 2022', REF)?.iso).toBe('2022-02-27');
    expect(isDateLine('27 February 2022 was a dark day', REF)).toBeUndefined();
  });
});

// Issue 10: a Date header in year 10000 became the statement date "+010000-01", which PostgreSQL
// refused, and ingest stopped. Only years 1..9999 are dates here.
describe('dates PostgreSQL can store', () => {
  const inYear = (year: number) => {
    const date = new Date(0);
    date.setUTCFullYear(year, 0, 1);
    return date;
  };

  it.each([
    [10000, null],
    [275760, null],
    [0, null],
    [-5, null],
    [1, '0001-01-01'],
    [9999, '9999-01-01'],
    [2022, '2022-01-01'],
  ])('isoDateOf a date in year %i is %s', (year, iso) => {
    expect(isoDateOf(inYear(year))).toBe(iso);
    expect(storableDate(inYear(year))).toEqual(iso === null ? undefined : inYear(year));
  });

  it('takes no date from an invalid Date', () => {
    expect(isoDateOf(new Date(Number.NaN))).toBeNull();
  });

  it('reads no date written in year 0, and reads years before 100 as written (not as 19xx)', () => {
    expect(findDate('1 January 0000', undefined)).toBeUndefined();
    expect(findDate('1 March 0050', undefined)?.iso).toBe('0050-03-01');
  });

  it('finds no year-less date when the email is dated in a year that cannot be stored', () => {
    expect(findDate('March 1', inYear(10000))).toBeUndefined();
  });
});

describe('findDate: more month tables and calendars', () => {
  it.each<[string, string, string]>([
    ['a Greek genitive month', 'Αθήνα, 14 Μαρτίου 2023', '2023-03-14'],
    ['a Polish genitive month', 'Gdańsk, 5 października 2021 r.', '2021-10-05'],
    ['a Turkish month', 'İstanbul, 12 Şubat 2019', '2019-02-12'],
    ['a Catalan month after d\'', "Girona, 7 d'abril de 2016", '2016-04-07'],
    ['a Swahili month', 'Nairobi, 9 Septemba, 2015', '2015-09-09'],
    ['a Levantine Arabic month', 'دمشق في 4 تشرين الأول 2012', '2012-10-04'],
    ['an Arabic comma before the year', 'عمّان 19 آذار، 2014', '2014-03-19'],
    ['a Maghreb Arabic month', 'الرباط، 21 شتنبر 2020', '2020-09-21'],
    ['Arabic-Indic digits', 'القاهرة ١٢ مارس ٢٠١٨', '2018-03-12'],
    ['a Persian (Solar Hijri) date', '۲۲ بهمن ۱۳۹۷', '2019-02-11'],
  ])('reads %s', (_case, text, iso) => {
    expect(findDate(text, undefined)?.iso).toBe(iso);
  });

  it('gives no date for a day and month without a year when there is no email date either (not 1970)', () => {
    expect(findDate('19 March', undefined)).toBeUndefined();
  });

  it('converts Nowruz of the Solar Hijri calendar to the right Gregorian day', () => {
    expect(persianToGregorian(1403, 1, 1)).toEqual({ year: 2024, month: 3, day: 20 });
    expect(persianToGregorian(1390, 1, 1)).toEqual({ year: 2011, month: 3, day: 21 });
  });
});
