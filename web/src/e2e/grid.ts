/** The virtualised grids of the Tools and Triggers tabs, as an e2e test reads them. */
import type { Locator, Page } from 'playwright-core';

const WAIT = { timeout: 20_000 };

export const dataRows = (grid: Locator) => grid.locator('[role="row"][data-index]');

/**
 * The text of column `column` in every rendered row of the grid; a status cell reads as its badge's label
 * (a Triggers status cell also says "2/3 deliveries failed" under it).
 */
export async function columnTexts(grid: Locator, column: number): Promise<string[]> {
  return dataRows(grid).evaluateAll(
    (rows, col) =>
      rows.map((row) => {
        const cell = row.querySelectorAll('[role="gridcell"]')[col];
        return (
          cell?.querySelector('[data-status-label]')?.getAttribute('data-status-label') ??
          cell?.textContent?.trim() ??
          ''
        );
      }),
    column,
  );
}

/** Waits (20 s at most) until the grid shows rows and every rendered row has `expected` in the column. */
export async function rowsShowing(page: Page, grid: Locator, column: number, expected: string): Promise<string[]> {
  await page.waitForFunction(
    ({ label, col, want }) => {
      const rows = [...document.querySelectorAll(`[role="grid"][aria-label="${label}"] [role="row"][data-index]`)];
      const text = (cell: Element | undefined) =>
        cell?.querySelector('[data-status-label]')?.getAttribute('data-status-label') ?? cell?.textContent?.trim();
      return rows.length > 0 && rows.every((row) => text(row.querySelectorAll('[role="gridcell"]')[col]) === want);
    },
    { label: await grid.getAttribute('aria-label'), col: column, want: expected },
    WAIT,
  );
  return columnTexts(grid, column);
}
