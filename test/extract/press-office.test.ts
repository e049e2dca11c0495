// Press offices and organs as senders (issue 11): the organisation is the one the office serves.
// Names here are invented and differ from the shared fixtures.
import { describe, expect, it } from 'vitest';
import { isOfficeOnly, organisationOfPressOffice, withoutOrgan } from '../../src/extract/press-office.ts';

describe('organisationOfPressOffice', () => {
  it.each([
    ['HFU Media', 'HFU'],
    ['Harbour Freight Union Press Office', 'Harbour Freight Union'],
    ['Riverside Nurses Alliance – Communications', 'Riverside Nurses Alliance'],
    ['Service de presse du SNEP', 'SNEP'],
    ['Département de la communication - CSTM', 'CSTM'],
    ['Oficina de Prensa FETRAMAR', 'FETRAMAR'],
    ['Assessoria de Imprensa do SINTRAPOR', 'SINTRAPOR'],
    ['VKB Pressestelle', 'VKB'],
    ['Ufficio stampa FILCAM', 'FILCAM'],
    ['Biuro Prasowe ZZPK', 'ZZPK'],
    ['ΠΟΕΔ Γραφείο Τύπου', 'ΠΟΕΔ'],
    ['Пресс-служба ЦК ОКП', 'ОКП'],
    ['Прес-центр НПГУ', 'НПГУ'],
    ['GWU Media & Publicity', 'GWU'],
    ['Dockworkers Federation Publicity Department', 'Dockworkers Federation'],
    ['unia - secrétariat régional Genève', 'unia'],
    ['Verdi – Sekretariat Hamburg', 'Verdi'],
    ['Harbour Nurses Union Media Officer', 'Harbour Nurses Union'],
    ['Servizio stampa FIOM Torino', 'FIOM Torino'],
    ['Tüm Liman-İş Basın ve Halkla İlişkiler', 'Tüm Liman-İş'],
    ['الدائرة الإعلامية - حزب الشعب', 'حزب الشعب'],
    ['Ofisi ya Habari ya CHAWATA', 'CHAWATA'],
    ['전국택시노조 홍보국', '전국택시노조'],
    ['港湾労組 事務局', '港湾労組'],
    ['اتحاد النقابات - المكتب الإعلامي', 'اتحاد النقابات'],
    ['보건의료노조 대변인실', '보건의료노조'],
    ['Humas KSPN', 'KSPN'],
    ['Workers Front National Office', 'Workers Front'],
  ])('%s is the office of %s', (name, organisation) => {
    expect(organisationOfPressOffice(name)).toBe(organisation);
  });

  it.each([['Maria Okafor'], ['Harbour Freight Union'], ['Media'], ['Online Banking'], [''], ['Bulletin des Mieters - Rundbrief']])('%j names no office', (name) => {
    expect(organisationOfPressOffice(name)).toBeUndefined();
  });
});

describe('withoutOrgan and isOfficeOnly', () => {
  it.each([
    ['Central Committee of the Workers Party of Lanka', 'Workers Party of Lanka'],
    ['National Executive Committee of the Dockers Union', 'Dockers Union'],
    ['Comité central du Parti du travail', 'Parti du travail'],
    ['Dockers Union', 'Dockers Union'],
  ])('%s -> %s', (name, organisation) => {
    expect(withoutOrgan(name)).toBe(organisation);
  });

  it('knows an office or a body that names no organisation', () => {
    expect(isOfficeOnly('Press Office')).toBe(true);
    expect(isOfficeOnly('Central Committee')).toBe(true);
    expect(isOfficeOnly('Dockers Union')).toBe(false);
  });
});
