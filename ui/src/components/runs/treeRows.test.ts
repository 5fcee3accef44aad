import { buildDisplayRows } from "./treeRows";
import type { RunRow } from "./types";

function run(id: string, status: RunRow["status"] = "FINISHED"): RunRow {
  return {
    id,
    name: id,
    experimentId: "1",
    status,
    startTime: 1,
    endTime: 2,
    user: "",
    lifecycleStage: "active",
    metrics: {},
    params: {},
    tags: {},
  };
}

describe("buildDisplayRows", () => {
  const top = [run("a"), run("b")];
  const counts = new Map([
    ["a", 2],
    ["a1", 1],
  ]);

  it("lists top-level runs, collapsed", () => {
    const rows = buildDisplayRows(top, counts, new Set(), new Map());
    expect(rows.map((r) => [r.run.id, r.depth, r.childCount, r.expanded])).toEqual([
      ["a", 0, 2, false],
      ["b", 0, 0, false],
    ]);
  });

  it("inserts the children of expanded parents, nested", () => {
    const children = new Map([
      ["a", [run("a1"), run("a2")]],
      ["a1", [run("a1x")]],
    ]);
    const rows = buildDisplayRows(top, counts, new Set(["a", "a1"]), children);
    expect(rows.map((r) => `${"-".repeat(r.depth)}${r.run.id}`)).toEqual([
      "a",
      "-a1",
      "--a1x",
      "-a2",
      "b",
    ]);
  });

  it("marks parents whose children are loading", () => {
    const rows = buildDisplayRows(top, counts, new Set(["a"]), new Map());
    expect(rows[0].loadingChildren).toBe(true);
  });

  it("survives a cycle and applies fresh copies", () => {
    const cyc = new Map([["a", [run("a")]]]);
    const fresh = new Map([["a", run("a", "RUNNING")]]);
    const rows = buildDisplayRows([run("a")], new Map([["a", 1]]), new Set(["a"]), cyc, fresh);
    expect(rows.map((r) => r.run.id)).toEqual(["a", "a"]);
    expect(rows[0].run.status).toBe("RUNNING");
  });
});
