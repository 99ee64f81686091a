// Hotline and complaint-channel figures stated in prose → hotline.<line>.<metric>. The line is
// the first one a sentence names (or the one named earlier in its paragraph); the metric comes
// from the words right before each number: an action next to it (受理 1396 件, 已办结, 交办,
// 立案) first, else the one kind of contact it counts (咨询 / 投诉 / 举报); several kinds
// together (申诉咨询电话 11265 次) or only 来电/接听 count all calls.
import { FigureSet } from '../figureSet.ts';
import { numbersIn, sentenceSource, sentences, type ProseStream } from './proseStream.ts';

const LINES: Array<[RegExp, string]> = [
  [/12345/, '12345'],
  [/12365/, '12365'],
  [/12350/, '12350'],
  [/12315/, '12315'],
  [/12369/, '12369'],
  [/政风行风热线|行风热线/, 'line'],
  [/信箱/, 'mailbox'],
  [/(政务|信息)公开(咨询)?电话/, 'disclosure'],
];

/** Web consultation names a line only where no other line is being talked about. */
const WEAK_LINE: [RegExp, string] = [/(网上|在线|网站)(咨询|投诉)/, 'online'];

const HOTLINE_WORDS = /(电话|热线)/;
const CONTACT_WORDS = /(咨询|投诉|举报|申诉|来电|接听)/;

const ACTIONS: Array<[RegExp, string]> = [
  [/(立案|形成案件)[^，；]{0,2}$/, 'cases'],
  [/(已办结|办结|已处理|处理|答复|回复)[^，；]{0,2}$/, 'resolved'],
  [/(转办|交办|转交|派单)[^，；]{0,4}$/, 'referred'],
  [/受理[^，；]{0,2}$/, 'accepted'],
];

const KINDS: Array<[RegExp, string]> = [
  [/投诉举报|举报投诉|投诉|申诉/, 'complaints'],
  [/举报/, 'tips'],
  [/咨询/, 'consultations'],
];

const RATES: Array<[RegExp, string]> = [
  [/(处理率|办结率)[^，；]{0,4}$/, 'handlingRate'],
  [/满意率[^，；]{0,4}$/, 'satisfaction'],
];

const COUNT_UNITS = /^(件|次|个|宗|起|封|条|例|人次|通)$/;

/**
 * The line a sentence talks about; a sentence that lists several named lines counts them
 * together (other). Web consultation within a named line's sentence is that line's channel.
 */
function lineOf(text: string, current: string | null): string | null {
  const strong = new Set(LINES.filter(([re]) => re.test(text)).map(([, line]) => line));
  if (strong.size > 1) return 'other';
  if (strong.size === 1) return [...strong][0]!;
  return !current && WEAK_LINE[0].test(text) ? WEAK_LINE[1] : null;
}

/** The words of a lead that can say what its number counts: the last few before it. */
const NEAR = 12;

function metricOf(lead: string): string | null {
  for (const [re, metric] of ACTIONS) if (re.test(lead)) return metric;
  // …投诉举报处理和其他重大环境信息131条 counts published information, not contacts.
  if (/信息$/.test(lead)) return null;
  let rest = lead.slice(-NEAR);
  const kinds = new Set<string>();
  for (const [re, kind] of KINDS) {
    if (re.test(rest)) kinds.add(kind);
    rest = rest.replace(new RegExp(re.source, 'g'), '');
  }
  if (kinds.size === 1) return [...kinds][0]!;
  if (kinds.size > 1) return 'calls';
  if (/来电|接听|电话|来信|热线/.test(lead)) return 'calls';
  return null;
}

export function readHotlineProse(stream: ProseStream, out: FigureSet): void {
  let current: string | null = null;
  for (const s of sentences(stream)) {
    if (!s.previous) current = null;
    // Sentences about disclosure applications are not hotline traffic.
    if (/申请/.test(s.text) && /公开/.test(s.text)) {
      current = null;
      continue;
    }
    const named = lineOf(s.text, current);
    if (named) current = named;
    else if (!current && HOTLINE_WORDS.test(s.text) && CONTACT_WORDS.test(s.text)) current = 'other';
    if (!current) continue;
    const source = sentenceSource(stream, s);
    for (const hit of numbersIn(s.text)) {
      if (hit.unit === '%' || hit.unit === '％') {
        const rate = RATES.find(([re]) => re.test(hit.lead));
        if (rate) out.add(`hotline.${current}.${rate[1]}`, hit.value, source, hit.approx);
        continue;
      }
      if (!COUNT_UNITS.test(hit.unit)) continue;
      const metric = metricOf(hit.lead);
      if (metric) out.add(`hotline.${current}.${metric}`, hit.value, source, hit.approx);
    }
  }
}
