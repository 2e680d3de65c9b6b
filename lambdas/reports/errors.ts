/** Errors of the finance reports. One base class; subclasses carry the fields a caller acts on. */
export class ReportsError extends Error {
  override readonly name: string = 'ReportsError';
}

/** A finance setting is missing or out of range (billing day, time zone, price, currency). */
export class FinanceSettingsError extends ReportsError {
  override readonly name = 'FinanceSettingsError';
  constructor(
    message: string,
    readonly field: string,
    readonly received: unknown,
  ) {
    super(message);
  }
}

/** A date range or a format asked of the seats table makes no sense. */
export class SeatsQueryError extends ReportsError {
  override readonly name = 'SeatsQueryError';
  constructor(
    message: string,
    readonly field: string,
    readonly received: unknown,
  ) {
    super(message);
  }
}

/** Vega or resvg failed to draw the chart (the spec, the data or the font). */
export class ChartRenderError extends ReportsError {
  override readonly name = 'ChartRenderError';
}
