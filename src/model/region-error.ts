/**
 * A region that could not be collected in the last cycle, as the report, the API and the HTML
 * report show it. Never holds secrets.
 */
export interface ReportError {
  account: string;
  region: string;
  message: string;
}
