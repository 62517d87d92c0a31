// Pagination helpers for both Alibaba paging styles.

/** Hard stop so a misbehaving API (or simulator) cannot make us page forever. */
export const MAX_PAGES = 10_000;

/** PageNumber/PageSize/TotalCount paging. TotalCount may arrive as a string (DescribeNetworkAcls). */
export async function allPagesByNumber<T>(
  fetchPage: (pageNumber: number, pageSize: number) => Promise<{ items: T[]; totalCount: number | string }>,
  pageSize = 50,
): Promise<T[]> {
  const all: T[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const page = await fetchPage(pageNumber, pageSize);
    const total = Number(page.totalCount);
    all.push(...page.items);
    // An empty page ends the walk even if TotalCount over-promises (items deleted meanwhile).
    if (page.items.length === 0 || !Number.isFinite(total) || all.length >= total) return all;
  }
  throw new Error(`pagination stopped after ${MAX_PAGES} pages`);
}

/** MaxResults/NextToken paging (ECS, DescribeRouteEntryList, CMS). Stops on an empty or repeated token. */
export async function allPagesByToken<T>(
  fetchPage: (nextToken: string | undefined) => Promise<{ items: T[]; nextToken?: string | null }>,
): Promise<T[]> {
  const all: T[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(token);
    all.push(...result.items);
    const next = result.nextToken ?? undefined;
    if (next === undefined || next === '') return all;
    if (seen.has(next)) throw new Error(`pagination token loop: NextToken "${next}" was returned twice`);
    seen.add(next);
    token = next;
  }
  throw new Error(`pagination stopped after ${MAX_PAGES} pages`);
}
