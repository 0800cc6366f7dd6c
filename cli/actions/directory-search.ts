import { type SearchQuery, type SearchResult, directoryApi } from '../api/directory.js';
import { EXIT } from '../errors.js';
import type { ActionContext } from './context.js';
import { joined, licenceText, servedWord } from './words.js';

/**
 * `corridor directory search`: a table of services (organisation, service, place, languages,
 * who is served, 24/7, licence) with the reasons each matched; along a route, one section per
 * country in travel order. Demo entries are marked as such.
 */
export async function directorySearch({ client, out, t }: ActionContext, query: SearchQuery): Promise<number> {
  const answer = await directoryApi.search(client, query);
  if (out.json) {
    out.data(answer);
    return EXIT.ok;
  }
  if (answer.total === 0 && answer.results.length === 0) {
    out.line(t('search.none'));
    return EXIT.ok;
  }

  const table = (results: SearchResult[]) => {
    if (results.length === 0) return;
    out.table(
      [t('search.col.org'), t('search.col.service'), t('search.col.place'), t('search.col.languages'), t('search.col.served'), t('search.col.hotline'), t('search.col.licence')],
      results.map((r) => row({ out, t }, r)),
      (i) => {
        const why = results[i]?.why ?? [];
        return why.length > 0 ? [out.style('dim', t('search.why', { reasons: why.join(', ') }))] : [];
      },
    );
  };

  if (query.route && answer.groups) {
    const order = new Map(query.route.map((c, i) => [c, i]));
    const groups = [...answer.groups].sort((a, b) => (order.get(a.country) ?? 99) - (order.get(b.country) ?? 99));
    for (const group of groups) {
      out.line();
      out.line(out.style('strong', t('search.section', { country: out.country(group.country), total: group.total })));
      table(group.results);
    }
  } else {
    table(answer.results);
  }

  const all = answer.groups ? answer.groups.flatMap((g) => g.results) : answer.results;
  if (all.some((r) => r.demo)) out.line(out.style('warn', t('search.demoNote')));
  const pages = Math.max(1, Math.ceil(answer.total / answer.perPage));
  out.line(t('search.page', { page: answer.page, pages, total: answer.total }));
  if (answer.more) out.line(t('search.more', { total: out.number(answer.total) }));
  return EXIT.ok;
}

function row({ out, t }: Pick<ActionContext, 'out' | 't'>, r: SearchResult): string[] {
  const s = r.service;
  const place = [s.city, s.country].filter((p): p is string => typeof p === 'string' && p.length > 0).join(', ');
  const languages = [...s.languages, ...s.interpretation.filter((l) => !s.languages.includes(l)).map((l) => `(${l})`)];
  const name = r.demo ? t('search.demo', { name: r.orgName }) : r.orgName;
  return [
    name,
    s.name,
    s.confidential ? `${place || t('none')} · ${t('search.confidential')}` : place || t('none'),
    joined(languages, t),
    joined(s.served.map((g) => servedWord(t, g)), t),
    s.hotline24h ? t('yes') : t('no'),
    licenceText(t, out, s.licence),
  ];
}
