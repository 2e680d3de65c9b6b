/**
 * EventBridge Scheduler `cron(...)` and `rate(...)` expressions, checked field by field so a bad
 * schedule is refused with the field named before `cdk synth` or a deployment (Scheduler itself only
 * refuses it at deploy time, and ScheduleExpression.expression passes any string through).
 *
 * The rules are AWS's, as documented on
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (cron-based and
 * rate-based schedules) and https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html
 * (the field table): six fields; minutes 0-59, hours 0-23, day-of-month 1-31 (`, - * ? / L W`),
 * month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT (`, - * ? L #`), year 1970-2199; one of
 * day-of-month and day-of-week must be `?`; `#` allows one expression in day-of-week.
 * rate(value unit): a positive whole value, unit minute(s), hour(s) or day(s) (singular for 1).
 */

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Special characters allowed besides `, - * /`. */
  readonly extra: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldRule[] = [
  { name: 'minutes', min: 0, max: 59, extra: '' },
  { name: 'hours', min: 0, max: 23, extra: '' },
  { name: 'day-of-month', min: 1, max: 31, extra: '?LW' },
  { name: 'month', min: 1, max: 12, names: MONTHS, extra: '' },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, extra: '?L#' },
  { name: 'year', min: 1970, max: 2199, extra: '' },
];

/** One value of a field (a number or a name) as a number, or undefined when it is neither or out of range. */
function valueOf(text: string, f: FieldRule): number | undefined {
  const named = f.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= f.min && n <= f.max ? n : undefined;
}

function range(f: FieldRule): string {
  return `${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
}

/** Why one comma-separated part of a field is wrong, or undefined. */
function partProblem(part: string, f: FieldRule): string | undefined {
  const bad = (why: string) => `${f.name} field "${part}": ${why}`;
  if (part === '*') return undefined;
  if (part === 'L' && f.extra.includes('L')) return undefined;
  if (f.name === 'day-of-month' && /^(\d+)W$/.test(part))
    return valueOf(part.slice(0, -1), f) === undefined ? bad(`W needs a day ${range(f)} before it`) : undefined;
  if (f.name === 'day-of-week' && part.includes('#')) {
    const [day, nth] = part.split('#');
    if (valueOf(day ?? '', f) === undefined || !/^[1-5]$/.test(nth ?? ''))
      return bad('expected day#n, a day 1-7 or SUN-SAT and n 1-5 (3#2 = the second Tuesday)');
    return undefined;
  }
  if (f.name === 'day-of-week' && /^\w+L$/.test(part))
    return valueOf(part.slice(0, -1), f) === undefined ? bad(`L needs a day ${range(f)} before it`) : undefined;
  const [base = '', step, ...more] = part.split('/');
  if (more.length > 0) return bad('at most one "/"');
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1))
    return bad('the increment after "/" must be a whole number of at least 1');
  if (base === '*' && step !== undefined) return undefined;
  const ends = base.split('-');
  if (ends.length > 2) return bad('a range has one "-"');
  if (ends.some((e) => valueOf(e, f) === undefined))
    return bad(`expected ${range(f)}${f.extra ? `, * or ${f.extra.split('').join(' ')}` : ' or *'}`);
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6)
    return `expected six fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  for (const [i, f] of FIELDS.entries()) {
    const text = fields[i]!;
    if (text === '?') {
      if (!f.extra.includes('?')) return `${f.name} field "?": ? is allowed only in day-of-month and day-of-week`;
      continue;
    }
    const parts = text.split(',');
    if (f.name === 'day-of-week' && text.includes('#') && parts.length > 1)
      return `day-of-week field "${text}": with # the field holds one expression only`;
    for (const part of parts) {
      const problem = partProblem(part, f);
      if (problem) return problem;
    }
  }
  const [, , dom, , dow] = fields;
  if ((dom === '?') === (dow === '?'))
    return `one of day-of-month ("${dom}") and day-of-week ("${dow}") must be ? (and only one)`;
  return undefined;
}

function rateProblem(body: string): string | undefined {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(body);
  if (!m) return 'expected rate(value unit), like rate(12 hours)';
  const [, value = '', unit = ''] = m;
  if (!/^\d+$/.test(value) || Number(value) < 1) return `rate value "${value}": expected a whole number of at least 1`;
  const singular = Number(value) === 1;
  const units = singular ? ['minute', 'hour', 'day'] : ['minutes', 'hours', 'days'];
  if (!units.includes(unit)) return `rate unit "${unit}": expected ${units.join(', ')} (for a value of ${value})`;
  return undefined;
}

/** What is wrong with a Scheduler expression, naming the field; undefined when it is valid. */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const cron = /^cron\((.*)\)$/s.exec(expression);
  if (cron) return cronProblem(cron[1]!);
  const rate = /^rate\((.*)\)$/s.exec(expression);
  if (rate) return rateProblem(rate[1]!);
  return 'expected cron(minutes hours day-of-month month day-of-week year), like cron(0 2 * * ? *), or rate(value unit)';
}
