import { franc } from 'franc';
import { describe, expect, it } from 'vitest';
import { CANDIDATES, detectLanguage, guessLanguage } from '../../src/extract/language.ts';

describe('detectLanguage', () => {
  it.each([
    ['The Socialist Alliance condemns the Russian attack on Ukraine. The war violates international law and is a catastrophe for people in both countries.', 'en'],
    ['Le Collectif condamne l’invasion militaire et exige le retrait immédiat des troupes. La guerre frappe d’abord les travailleuses et les travailleurs.', 'fr'],
    ['El Frente Popular de Trabajadores rechaza el nuevo aumento de las tarifas del transporte y de la electricidad, que golpea a las familias trabajadoras.', 'es'],
    ['Nananawagan ang Kilusang Manggagawa ng Bayan sa pamahalaan na itaas ang sahod ng mga manggagawa at kontrolin ang presyo ng langis at bigas.', 'tl'],
    ['Die Gewerkschaft fordert einen sofortigen Waffenstillstand und den Rückzug aller Truppen. Der Krieg trifft vor allem die arbeitenden Menschen.', 'de'],
    ['O sindicato exige o fim imediato da guerra e a retirada de todas as tropas. A guerra atinge primeiro os trabalhadores e as trabalhadoras.', 'pt'],
  ])('detects %s', (text, code) => {
    expect(detectLanguage(text).code).toBe(code);
  });

  it('does not guess on a few words', () => {
    expect(detectLanguage('Peace now')).toEqual({ code: null, confidence: 0 });
  });
});

describe('guessLanguage scores as franc does', () => {
  const texts = [
    'The tenants union demands that the landlord repair the heating before winter, and that rents stay frozen until every flat is safe.',
    'Les locataires exigent la réparation du chauffage avant l’hiver et le gel des loyers jusqu’à ce que chaque logement soit sûr.',
    'Die Mieterinnen und Mieter verlangen, dass die Heizung vor dem Winter repariert wird und die Mieten eingefroren bleiben.',
    'Os inquilinos exigem que o senhorio repare o aquecimento antes do inverno e que as rendas fiquem congeladas.',
    'Los inquilinos exigen que se repare la calefacción antes del invierno y que los alquileres queden congelados.',
    'Gli inquilini chiedono che il riscaldamento venga riparato prima dell’inverno e che gli affitti restino bloccati.',
    'Жильцы требуют отремонтировать отопление до зимы и заморозить квартплату, пока каждая квартира не станет безопасной.',
    'Мешканці вимагають відремонтувати опалення до зими та заморозити орендну плату.',
    'يطالب المستأجرون بإصلاح التدفئة قبل الشتاء وتجميد الإيجارات حتى تصبح كل شقة آمنة للسكن.',
    'किरायेदार मांग करते हैं कि सर्दी से पहले हीटिंग की मरम्मत की जाए और किराए स्थिर रहें।',
    'ผู้เช่าเรียกร้องให้ซ่อมระบบทำความร้อนก่อนฤดูหนาว และตรึงค่าเช่าไว้จนกว่าทุกห้องจะปลอดภัย',
    '租户要求房东在冬天之前修好暖气，并在每套公寓都安全之前冻结租金。我们会继续组织起来。',
    'Ang mga nangungupahan ay humihiling na ayusin ang pampainit bago ang taglamig at manatiling nakapirmi ang upa.',
    'Penyewa menuntut agar pemanas diperbaiki sebelum musim dingin dan sewa dibekukan sampai setiap unit aman.',
    '2024-03-01 12:00 +44 20 7946 0000 / 15.04.2024 — 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13',
  ];
  const samples = texts.flatMap((text) => [40, 60, 90, 140].map((n) => text.slice(0, n)).concat(text, `${text} ${texts[0]}`));

  it.each(samples.map((s) => [s]))('%s', (sample) => {
    expect(guessLanguage(sample)).toBe(franc(sample, { only: CANDIDATES, minLength: 40 }));
  });
});
