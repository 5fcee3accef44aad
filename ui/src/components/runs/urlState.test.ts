import {
  andFilters,
  orderByFor,
  parseRunsState,
  quoteValue,
  splitColumnId,
  writeRunsState,
} from "./urlState";

describe("parseRunsState", () => {
  it("gives defaults for an empty URL", () => {
    expect(parseRunsState(new URLSearchParams())).toEqual({
      filter: "",
      sort: null,
      columns: null,
      pinned: [],
      groupBy: null,
      selected: [],
      tab: "table",
      view: "ACTIVE_ONLY",
      nested: true,
    });
  });

  it("reads every field", () => {
    const state = parseRunsState(
      new URLSearchParams(
        "filter=metrics.loss%3C1&sort=metrics.val.loss&dir=asc&cols=metrics.a,params.b,bogus" +
          "&pin=params.b&group=tags.team&sel=r1,r2&tab=charts&view=deleted&flat=1",
      ),
    );
    expect(state).toEqual({
      filter: "metrics.loss<1",
      sort: { column: "metrics.val.loss", desc: false },
      columns: ["metrics.a", "params.b"],
      pinned: ["params.b"],
      groupBy: "tags.team",
      selected: ["r1", "r2"],
      tab: "charts",
      view: "DELETED_ONLY",
      nested: false,
    });
  });

  it("tells an empty column choice from the default", () => {
    expect(parseRunsState(new URLSearchParams("cols=")).columns).toEqual([]);
  });

  it("ignores a group by something other than a param or tag", () => {
    expect(parseRunsState(new URLSearchParams("group=metrics.loss")).groupBy).toBeNull();
  });
});

describe("writeRunsState", () => {
  it("round-trips and leaves defaults out", () => {
    const base = new URLSearchParams("keep=1");
    const next = writeRunsState(base, {
      filter: " params.a = 'x' ",
      sort: { column: "attributes.start_time", desc: true },
      selected: ["a", "b"],
      tab: "table",
      view: "ACTIVE_ONLY",
      nested: true,
    });
    expect(next.toString()).toBe(
      "keep=1&filter=params.a+%3D+%27x%27&sort=attributes.start_time&dir=desc&sel=a%2Cb",
    );
    expect(base.toString()).toBe("keep=1");
    const cleared = writeRunsState(next, { filter: "", sort: null, selected: [] });
    expect(cleared.toString()).toBe("keep=1");
  });
});

describe("search language helpers", () => {
  it("splits column ids at the first dot", () => {
    expect(splitColumnId("metrics.val.loss")).toEqual({ kind: "metrics", key: "val.loss" });
    expect(splitColumnId("nope.x")).toBeNull();
  });

  it("builds order_by clauses", () => {
    expect(orderByFor({ column: "metrics.val-loss", desc: true })).toEqual([
      "metrics.`val-loss` DESC",
    ]);
    expect(orderByFor({ column: "attributes.start_time", desc: false })).toEqual([
      "attributes.start_time ASC",
    ]);
    expect(orderByFor(null)).toEqual([]);
  });

  it("quotes values and joins filters", () => {
    expect(quoteValue("it's")).toBe("'it''s'");
    expect(andFilters("a = 1", "", "b = 2")).toBe("a = 1 AND b = 2");
    expect(andFilters("a = 1 OR b = 2", "c = 3")).toBe("(a = 1 OR b = 2) AND c = 3");
    expect(andFilters("", null)).toBe("");
  });
});
