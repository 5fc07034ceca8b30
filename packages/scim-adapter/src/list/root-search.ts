// One index-paginated result over several resource types: Users first, then Groups. Each source
// is asked only for the slice of the page that falls into it.

export interface PageSource {
  list(
    startIndex: number,
    count: number,
  ): Promise<{ totalResults: number; resources: Record<string, unknown>[] }>;
}

export interface CombinedPage {
  totalResults: number;
  resources: Record<string, unknown>[];
}

export async function searchAcross(
  sources: readonly PageSource[],
  startIndex: number,
  count: number,
): Promise<CombinedPage> {
  const skip = startIndex - 1;
  let before = 0; // results of the sources already asked
  const resources: Record<string, unknown>[] = [];
  for (const source of sources) {
    const localStart = Math.max(0, skip - before) + 1;
    // Every source is asked, if only for its total (count 0), so totalResults is exact.
    const page = await source.list(localStart, Math.max(0, count - resources.length));
    resources.push(...page.resources);
    before += page.totalResults;
  }
  return { totalResults: before, resources };
}
