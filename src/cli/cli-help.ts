/** `switchboard help`: every command and option, with the defaults. */
export const HELP_TEXT = `Usage:
  npx switchboard import FILE [options]     import contacts, companies or deals from CSV or XLSX
  npx switchboard export ENTITY [options]   export contacts, companies or deals to CSV or XLSX
  npx switchboard help

import options:
  --entity contacts|companies|deals   what the rows are (default contacts)
  --dry-run                           check everything, write nothing: says what would happen
  --mapping FILE                      a JSON mapping file (which column fills which field)
  --on-existing skip|update           a record that already exists: leave it (default) or update it
  --encoding utf-8|cp949|windows-1251 a CSV's encoding (default: detected)
  --delimiter ,|;|tab                 a CSV's separator (default: detected)
  --report FILE                       where to save the error report (default FILE.errors.csv
                                      next to the input, when rows were rejected or skipped)
  --json                              print the final result as JSON on stdout

export options:
  --format csv|xlsx                   default csv
  --out FILE                          default ENTITY-YYYY-MM-DD.FORMAT in this directory
  --segment ID                        only the contacts of a saved segment
  --filter key=value                  a directory filter, e.g. --filter tag=vip (repeatable)

connection (both commands):
  --url URL        the running server (default SWITCHBOARD_URL, else http://127.0.0.1:$PORT)
  --token TOKEN    an API token (default SWITCHBOARD_TOKEN, else ADMIN_TOKEN,
                   else the DATA_DIR/admin-token file \`npm start\` generated)

Exit codes: 0 done (rows may have been rejected: see the report), 1 failed, 2 wrong usage.
`;
