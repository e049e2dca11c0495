import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/extract/language.ts';

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
